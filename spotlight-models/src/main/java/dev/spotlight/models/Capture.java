package dev.spotlight.models;

/**
 * What a forward pass should keep beyond the last hidden state. Each costs only when asked:
 * attention probabilities are written by the fused attention kernel itself, value vectors need one
 * extra small product per layer.
 *
 * @param hiddenStates  the embeddings output and every layer's output
 * @param attentions    softmax probabilities per layer, per head
 * @param valueVectors  per layer, head and token f_h(x_j) = (x_j W_v^h + b_v^h) W_o^h, the vector a
 *                      head adds to the residual stream per unit of attention (Kobayashi et al. 2020)
 */
public record Capture(boolean hiddenStates, boolean attentions, boolean valueVectors) {
    public static final Capture NONE = new Capture(false, false, false);
    public static final Capture ATTENTIONS = new Capture(false, true, false);
    public static final Capture EXPLAIN = new Capture(false, true, true);
}
