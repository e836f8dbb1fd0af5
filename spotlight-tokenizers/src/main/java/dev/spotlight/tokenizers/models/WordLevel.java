package dev.spotlight.tokenizers.models;

import dev.spotlight.tokenizers.JsonView;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** One token per pre-tokenized piece: its vocabulary id, or the unknown token. */
public final class WordLevel implements Model {
    private final Vocabulary vocab;
    private final String unkToken;
    private final Integer unkId; // null when the unk token is not in the vocabulary: an unknown word is then an error

    WordLevel(Vocabulary vocab, String unkToken) {
        this.vocab = vocab;
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

    @Override
    public OptionalInt tokenToId(String token) {
        return vocab.tokenToId(token);
    }

    @Override
    public Optional<String> idToToken(int id) {
        return vocab.idToToken(id);
    }

    @Override
    public int vocabSize() {
        return vocab.size();
    }

    @Override
    public Map<String, Integer> vocab() {
        return vocab.map();
    }
}
