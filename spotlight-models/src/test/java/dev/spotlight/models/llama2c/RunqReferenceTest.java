package dev.spotlight.models.llama2c;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotlight.tensor.kernels.Q8Gemm;
import dev.spotlight.tensor.kernels.Q8Matrix;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * llama2.c runq.c's forward pass and greedy loop, transcribed statement by statement in plain Java
 * (one sequence, a KV cache, float arithmetic in source order, no FMA), on stories260K_q8.bin read by
 * {@link Llama2cCheckpoint#quantized} and multiplied by {@link Q8Gemm}: it reproduces
 * goldens/runq-greedy.json, proving the reader and the int8 kernel end to end, independently of the
 * engine. Where runq calls glibc's {@code expf}/{@code cosf}/{@code sinf}, this uses StrictMath in
 * double rounded to float, which the fixture's README measured to keep at least each case's
 * {@code robust_prefix_len} (it differs from glibc in the last bit for ~1% of the RoPE angles).
 */
class RunqReferenceTest {

    @Test
    void greedyGenerationReproducesRunqUpToEachRobustPrefix() throws IOException {
        JsonNode golden = new ObjectMapper().readTree(Stories260K.file("goldens/runq-greedy.json").toFile());
        try (Llama2cCheckpoint checkpoint = Llama2cCheckpoint.open(Stories260K.file("llama2c/stories260K_q8.bin"))) {
            Runq runq = new Runq(checkpoint);
            for (JsonNode c : golden.get("cases")) {
                int[] prompt = ints(c.get("prompt_ids"));
                int[] expected = ints(c.get("generated_ids"));
                int robust = c.get("robust_prefix_len").asInt();
                int[] generated = runq.generate(prompt, c.get("steps").asInt());
                assertEquals(expected.length, generated.length, c.get("name").asText());
                assertArrayEquals(Arrays.copyOf(expected, robust), Arrays.copyOf(generated, robust),
                        c.get("name").asText() + ": the first " + robust + " generated ids");
                System.out.println("runq reference, " + c.get("name").asText() + ": equal for "
                        + equalPrefix(expected, generated) + " of " + expected.length + " ids (robust prefix " + robust + ")");
            }
        }
    }

    /** run.c's state and forward(), with runq.c's quantize-before-every-matmul. */
    static final class Runq {
        private final Llama2cConfig p;
        private final int dim;
        private final int hidden;
        private final int kvDim;
        private final int headSize;
        private final float[] tokenEmbedding;  // [vocab, dim], dequantized as runq.c does at load
        private final float[][] rmsAtt;
        private final float[][] rmsFfn;
        private final float[] rmsFinal;
        private final Q8Matrix[] wq;
        private final Q8Matrix[] wk;
        private final Q8Matrix[] wv;
        private final Q8Matrix[] wo;
        private final Q8Matrix[] w1;
        private final Q8Matrix[] w2;
        private final Q8Matrix[] w3;
        private final Q8Matrix wcls;
        private final float[][] keyCache;    // [layer][seq_len * kv_dim]
        private final float[][] valueCache;  // [layer][seq_len * kv_dim]

        Runq(Llama2cCheckpoint c) {
            p = c.config();
            dim = p.dim();
            hidden = p.hiddenDim();
            kvDim = p.kvDim();
            headSize = p.headSize();
            int layers = p.nLayers();
            tokenEmbedding = c.weights().floats("model.embed_tokens.weight");
            rmsFinal = c.weights().floats("model.norm.weight");
            rmsAtt = new float[layers][];
            rmsFfn = new float[layers][];
            wq = new Q8Matrix[layers];
            wk = new Q8Matrix[layers];
            wv = new Q8Matrix[layers];
            wo = new Q8Matrix[layers];
            w1 = new Q8Matrix[layers];
            w2 = new Q8Matrix[layers];
            w3 = new Q8Matrix[layers];
            for (int l = 0; l < layers; l++) {
                String at = "model.layers." + l + ".";
                rmsAtt[l] = c.weights().floats(at + "input_layernorm.weight");
                rmsFfn[l] = c.weights().floats(at + "post_attention_layernorm.weight");
                // back to llama2.c's interleaved row order, so q·k sums run in runq.c's order
                wq[l] = interleaved(q8(c, at + "self_attn.q_proj.weight"), p.nHeads());
                wk[l] = interleaved(q8(c, at + "self_attn.k_proj.weight"), p.nKvHeads());
                wv[l] = q8(c, at + "self_attn.v_proj.weight");
                wo[l] = q8(c, at + "self_attn.o_proj.weight");
                w1[l] = q8(c, at + "mlp.gate_proj.weight");
                w2[l] = q8(c, at + "mlp.down_proj.weight");
                w3[l] = q8(c, at + "mlp.up_proj.weight");
            }
            wcls = q8(c, "model.embed_tokens.weight");  // shared_classifier: runq.c's wcls = q_tokens
            keyCache = new float[layers][p.seqLen() * kvDim];
            valueCache = new float[layers][p.seqLen() * kvDim];
        }

        /** run.c's generate() at temperature 0: the prompt is forced, then argmax until {@code steps} positions or BOS. */
        int[] generate(int[] prompt, int steps) {
            List<Integer> out = new ArrayList<>();
            int token = prompt[0];
            int pos = 0;
            while (pos < steps) {
                float[] logits = forward(token, pos);
                int next = pos < prompt.length - 1 ? prompt[pos + 1] : argmax(logits);
                if (pos >= prompt.length - 1) {
                    out.add(next);
                }
                pos++;
                if (next == 1) {
                    break;
                }
                token = next;
            }
            return out.stream().mapToInt(Integer::intValue).toArray();
        }

        float[] forward(int token, int pos) {
            int kvMul = p.nHeads() / p.nKvHeads();
            float[] x = Arrays.copyOfRange(tokenEmbedding, token * dim, (token + 1) * dim);
            float[] xb = new float[dim];
            float[] xb2 = new float[dim];
            float[] hb = new float[hidden];
            float[] hb2 = new float[hidden];
            float[] q = new float[dim];
            float[] k = new float[kvDim];
            float[] v = new float[kvDim];
            float[] att = new float[pos + 1];
            for (int l = 0; l < p.nLayers(); l++) {
                rmsnorm(xb, x, rmsAtt[l]);
                Q8Gemm.matmul(xb, 1, wq[l], q);
                Q8Gemm.matmul(xb, 1, wk[l], k);
                Q8Gemm.matmul(xb, 1, wv[l], v);
                for (int i = 0; i < dim; i += 2) {
                    int headDim = i % headSize;
                    float freq = 1.0f / (float) StrictMath.pow(10000.0f, headDim / (float) headSize);
                    float val = pos * freq;
                    float fcr = (float) StrictMath.cos(val);
                    float fci = (float) StrictMath.sin(val);
                    int rotn = i < kvDim ? 2 : 1;
                    for (int r = 0; r < rotn; r++) {
                        float[] vec = r == 0 ? q : k;
                        float v0 = vec[i];
                        float v1 = vec[i + 1];
                        vec[i] = v0 * fcr - v1 * fci;
                        vec[i + 1] = v0 * fci + v1 * fcr;
                    }
                }
                System.arraycopy(k, 0, keyCache[l], pos * kvDim, kvDim);
                System.arraycopy(v, 0, valueCache[l], pos * kvDim, kvDim);
                for (int h = 0; h < p.nHeads(); h++) {
                    int qOff = h * headSize;
                    for (int t = 0; t <= pos; t++) {
                        int kOff = t * kvDim + (h / kvMul) * headSize;
                        float score = 0.0f;
                        for (int i = 0; i < headSize; i++) {
                            score += q[qOff + i] * keyCache[l][kOff + i];
                        }
                        score /= (float) Math.sqrt(headSize);
                        att[t] = score;
                    }
                    softmax(att, pos + 1);
                    Arrays.fill(xb, qOff, qOff + headSize, 0.0f);
                    for (int t = 0; t <= pos; t++) {
                        int vOff = t * kvDim + (h / kvMul) * headSize;
                        float a = att[t];
                        for (int i = 0; i < headSize; i++) {
                            xb[qOff + i] += a * valueCache[l][vOff + i];
                        }
                    }
                }
                Q8Gemm.matmul(xb, 1, wo[l], xb2);
                for (int i = 0; i < dim; i++) {
                    x[i] += xb2[i];
                }
                rmsnorm(xb, x, rmsFfn[l]);
                Q8Gemm.matmul(xb, 1, w1[l], hb);
                Q8Gemm.matmul(xb, 1, w3[l], hb2);
                for (int i = 0; i < hidden; i++) {
                    float val = hb[i];
                    val *= (1.0f / (1.0f + (float) StrictMath.exp(-val)));
                    val *= hb2[i];
                    hb[i] = val;
                }
                Q8Gemm.matmul(hb, 1, w2[l], xb);
                for (int i = 0; i < dim; i++) {
                    x[i] += xb[i];
                }
            }
            rmsnorm(x, x, rmsFinal);
            float[] logits = new float[p.vocabSize()];
            Q8Gemm.matmul(x, 1, wcls, logits);
            return logits;
        }

        private static void rmsnorm(float[] o, float[] x, float[] weight) {
            float ss = 0.0f;
            for (float v : x) {
                ss += v * v;
            }
            ss /= x.length;
            ss += 1e-5f;
            ss = 1.0f / (float) Math.sqrt(ss);
            for (int j = 0; j < x.length; j++) {
                o[j] = weight[j] * (ss * x[j]);
            }
        }

        private static void softmax(float[] x, int size) {
            float max = x[0];
            for (int i = 1; i < size; i++) {
                if (x[i] > max) {
                    max = x[i];
                }
            }
            float sum = 0.0f;
            for (int i = 0; i < size; i++) {
                x[i] = (float) StrictMath.exp(x[i] - max);
                sum += x[i];
            }
            for (int i = 0; i < size; i++) {
                x[i] /= sum;
            }
        }

        /** run.c's sample_argmax: the first index of the largest value. */
        private static int argmax(float[] v) {
            int best = 0;
            for (int i = 1; i < v.length; i++) {
                if (v[i] > v[best]) {
                    best = i;
                }
            }
            return best;
        }

        private static Q8Matrix q8(Llama2cCheckpoint c, String name) {
            return c.quantized(name).orElseThrow(() -> new AssertionError(name + " is not quantized"));
        }

        /**
         * Undoes the HF permutation, written here from the README's rule rather than taken from the
         * reader: llama2.c row {@code 2i} of a head is HF row {@code i}, row {@code 2i + 1} is HF row
         * {@code half + i}.
         */
        private static Q8Matrix interleaved(Q8Matrix hf, int heads) {
            int rows = hf.rows();
            int cols = hf.cols();
            int groups = cols / hf.groupSize();
            int headSize = rows / heads;
            int half = headSize / 2;
            byte[] hv = hf.values();
            float[] hs = hf.scales();
            byte[] values = new byte[hv.length];
            float[] scales = new float[hs.length];
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < half; i++) {
                    for (int parity = 0; parity < 2; parity++) {
                        int to = h * headSize + 2 * i + parity;
                        int from = h * headSize + parity * half + i;
                        System.arraycopy(hv, from * cols, values, to * cols, cols);
                        System.arraycopy(hs, from * groups, scales, to * groups, groups);
                    }
                }
            }
            return Q8Matrix.of(values, scales, rows, cols, hf.groupSize());
        }
    }

    private static int equalPrefix(int[] a, int[] b) {
        int n = 0;
        while (n < Math.min(a.length, b.length) && a[n] == b[n]) {
            n++;
        }
        return n;
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
