package dev.spotlight.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Capturing every attention matrix of a large batch is refused with the size it needs, before allocating (found by fuzzing). */
class CaptureBoundsTest {

    @Test
    void attentionsOfThousandsOfLongTextsAreRefusedWithTheSizeTheyNeed() {
        String longText = "word ".repeat(200);
        try (EncoderModel model = Spotlight.load()) {
            List<String> texts = Collections.nCopies(1500, longText);   // 1500 × 6 layers × 12 heads × 128² floats = 6.6 GB
            ModelException e = assertThrows(ModelException.class, () -> model.encode(texts, Capture.ATTENTIONS));
            assertTrue(e.getMessage().startsWith("encoding 1500 sequence(s) of 192000 tokens in all needs about 9.34 GB (2.75 GB of"
                    + " work space"), e.getMessage());
            assertTrue(e.getMessage().contains("6.59 GB for the captured attention matrices: 6 layers × 12 heads × Σ length²"),
                    e.getMessage());
            assertTrue(e.getMessage().endsWith("pass fewer texts per call, or run with a larger -Xmx (SPOTLIGHT_JAVA_OPTS)"), e.getMessage());
            // the same texts without capture, and a few with it, still run
            assertEquals(4, model.embed(texts.subList(0, 4)).length);
            assertEquals(6, model.encode(texts.subList(0, 2), Capture.ATTENTIONS).output().attentions().length);
        }
    }
}
