package dev.spotlight.models.bert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotlight.models.Capture;
import dev.spotlight.models.EncoderModel;
import dev.spotlight.models.EncoderOutput;
import dev.spotlight.models.PackedBatch;
import dev.spotlight.models.hub.BuiltinModel;
import dev.spotlight.models.hub.ModelResolver;
import dev.spotlight.models.pooling.SentencePooling;
import dev.spotlight.tokenizers.Direction;
import dev.spotlight.tokenizers.EncodeOptions;
import dev.spotlight.tokenizers.Encoding;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every built-in model against ONNX Runtime running the same ONNX export. The reference runs each
 * sentence alone and unpadded; Spotlight runs them as one batch padded on the right and on the left.
 * (ONNX Runtime on a left-padded batch would number positions from the first pad, as transformers'
 * BertModel does; Spotlight numbers the real tokens, so a sentence's output does not depend on its padding.)
 */
class EncoderParityTest {
    private static final double HIDDEN_TOLERANCE = 1e-4;
    private static final double COSINE_FLOOR = 0.99999;

    private static final List<String> ENGLISH = List.of(
            "The cat sat on the mat because it was tired.",
            "Hi",
            "",
            "Attention is all you need: transformers replaced recurrence with self-attention, and since then "
                    + "almost every state-of-the-art model in language, vision and speech has been built from the same "
                    + "few blocks — embeddings, multi-head attention, feed-forward layers, residual connections and "
                    + "layer normalisation — stacked many times and trained on very large corpora.",
            "Ünïcödé, emoji 🎉 and numbers 3.14159 mixed in.",
            "query: how much protein should a female eat",
            "passage: As a general guideline, the CDC's average requirement of protein for women ages 19 to 70 is 46 grams per day.");
    private static final List<String> CHINESE = List.of(
            "猫坐在垫子上，因为它累了。",
            "你好",
            "样例数据-1",
            "北京是中华人民共和国的首都，也是全国的政治、文化、国际交往和科技创新中心。这座城市有三千多年的建城史。",
            "Transformer 模型 uses attention 机制。");

    @ParameterizedTest
    @EnumSource(BuiltinModel.class)
    void hiddenStatesAndEmbeddingsMatchOnnxRuntimeWithEitherPadding(BuiltinModel builtin) throws Exception {
        List<String> texts = builtin == BuiltinModel.BGE_SMALL_ZH_V1_5 ? CHINESE : ENGLISH;
        try (EncoderModel model = EncoderModel.from(ModelResolver.builtin(builtin));
             OnnxRuntimeReference ort = new OnnxRuntimeReference(builtin.onnxResource())) {
            int hidden = model.config().hiddenSize();
            for (Direction side : Direction.values()) {
                EncodeOptions options = model.options().withPadding(model.options().padding().withDirection(side));
                List<Encoding> encodings = model.tokenizer().encodeBatch(texts, options);
                EncoderOutput output = model.forward(encodings, Capture.ATTENTIONS);
                PackedBatch batch = output.batch();
                float[][] pooled = model.pool(output);
                for (int s = 0; s < texts.size(); s++) {
                    int first = batch.cuSeqLens()[s];
                    int len = batch.length(s);
                    int[] ids = java.util.Arrays.copyOfRange(batch.ids(), first, first + len);
                    int[] types = java.util.Arrays.copyOfRange(batch.typeIds(), first, first + len);
                    float[] expected = ort.lastHidden(ids, types);
                    float[] actual = output.sequence(s);
                    String where = builtin.id() + " " + side + " padding, text " + s;
                    assertEquals(expected.length, actual.length, where);
                    double maxDiff = 0;
                    for (int i = 0; i < expected.length; i++) {
                        maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
                    }
                    assertTrue(maxDiff <= HIDDEN_TOLERANCE, where + ": max |Δ| " + maxDiff + " > " + HIDDEN_TOLERANCE);

                    float[] reference = model.pooling().pool(expected, 0, len, hidden);
                    double cosine = SentencePooling.cosine(reference, pooled[s]);
                    assertTrue(cosine >= COSINE_FLOOR, where + ": pooled cosine " + cosine);

                    for (int layer = 0; layer < model.config().numHiddenLayers(); layer++) {
                        assertRowsAreDistributions(output.attention(layer, s), model.config().numAttentionHeads(), len,
                                where + " layer " + layer);
                    }
                }
            }
        }
    }

    static void assertRowsAreDistributions(float[] probabilities, int heads, int len, String where) {
        assertEquals(heads * len * len, probabilities.length, where);
        for (int row = 0; row < heads * len; row++) {
            double sum = 0;
            for (int k = 0; k < len; k++) {
                float p = probabilities[row * len + k];
                assertTrue(p >= 0 && p <= 1, where + ": probability " + p);
                sum += p;
            }
            assertEquals(1.0, sum, 1e-6, where + ": row " + row);
        }
    }
}
