package dev.spotlight.explain;

/**
 * The dimensions of a per-sequence attention capture {@code [layers][heads][tokens][tokens]}, found by
 * validating that the array is rectangular. Every algorithm starts here so a ragged array fails with
 * a message naming the index instead of an {@link ArrayIndexOutOfBoundsException} deep inside a loop.
 */
public record AttentionShape(int layers, int heads, int tokens) {

    public AttentionShape {
        if (layers < 1 || heads < 1 || tokens < 1) {
            throw new ExplainException("attention shape [" + layers + ", " + heads + ", " + tokens + ", "
                    + tokens + "]: every dimension must be at least 1");
        }
    }

    /** Validates {@code attention} ({@code [layer][head][query][key]}) and returns its shape. */
    public static AttentionShape of(float[][][][] attention) {
        if (attention == null || attention.length == 0) {
            throw new ExplainException("attention: expected [layers][heads][tokens][tokens] with at least one layer, got "
                    + (attention == null ? "null" : "0 layers"));
        }
        float[][][] first = attention[0];
        if (first == null || first.length == 0 || first[0] == null || first[0].length == 0) {
            throw new ExplainException("attention[0]: expected at least one head with at least one token");
        }
        AttentionShape shape = new AttentionShape(attention.length, first.length, first[0].length);
        for (int l = 0; l < shape.layers; l++) {
            if (attention[l] == null || attention[l].length != shape.heads) {
                throw new ExplainException("attention[" + l + "]: expected " + shape.heads + " heads, got "
                        + (attention[l] == null ? "null" : attention[l].length));
            }
            for (int h = 0; h < shape.heads; h++) {
                float[][] m = attention[l][h];
                if (m == null || m.length != shape.tokens) {
                    throw new ExplainException("attention[" + l + "][" + h + "]: expected " + shape.tokens
                            + " query rows, got " + (m == null ? "null" : m.length));
                }
                for (int i = 0; i < shape.tokens; i++) {
                    if (m[i] == null || m[i].length != shape.tokens) {
                        throw new ExplainException("attention[" + l + "][" + h + "][" + i + "]: expected "
                                + shape.tokens + " keys, got " + (m[i] == null ? "null" : m[i].length));
                    }
                    for (int j = 0; j < shape.tokens; j++) {
                        float p = m[i][j];
                        // A probability outside [0, 1] (or NaN) means the capture is wrong upstream;
                        // every explanation would silently inherit it.
                        if (!(p >= 0f && p <= 1.0001f)) {
                            throw new ExplainException("attention[" + l + "][" + h + "][" + i + "][" + j
                                    + "] = " + p + ": expected a probability in [0, 1]");
                        }
                    }
                }
            }
        }
        return shape;
    }
}
