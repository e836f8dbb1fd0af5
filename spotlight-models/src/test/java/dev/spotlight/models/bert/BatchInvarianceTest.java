package dev.spotlight.models.bert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.spotlight.models.EncoderModel;
import dev.spotlight.models.Spotlight;
import dev.spotlight.tensor.Parallel;
import dev.spotlight.tokenizers.Direction;
import dev.spotlight.tokenizers.EncodeOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A sentence's embedding is bitwise the same alone, in a batch of 32 beside long neighbours, with
 * padding on either side, and on one or two threads: packing and the kernels' fixed reduction
 * order leave nothing for the batch to change.
 */
class BatchInvarianceTest {
    private static final String SENTENCE = "The cat sat on the mat because it was tired.";
    private static EncoderModel model;
    private static int threadsBefore;

    @BeforeAll
    static void load() {
        threadsBefore = Parallel.threads();
        model = Spotlight.load("all-minilm-l6-v2");
    }

    @AfterAll
    static void close() {
        Parallel.setThreads(threadsBefore);
        model.close();
    }

    @Test
    void embeddingIsBitwiseIdenticalWhateverTheBatchPaddingAndThreads() {
        Parallel.setThreads(1);
        float[] alone = embedAt(List.of(SENTENCE), 0, Direction.Right);

        List<String> crowd = new ArrayList<>();
        for (int i = 0; i < 31; i++) {
            crowd.add(("A much longer neighbouring sentence number " + i + " that pads everyone else, ").repeat(1 + i % 4));
        }
        crowd.add(17, SENTENCE);
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            for (Direction side : Direction.values()) {
                assertArrayEquals(alone, embedAt(crowd, 17, side), threads + " threads, " + side + " padding");
            }
            assertArrayEquals(alone, embedAt(List.of(SENTENCE), 0, Direction.Left), threads + " threads, alone");
        }
    }

    private static float[] embedAt(List<String> texts, int index, Direction side) {
        EncodeOptions options = model.options().withPadding(model.options().padding().withDirection(side));
        var encoded = model.encode(texts, null, options, dev.spotlight.models.Capture.NONE);
        return model.pool(encoded.output())[index];
    }
}
