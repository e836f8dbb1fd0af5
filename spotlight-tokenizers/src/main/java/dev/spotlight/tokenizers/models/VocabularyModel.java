package dev.spotlight.tokenizers.models;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** The lookups of a model whose vocabulary is a token → id table (WordPiece, BPE, WordLevel). */
abstract class VocabularyModel implements Model {
    final Vocabulary vocab;

    VocabularyModel(Vocabulary vocab) {
        this.vocab = vocab;
    }

    @Override
    public final OptionalInt tokenToId(String token) {
        return vocab.tokenToId(token);
    }

    @Override
    public final Optional<String> idToToken(int id) {
        return vocab.idToToken(id);
    }

    @Override
    public final int vocabSize() {
        return vocab.size();
    }

    @Override
    public final Map<String, Integer> vocab() {
        return vocab.map();
    }
}
