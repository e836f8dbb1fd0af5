package dev.spotlight.models.bert;

import dev.spotlight.models.config.ModelConfig;
import dev.spotlight.tensor.kernels.Erf;
import dev.spotlight.models.weights.TensorData;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A small random checkpoint of any BERT-family member, named the way transformers saves it, plus
 * a direct double-precision forward pass over the same numbers: the reference for the families
 * no ONNX export ships for (RoBERTa, DistilBERT) and for error cases.
 */
final class TinyCheckpoint {
    static final int VOCAB = 23;
    static final int HIDDEN = 8;
    static final int HEADS = 2;
    static final int INNER = 16;
    static final int LAYERS = 2;
    static final int POSITIONS = 40;
    static final int PAD = 1;

    final ModelConfig config;
    final Map<String, float[]> values = new LinkedHashMap<>();
    final Map<String, long[]> shapes = new LinkedHashMap<>();
    private final BertFamily family;

    TinyCheckpoint(String modelType, long seed) {
        this.config = new ModelConfig(modelType, VOCAB, HIDDEN, LAYERS, HEADS, INNER, "gelu", 1e-12, POSITIONS,
                modelType.equals("distilbert") ? 0 : 2, PAD, "absolute", List.of(), Map.of());
        this.family = BertFamily.of(config, "tiny");
        Random random = new Random(seed);
        String p = family == BertFamily.DISTILBERT ? "distilbert." : "";
        put(random, p + "embeddings.word_embeddings.weight", VOCAB, HIDDEN);
        put(random, p + "embeddings.position_embeddings.weight", POSITIONS, HIDDEN);
        if (family.hasTokenTypes()) {
            put(random, p + "embeddings.token_type_embeddings.weight", 2, HIDDEN);
        }
        norm(random, p + "embeddings.LayerNorm");
        for (int l = 0; l < LAYERS; l++) {
            BertFamily.LayerNames n = family.layer(l);
            linear(random, p + n.query(), HIDDEN, HIDDEN);
            linear(random, p + n.key(), HIDDEN, HIDDEN);
            linear(random, p + n.value(), HIDDEN, HIDDEN);
            linear(random, p + n.attentionOutput(), HIDDEN, HIDDEN);
            norm(random, p + n.attentionNorm());
            linear(random, p + n.intermediate(), INNER, HIDDEN);
            linear(random, p + n.output(), HIDDEN, INNER);
            norm(random, p + n.outputNorm());
        }
    }

    Map<String, TensorData> tensors() {
        Map<String, TensorData> out = new LinkedHashMap<>();
        values.forEach((name, v) -> out.put(name, TensorData.f32(v, shapes.get(name))));
        return out;
    }

    /** Last hidden state of one sequence, [len, hidden], computed directly in double. */
    double[][] reference(int[] ids, int[] types) {
        String p = family == BertFamily.DISTILBERT ? "distilbert." : "";
        int len = ids.length;
        double[][] x = new double[len][HIDDEN];
        for (int t = 0; t < len; t++) {
            int position = family.position(t, config);
            for (int d = 0; d < HIDDEN; d++) {
                x[t][d] = values.get(p + "embeddings.word_embeddings.weight")[ids[t] * HIDDEN + d]
                        + values.get(p + "embeddings.position_embeddings.weight")[position * HIDDEN + d]
                        + (family.hasTokenTypes() ? values.get(p + "embeddings.token_type_embeddings.weight")[types[t] * HIDDEN + d] : 0);
            }
        }
        x = layerNorm(x, p + "embeddings.LayerNorm");
        int headDim = HIDDEN / HEADS;
        for (int l = 0; l < LAYERS; l++) {
            BertFamily.LayerNames n = family.layer(l);
            double[][] q = linear(x, p + n.query());
            double[][] k = linear(x, p + n.key());
            double[][] v = linear(x, p + n.value());
            double[][] context = new double[len][HIDDEN];
            for (int h = 0; h < HEADS; h++) {
                for (int i = 0; i < len; i++) {
                    double[] scores = new double[len];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < len; j++) {
                        double s = 0;
                        for (int d = 0; d < headDim; d++) {
                            s += q[i][h * headDim + d] * k[j][h * headDim + d];
                        }
                        scores[j] = s / Math.sqrt(headDim);
                        max = Math.max(max, scores[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < len; j++) {
                        scores[j] = Math.exp(scores[j] - max);
                        sum += scores[j];
                    }
                    for (int j = 0; j < len; j++) {
                        for (int d = 0; d < headDim; d++) {
                            context[i][h * headDim + d] += scores[j] / sum * v[j][h * headDim + d];
                        }
                    }
                }
            }
            double[][] h1 = add(linear(context, p + n.attentionOutput()), x);
            h1 = layerNorm(h1, p + n.attentionNorm());
            double[][] inner = linear(h1, p + n.intermediate());
            for (double[] row : inner) {
                for (int d = 0; d < row.length; d++) {
                    row[d] = 0.5 * row[d] * (1 + Erf.erf(row[d] / Math.sqrt(2)));
                }
            }
            x = layerNorm(add(linear(inner, p + n.output()), h1), p + n.outputNorm());
        }
        return x;
    }

    private double[][] linear(double[][] x, String module) {
        float[] w = values.get(module + ".weight");
        float[] b = values.get(module + ".bias");
        int out = b.length;
        int in = x[0].length;
        double[][] y = new double[x.length][out];
        for (int t = 0; t < x.length; t++) {
            for (int o = 0; o < out; o++) {
                double s = b[o];
                for (int i = 0; i < in; i++) {
                    s += x[t][i] * w[o * in + i];
                }
                y[t][o] = s;
            }
        }
        return y;
    }

    private double[][] layerNorm(double[][] x, String module) {
        float[] gamma = values.get(module + ".weight");
        float[] beta = values.get(module + ".bias");
        double[][] y = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            double mean = 0;
            for (double v : x[t]) {
                mean += v;
            }
            mean /= x[t].length;
            double var = 0;
            for (double v : x[t]) {
                var += (v - mean) * (v - mean);
            }
            var /= x[t].length;
            y[t] = new double[x[t].length];
            for (int d = 0; d < x[t].length; d++) {
                y[t][d] = (x[t][d] - mean) / Math.sqrt(var + config.layerNormEps()) * gamma[d] + beta[d];
            }
        }
        return y;
    }

    private static double[][] add(double[][] a, double[][] b) {
        double[][] y = new double[a.length][a[0].length];
        for (int t = 0; t < a.length; t++) {
            for (int d = 0; d < a[0].length; d++) {
                y[t][d] = a[t][d] + b[t][d];
            }
        }
        return y;
    }

    private void put(Random random, String name, long... shape) {
        int size = 1;
        for (long s : shape) {
            size *= (int) s;
        }
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) (random.nextGaussian() * 0.5);
        }
        values.put(name, v);
        shapes.put(name, shape);
    }

    private void linear(Random random, String module, int out, int in) {
        put(random, module + ".weight", out, in);
        put(random, module + ".bias", out);
    }

    private void norm(Random random, String module) {
        put(random, module + ".weight", HIDDEN);
        put(random, module + ".bias", HIDDEN);
        float[] gamma = values.get(module + ".weight");
        for (int i = 0; i < gamma.length; i++) {
            gamma[i] += 1;
        }
    }
}
