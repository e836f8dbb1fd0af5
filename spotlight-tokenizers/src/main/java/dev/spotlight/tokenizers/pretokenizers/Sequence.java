package dev.spotlight.tokenizers.pretokenizers;

import dev.spotlight.tokenizers.PreTokenizedString;
import java.util.List;

/** Runs pre-tokenizers one after the other. */
public record Sequence(List<PreTokenizer> pretokenizers) implements PreTokenizer {
    public Sequence {
        pretokenizers = List.copyOf(pretokenizers);
    }

    @Override
    public void preTokenize(PreTokenizedString s) {
        for (PreTokenizer p : pretokenizers) {
            p.preTokenize(s);
        }
    }
}
