package dev.spotlight.models.generation;

import java.util.Arrays;

/**
 * One sequence's generation: what went in, what came out, why it ended, and the text.
 *
 * <p>{@code generatedIds} holds every token the model chose, as transformers' {@code generate}
 * returns them: an end-of-sequence token is included, and so is the token that completed a stop
 * string, even when {@code text} leaves the stop string out.
 *
 * @param promptIds    the prompt as the model read it (special tokens included)
 * @param generatedIds the chosen tokens, in order
 * @param finish       why it ended
 * @param text         the generated text (see {@link #of})
 */
public record GenerationResult(int[] promptIds, int[] generatedIds, Finish finish, String text) {

    public GenerationResult {
        if (finish == null || text == null) {
            throw new IllegalArgumentException("finish and text are required");
        }
        promptIds = promptIds.clone();
        generatedIds = generatedIds.clone();
    }

    /**
     * The result of a finished sequence whose text was streamed (or decoded) as {@code fullText}:
     * the text of every generated token, as {@link TextStream} gives it. With {@code keepStopString}
     * (transformers' behaviour) that is the text; without it (the OpenAI API's behaviour) a text that
     * ended on a stop string is cut where the stop string starts, so neither the stop string nor
     * anything after it is returned.
     */
    public static GenerationResult of(int[] promptIds, int[] generatedIds, Finish finish, String fullText, boolean keepStopString) {
        String text = fullText;
        if (!keepStopString && finish.reason() == FinishReason.STOP_STRING) {
            text = fullText.substring(0, Math.min(fullText.length(), finish.stopStringStart()));
        }
        return new GenerationResult(promptIds, generatedIds, finish, text);
    }

    @Override
    public int[] promptIds() {
        return promptIds.clone();
    }

    @Override
    public int[] generatedIds() {
        return generatedIds.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GenerationResult r && Arrays.equals(promptIds, r.promptIds) && Arrays.equals(generatedIds, r.generatedIds)
                && finish.equals(r.finish) && text.equals(r.text);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * Arrays.hashCode(promptIds) + Arrays.hashCode(generatedIds)) + finish.hashCode()) + text.hashCode();
    }

    @Override
    public String toString() {
        return "GenerationResult[promptIds=" + Arrays.toString(promptIds) + ", generatedIds=" + Arrays.toString(generatedIds)
                + ", finish=" + finish + ", text=" + text + "]";
    }
}
