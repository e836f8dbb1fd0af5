package dev.spotlight.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotlight.models.config.ModelConfig;
import dev.spotlight.models.decoder.DecoderBatch;
import dev.spotlight.models.decoder.DecoderOutput;
import dev.spotlight.models.decoder.KvCache;
import dev.spotlight.models.decoder.Logits;
import dev.spotlight.models.decoder.RandomCheckpoint;
import dev.spotlight.models.hub.ModelResolver;
import dev.spotlight.tensor.kernels.KernelWork;
import dev.spotlight.tokenizers.Direction;
import dev.spotlight.tokenizers.EncodeOptions;
import dev.spotlight.tokenizers.Encoding;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two invariants docs/ARCHITECTURE.md claims beyond the parity tests, proven without timing:
 * no work on padding (the kernels are handed exactly the real tokens' work, counted by
 * {@link KernelWork}) and capturing attention changes no output bit (encoder and decoder).
 */
class InvariantsTest {
    private static final List<String> TEXTS = List.of("The cat sat.", "Hi",
            "A much longer sentence about attention masks, padding and the batches they come in.");

    @TempDir
    Path dir;

    private static KernelWork.Tally work(EncoderModel model, List<Encoding> encodings) {
        return KernelWork.count(() -> model.forward(encodings, Capture.NONE)).work();
    }

    @Test
    void anEncoderBatchCostsItsRealTokensWhateverItsPadding() {
        try (EncoderModel model = Spotlight.load()) {
            EncodeOptions right = model.options();
            EncodeOptions left = right.withPadding(right.padding().withDirection(Direction.Left));
            EncodeOptions fixed = right.withPadding(right.padding().withFixed(128));
            List<Encoding> padded = model.tokenizer().encodeBatch(TEXTS, fixed);
            KernelWork.Tally rightWork = work(model, model.tokenizer().encodeBatch(TEXTS, right));
            assertEquals(rightWork, work(model, model.tokenizer().encodeBatch(TEXTS, left)));
            assertEquals(rightWork, work(model, padded), "a batch padded to 128 tokens costs what the real tokens cost");

            KernelWork.Tally alone = new KernelWork.Tally(0, 0, 0);
            long tokens = 0;
            long squares = 0;
            for (String text : TEXTS) {
                List<Encoding> one = model.tokenizer().encodeBatch(List.of(text), right.withPadding(null));
                alone = alone.plus(work(model, one));
                tokens += one.getFirst().length();
                squares += (long) one.getFirst().length() * one.getFirst().length();
            }
            assertEquals(alone, rightWork, "a batch costs the sum of its sequences alone");

            ModelConfig c = model.config();
            long h = c.hiddenSize();
            long layers = c.numHiddenLayers();
            boolean pooler = model.forward(padded, Capture.NONE).pooler() != null;
            long poolerRows = pooler ? TEXTS.size() : 0;
            // per layer: q, k and v (one call, three matrices), the output projection, FFN in and out
            assertEquals(layers * 6 * tokens + poolerRows, rightWork.gemmRows());
            assertEquals(layers * tokens * (4 * h * h + 2 * h * c.intermediateSize()) + poolerRows * h * h, rightWork.multiplyAdds());
            assertEquals(layers * c.numAttentionHeads() * squares, rightWork.attentionScores());
            long paddedScores = layers * c.numAttentionHeads() * TEXTS.size() * 128L * 128L;
            assertTrue(rightWork.attentionScores() * 50 < paddedScores, rightWork + " against " + paddedScores + " padded");
        }
    }

    @Test
    void capturingAttentionChangesNoEncoderOutputBit() {
        try (EncoderModel model = Spotlight.load()) {
            List<Encoding> batch = model.tokenizer().encodeBatch(TEXTS, model.options());
            EncoderOutput plain = model.forward(batch, Capture.NONE);
            for (Capture capture : List.of(Capture.ATTENTIONS, Capture.EXPLAIN, new Capture(true, true, true))) {
                EncoderOutput captured = model.forward(batch, capture);
                assertArrayEquals(plain.lastHidden(), captured.lastHidden(), capture.toString());
                assertArrayEquals(plain.pooler(), captured.pooler(), capture.toString());
                assertTrue(captured.attentions() != null && captured.attentions().length == model.config().numHiddenLayers());
            }
            assertArrayEquals(model.pool(plain), model.pool(model.forward(batch, Capture.EXPLAIN)));
        }
    }

    private DecoderOutput run(CausalLM lm, List<int[]> sequences, boolean capture) {
        List<KvCache.Slot> slots = new ArrayList<>();
        try {
            for (int[] s : sequences) {
                slots.add(lm.cache().open(s.length));
            }
            return lm.decoder().forward(DecoderBatch.of(sequences), slots, Logits.ALL, capture);
        } finally {
            slots.forEach(KvCache.Slot::close);
        }
    }

    @Test
    void aDecoderBatchCostsItsRealTokensAndCaptureChangesNoLogitBit() {
        for (String golden : List.of("llama", "gpt2")) {
            Path folder = RandomCheckpoint.write(RandomCheckpoint.golden(golden), dir.resolve(golden));
            try (CausalLM lm = CausalLM.from(ModelResolver.resolve(folder.toString()))) {
                List<int[]> sequences = List.of(new int[] {1, 2, 3, 4, 5}, new int[] {7}, new int[] {3, 3, 2, 9, 4, 1, 8, 6, 5});
                KernelWork.Counted<DecoderOutput> batch = KernelWork.count(() -> run(lm, sequences, false));
                KernelWork.Tally alone = new KernelWork.Tally(0, 0, 0);
                for (int[] s : sequences) {
                    alone = alone.plus(KernelWork.count(() -> run(lm, List.of(s), false)).work());
                }
                assertEquals(alone, batch.work(), golden + ": a batch costs the sum of its sequences alone");
                long squares = 1 + 25 + 81;
                int layers = lm.config().numLayers();
                assertEquals((long) layers * lm.config().numHeads() * squares, batch.work().attentionScores(), golden);

                DecoderOutput captured = run(lm, sequences, true);
                assertArrayEquals(batch.result().logits(), captured.logits(), golden + ": capture changes no logit bit");
            }
        }
    }
}
