package dev.spotlight.tokenizers.models;

import dev.spotlight.tokenizers.JsonView;
import java.util.List;

/** One token per pre-tokenized piece: its vocabulary id, or the unknown token. */
public final class WordLevel extends VocabularyModel {
    private final String unkToken;
    private final Integer unkId; // null when the unk token is not in the vocabulary: an unknown word is then an error

    WordLevel(Vocabulary vocab, String unkToken) {
        super(vocab);
        this.unkToken = unkToken;
        this.unkId = vocab.id(unkToken);
    }

    static WordLevel fromJson(JsonView block) {
        return new WordLevel(Vocabulary.fromJson(block.get("vocab")), block.string("unk_token", "<unk>"));
    }

    @Override
    public List<Token> tokenize(String piece) {
        Integer id = vocab.id(piece);
        if (id != null) {
            return List.of(new Token(id, piece, 0, piece.length()));
        }
        if (unkId == null) {
            throw new dev.spotlight.tokenizers.TokenizerException("WordLevel: \"" + piece
                    + "\" is not in the vocabulary and the unk_token \"" + unkToken + "\" is missing from it too");
        }
        return List.of(new Token(unkId, unkToken, 0, piece.length()));
    }

}
