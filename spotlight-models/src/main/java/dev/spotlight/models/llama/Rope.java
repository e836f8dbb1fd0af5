package dev.spotlight.models.llama;

import dev.spotlight.models.config.DecoderConfig;
import dev.spotlight.models.config.RopeScaling;

/**
 * Rotary position embeddings (Su et al. 2021) in the {@code rotate_half} layout of Hugging Face's
 * Llama: dimension i of a head is paired with i + headDim/2 and rotated by position · invFreq[i].
 * The inverse frequencies and angles are computed in float as transformers computes them, so the
 * rotations match its float32 {@code cos}/{@code sin} tables.
 */
final class Rope {
    private final float[] invFreq; // [headDim / 2]
    private final int half;

    Rope(DecoderConfig config) {
        this.invFreq = inverseFrequencies(config.headDim(), config.ropeTheta(), config.ropeScaling());
        this.half = config.headDim() / 2;
    }

    /**
     * θ^(−2i/d) for i in [0, d/2) in float, then the rope_scaling rule: {@code linear} divides every
     * frequency by the factor; {@code llama3} divides those whose wavelength exceeds
     * original_max_position_embeddings / low_freq_factor, keeps those shorter than
     * original_max_position_embeddings / high_freq_factor, and blends linearly between.
     */
    static float[] inverseFrequencies(int headDim, double theta, RopeScaling scaling) {
        int half = headDim / 2;
        float[] inv = new float[half];
        for (int i = 0; i < half; i++) {
            float exponent = (float) (2 * i) / headDim;
            inv[i] = 1f / (float) Math.pow((float) theta, exponent);
        }
        if (scaling == null) {
            return inv;
        }
        float factor = (float) scaling.factor();
        if (scaling.type().equals(RopeScaling.LINEAR)) {
            for (int i = 0; i < half; i++) {
                inv[i] /= factor;
            }
            return inv;
        }
        float low = (float) scaling.lowFreqFactor();
        float high = (float) scaling.highFreqFactor();
        float oldContext = scaling.originalMaxPositions();
        float lowFreqWavelen = oldContext / low;
        float highFreqWavelen = oldContext / high;
        for (int i = 0; i < half; i++) {
            float wavelen = (float) (2 * Math.PI) / inv[i];
            float scaled = wavelen > lowFreqWavelen ? inv[i] / factor : inv[i];
            if (!(wavelen < highFreqWavelen) && !(wavelen > lowFreqWavelen)) {
                float smooth = (oldContext / wavelen - low) / (high - low);
                scaled = (1 - smooth) * scaled / factor + smooth * scaled;
            }
            inv[i] = scaled;
        }
        return inv;
    }

    /** cos and sin of every token's angles: {@code [tokens, headDim/2]} each. */
    Tables tables(int[] positions) {
        float[] cos = new float[positions.length * half];
        float[] sin = new float[positions.length * half];
        for (int t = 0; t < positions.length; t++) {
            float p = positions[t];
            for (int i = 0; i < half; i++) {
                float angle = p * invFreq[i];
                cos[t * half + i] = (float) Math.cos(angle);
                sin[t * half + i] = (float) Math.sin(angle);
            }
        }
        return new Tables(cos, sin);
    }

    /**
     * Rotates every row of x, head-major [heads, tokens, headDim], by its token's angles:
     * x' = x·cos + rotate_half(x)·sin, rotate_half(x) = [−x₂, x₁].
     */
    void apply(float[] x, int heads, int tokens, Tables t) {
        int headDim = 2 * half;
        for (int h = 0; h < heads; h++) {
            for (int token = 0; token < tokens; token++) {
                int at = (h * tokens + token) * headDim;
                int angles = token * half;
                for (int i = 0; i < half; i++) {
                    float x1 = x[at + i];
                    float x2 = x[at + half + i];
                    float c = t.cos[angles + i];
                    float s = t.sin[angles + i];
                    x[at + i] = x1 * c - x2 * s;
                    x[at + half + i] = x2 * c + x1 * s;
                }
            }
        }
    }

    /** @param cos [tokens, headDim/2] @param sin [tokens, headDim/2] */
    record Tables(float[] cos, float[] sin) {
    }
}
