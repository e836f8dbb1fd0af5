package dev.spotlight.tokenizers.models;

import dev.spotlight.tokenizers.JsonView;
import dev.spotlight.tokenizers.TokenizerException;
import java.util.ArrayList;
import java.util.List;

/**
 * BERT's greedy longest-match-first WordPiece: the longest vocabulary entry from the start of the
 * word, then the longest {@code ##}-prefixed continuation, and so on; a word with any unmatched part,
 * or longer than {@code max_input_chars_per_word} characters, becomes one unknown token.
 */
public final class WordPiece extends VocabularyModel {
    private final String unkToken;
    private final Integer unkId;   // null when unk_token is not in the vocabulary: Rust loads such a file and fails only on an unknown word
    private final String prefix;
    private final int maxInputCharsPerWord;
    private final int longestToken;   // chars; a longer candidate cannot match, so it is never built

    WordPiece(Vocabulary vocab, String unkToken, Integer unkId, String prefix, int maxInputCharsPerWord) {
        super(vocab);
        this.longestToken = vocab.longestToken();
        this.unkToken = unkToken;
        this.unkId = unkId;
        this.prefix = prefix;
        this.maxInputCharsPerWord = maxInputCharsPerWord;
    }

    static WordPiece fromJson(JsonView block) {
        Vocabulary vocab = Vocabulary.fromJson(block.get("vocab"));
        String unk = block.string("unk_token", "[UNK]");
        return new WordPiece(vocab, unk, vocab.id(unk),
                Vocabulary.affix(block, "continuing_subword_prefix", "##"), block.integer("max_input_chars_per_word", 100));
    }

    @Override
    public java.util.Optional<String> continuingSubwordPrefix() {
        return java.util.Optional.of(prefix);
    }

    @Override
    public List<Token> tokenize(String word) {
        if (word.codePointCount(0, word.length()) > maxInputCharsPerWord) {
            return unknown(word);
        }
        List<Token> pieces = new ArrayList<>(4);
        StringBuilder candidate = new StringBuilder(word.length() + prefix.length());
        int start = 0;
        while (start < word.length()) {
            // Candidates longer than the longest token are skipped, not tried: the same matches, but a long
            // word (max_input_chars_per_word comes from the file) costs length × longest token, not length²
            int room = longestToken - (start > 0 ? prefix.length() : 0);
            int end = (int) Math.min(word.length(), (long) start + Math.max(room, 0));
            if (end < word.length() && end > start && Character.isLowSurrogate(word.charAt(end))
                    && Character.isHighSurrogate(word.charAt(end - 1))) {
                end--;   // never split a surrogate pair: the candidates step by code points
            }
            Token match = null;
            while (start < end) {
                candidate.setLength(0);
                if (start > 0) {
                    candidate.append(prefix);
                }
                candidate.append(word, start, end);
                String piece = candidate.toString();
                Integer id = vocab.id(piece);
                if (id != null) {
                    match = new Token(id, piece, start, end);
                    break;
                }
                end -= Character.charCount(word.codePointBefore(end));
            }
            if (match == null) {
                return unknown(word);
            }
            pieces.add(match);
            start = end;
        }
        return pieces;
    }

    private List<Token> unknown(String word) {
        if (unkId == null) {
            throw new TokenizerException("WordPiece: \"" + word + "\" needs the unk_token \"" + unkToken
                    + "\", which is not in the vocabulary");
        }
        return List.of(new Token(unkId, unkToken, 0, word.length()));
    }

}
