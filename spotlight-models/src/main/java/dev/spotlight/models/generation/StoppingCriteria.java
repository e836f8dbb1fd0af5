package dev.spotlight.models.generation;

import java.util.List;
import java.util.Optional;

/**
 * When one sequence stops, as transformers' stopping criteria decide it after each generated token:
 * {@code EosTokenCriteria} (the last token is any of the end-of-sequence ids), {@code MaxLengthCriteria}
 * (the token limit of {@link GenerationSettings#maxNewTokens}) and {@code StopStringCriteria}.
 *
 * <p><b>Stop strings.</b> transformers stops when a stop string appears in the text of the ids
 * (prompt included) and overlaps the last token: it may span several tokens, begin in the prompt,
 * start or end in the middle of a token, and the last token may carry more text after it ("stop"
 * matches the tokens "st" + "opera"); a stop string that lies wholly in earlier tokens does not count
 * again. transformers decides this on each token's own cleaned-up string; this class decides it on
 * the text {@link TextStream} gives, the exact decode of the ids, so a stop string also matches when
 * it is made of byte-fallback or byte-level pieces that only form characters together (what
 * transformers' newer byte matching modes aim at). The text a token adds is what the stream released
 * ({@code newText}) plus the change in what it still holds back ({@code pendingText}): a character
 * completed by the last byte token counts at that token.
 *
 * <p>When several reasons hold at once, EOS wins over a stop string, which wins over the length limit.
 * Not thread-safe: one per sequence.
 */
public final class StoppingCriteria {
    private final int[] eosTokenIds;
    private final List<String> stopStrings;
    private final int promptLength;
    private final int maxNewTokens;
    private final int keep;             // chars of released text kept: the longest stop string minus one
    private String tail;                // the last released chars (prompt text included)
    private long tailStart;             // offset of tail[0] in the generated text; negative inside the prompt
    private String pending = "";        // what the stream held back after the previous token

    /**
     * @param precedingText the prompt's text (a stop string may begin in it), or ""
     */
    public StoppingCriteria(List<Integer> eosTokenIds, List<String> stopStrings, int promptLength, int maxNewTokens,
                            String precedingText) {
        if (promptLength < 0 || maxNewTokens <= 0) {
            throw new IllegalArgumentException("prompt length " + promptLength + " / max new tokens " + maxNewTokens
                    + ", expected >= 0 / > 0");
        }
        this.eosTokenIds = eosTokenIds.stream().mapToInt(Integer::intValue).toArray();
        this.stopStrings = List.copyOf(stopStrings);
        for (String s : this.stopStrings) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("a stop string is empty");
            }
        }
        this.promptLength = promptLength;
        this.maxNewTokens = maxNewTokens;
        this.keep = this.stopStrings.stream().mapToInt(String::length).max().orElse(1) - 1;
        this.tail = precedingText.substring(Math.max(0, precedingText.length() - keep));
        this.tailStart = -tail.length();
    }

    /**
     * Call once after each generated token, with every id so far and what the sequence's
     * {@link TextStream} answered for it.
     *
     * @param ids         prompt + generated ids; the last one is the token just generated
     * @param length      how many of {@code ids} are filled
     * @param newText     what {@link TextStream#push} returned for that token
     * @param pendingText {@link TextStream#pending()} after that push
     * @return the finish, or empty to go on generating
     */
    public Optional<Finish> check(int[] ids, int length, String newText, String pendingText) {
        int generated = length - promptLength;
        if (generated <= 0 || length > ids.length) {
            throw new IllegalArgumentException(length + " ids of which " + promptLength + " are the prompt: nothing was generated");
        }
        Finish stop = stopString(newText, pendingText);
        int last = ids[length - 1];
        for (int eos : eosTokenIds) {
            if (last == eos) {
                return Optional.of(Finish.eos());
            }
        }
        if (stop != null) {
            return Optional.of(stop);
        }
        return generated >= maxNewTokens ? Optional.of(Finish.length()) : Optional.empty();
    }

    private Finish stopString(String newText, String pendingText) {
        if (stopStrings.isEmpty()) {
            return null;
        }
        String added = newText + pendingText;
        String text = tail + added;
        // the last token's text starts where the new text departs from what was held back before
        int from = tail.length() + commonPrefix(pending, added);
        Finish found = null;
        int foundAt = Integer.MAX_VALUE;
        for (String s : stopStrings) {
            int at = text.indexOf(s, Math.max(0, from - s.length() + 1));
            if (at >= 0 && at < foundAt) {   // found from there, it ends inside the new text
                foundAt = at;
                found = Finish.stopString(s, (int) Math.max(0, tailStart + at));
            }
        }
        String released = tail + newText;
        int cut = Math.max(0, released.length() - keep);
        tail = released.substring(cut);
        tailStart += cut;
        pending = pendingText;
        return found;
    }

    private static int commonPrefix(String a, String b) {
        int n = Math.min(a.length(), b.length());
        int i = 0;
        while (i < n && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }
}
