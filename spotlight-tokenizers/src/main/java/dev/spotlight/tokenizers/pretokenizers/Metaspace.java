package dev.spotlight.tokenizers.pretokenizers;

import dev.spotlight.tokenizers.NormalizedString;
import dev.spotlight.tokenizers.NormalizedString.SplitDelimiterBehavior;
import dev.spotlight.tokenizers.PreTokenizedString;
import java.util.List;

/**
 * SentencePiece's space handling: every space becomes {@code replacement}, which is also put in
 * front (always, only for the piece at the start of the input, or never), and optionally the
 * text is split before each replacement char.
 */
public record Metaspace(int replacement, PrependScheme prependScheme, boolean split) implements PreTokenizer {

    public enum PrependScheme { always, first, never }

    private static final NormalizedString.Pattern SPACE = NormalizedString.charPattern(c -> c == ' ');

    @Override
    public void preTokenize(PreTokenizedString s) {
        String rep = Character.toString(replacement);
        NormalizedString.Pattern delimiter = NormalizedString.charPattern(c -> c == replacement);
        s.splitEach(n -> {
            n.replace(SPACE, rep);
            boolean starts = n.normalized().startsWith(rep);
            if (prependScheme == PrependScheme.always && !starts
                    || prependScheme == PrependScheme.first && !starts && n.originalShift() == 0) {
                n.prepend(rep);
            }
            return split ? n.split(delimiter, SplitDelimiterBehavior.MergedWithNext) : List.of(n);
        });
    }
}
