package dev.spotlight.tensor.kernels;

/** An additive term on the attention scores (after scaling), e.g. ALiBi or a relative position bias. */
@FunctionalInterface
public interface AttentionBias {
    float bias(int sequence, int head, int query, int key);
}
