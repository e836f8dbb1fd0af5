package dev.spotlight.models.decoder;

import java.util.Set;

/** Argmax (first maximum on ties, as torch.argmax) until one of {@code stopIds} or {@code maxNew} tokens. */
record Greedy(int maxNew, Set<Integer> stopIds) implements Generator.Policy {

    @Override
    public int choose(float[] logits, int[] tokens) {
        int best = 0;
        for (int j = 1; j < logits.length; j++) {
            if (logits[j] > logits[best]) {
                best = j;
            }
        }
        return best;
    }

    @Override
    public boolean finished(int[] tokens, int generated) {
        return stopIds.contains(tokens[tokens.length - 1]);
    }

    @Override
    public int maxNewTokens() {
        return maxNew;
    }
}
