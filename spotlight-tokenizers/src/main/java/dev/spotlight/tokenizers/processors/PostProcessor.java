package dev.spotlight.tokenizers.processors;

import dev.spotlight.tokenizers.Encoding;
import java.util.ArrayList;
import java.util.List;

/**
 * The tokenizer.json {@code post_processor} block: adds the special tokens a model expects
 * around one sequence or a pair, sets type ids, and may adjust offsets. Immutable, thread-safe.
 */
public interface PostProcessor {

    /** How many tokens {@link #process} adds to a single sequence or a pair (truncation leaves room for them). */
    int addedTokens(boolean isPair);

    /** Processes the one or two encodings (already numbered as sequences 0 and 1); may merge them. */
    List<Encoding> processEncodings(List<Encoding> encodings, boolean addSpecialTokens);

    /**
     * Rust's {@code PostProcessor::process}: numbers the sequences (type id and sequence id
     * {@code i}, overflowing ones get the sequence id too), processes them and merges the result.
     */
    default Encoding process(Encoding encoding, Encoding pair, boolean addSpecialTokens) {
        List<Encoding> encodings = new ArrayList<>(2);
        encodings.add(encoding);
        if (pair != null) {
            encodings.add(pair);
        }
        for (int i = 0; i < encodings.size(); i++) {
            int sequence = i;
            encodings.set(i, encodings.get(i).withSequenceId(sequence)
                    .mapOverflowing(o -> o.withSequenceId(sequence))
                    .withTypeIds(sequence));
        }
        return Encoding.merge(processEncodings(encodings, addSpecialTokens));
    }
}
