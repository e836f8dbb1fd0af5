package dev.spotlight.cli;

import dev.spotlight.explain.AttentionPattern;
import dev.spotlight.explain.BatchCapture;
import dev.spotlight.explain.PaddingSide;
import dev.spotlight.explain.SequenceCapture;
import dev.spotlight.models.CausalLM;
import dev.spotlight.models.config.DecoderConfig;
import dev.spotlight.tokenizers.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * A generation run as explain's capture types: each prompt with its generated tokens, laid out as the
 * rectangle Hugging Face's {@code generate} returns (prompts left-padded to the longest, a row that
 * finished early padded after its last token), and the square causal attention over its real tokens.
 */
final class DecoderCaptureConversion {
    private DecoderCaptureConversion() {
    }

    static BatchCapture of(CausalLM model, List<String> prompts, List<CausalLM.Generation> generations) {
        int width = generations.stream().mapToInt(g -> g.result().promptIds().length).max().orElse(0);
        int steps = generations.stream().mapToInt(g -> g.result().generatedIds().length).max().orElse(0);
        AttentionPattern pattern = pattern(model.config());
        List<SequenceCapture> sequences = new ArrayList<>();
        for (int s = 0; s < generations.size(); s++) {
            CausalLM.Generation g = generations.get(s);
            int[] prompt = g.result().promptIds();
            int[] generated = g.result().generatedIds();
            int n = prompt.length + generated.length;
            List<String> tokens = new ArrayList<>(n);
            boolean[] special = new boolean[n];
            Tokenizer tokenizer = model.tokenizer();
            for (int i = 0; i < n; i++) {
                int id = i < prompt.length ? prompt[i] : generated[i - prompt.length];
                String token = tokenizer.idToToken(id).orElse("<" + id + ">");
                tokens.add(token);
                special[i] = tokenizer.addedVocabulary().isSpecial(token);
            }
            int[] mask = new int[width + steps];  // [left pads][prompt][generated][pads after an early finish]
            for (int i = width - prompt.length; i < width + generated.length; i++) {
                mask[i] = 1;
            }
            sequences.add(new SequenceCapture(prompts.get(s) + " ⟶ " + g.result().text(), tokens, special, mask,
                    square(g.attentions(), model.config().numHeads(), n), null, pattern, prompt.length));
        }
        return new BatchCapture(model.name(), PaddingSide.LEFT, sequences);
    }

    /** Causal, or a sliding window when every layer has the same one (else causal: a wider window is still causal). */
    private static AttentionPattern pattern(DecoderConfig config) {
        int window = config.slidingWindows().getFirst();
        boolean same = config.slidingWindows().stream().allMatch(w -> w == window);
        return same && window > 0 ? AttentionPattern.slidingWindow(window) : AttentionPattern.causal();
    }

    /** [layer] → [heads, n, n] as [layer][head][query][key]. */
    private static float[][][][] square(float[][] flat, int heads, int n) {
        float[][][][] out = new float[flat.length][heads][n][n];
        for (int l = 0; l < flat.length; l++) {
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < n; i++) {
                    System.arraycopy(flat[l], (h * n + i) * n, out[l][h][i], 0, n);
                }
            }
        }
        return out;
    }
}
