package dev.spotlight.models.decoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.spotlight.models.CausalLM;
import dev.spotlight.models.Spotlight;
import dev.spotlight.tensor.Parallel;
import dev.spotlight.tokenizers.Direction;
import dev.spotlight.tokenizers.EncodeOptions;
import dev.spotlight.tokenizers.Encoding;
import dev.spotlight.tokenizers.Padding;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A sequence's logits are bitwise the same however it is run: prefilled at once, decoded one token
 * at a time from the KV cache, prefilled in chunks, alone or in a batch of 8 mixed lengths, from a
 * left- or right-padded tokenizer batch, on 1 or 2 threads.
 */
class BatchInvarianceTest {
    private static final List<String> TEXTS = List.of("Once upon a time", "Lily and Tom went to the park to play",
            "The cat", "One day, a little bird named Zoë flew over the big green hill to find her mom.", "Tim",
            "She saw a big red ball in the garden and wanted to play with it, but it was too high.", "Hi!",
            "The sun was shining and the birds were singing.");
    private final int threadsBefore = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(threadsBefore);
    }

    @ParameterizedTest
    @ValueSource(strings = {"stories260K/hf", "makemore-names/hf"})
    void logitsAreBitwiseTheSameHoweverASequenceIsRun(String fixture) {
        String[] parts = fixture.split("/");
        try (CausalLM model = Spotlight.causalLM(SharedModels.require(parts[0]).resolve(parts[1]).toString())) {
            List<String> texts = fixture.startsWith("makemore")
                    ? List.of(".emma", ".k", ".olivia", ".christopher", ".x", ".ava", ".zz", ".sophia") : TEXTS;
            List<int[]> prompts = texts.stream().map(model::encode).toList();
            int vocab = model.config().vocabSize();
            Parallel.setThreads(1);
            List<float[]> alone = new ArrayList<>();
            for (int[] p : prompts) {
                alone.add(model.logits(List.of(p))[0]);
            }
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                float[][] batch = model.logits(prompts);
                for (int s = 0; s < prompts.size(); s++) {
                    assertArrayEquals(alone.get(s), batch[s], threads + " threads, batch of 8, sequence " + s);
                    assertArrayEquals(alone.get(s), oneTokenAtATime(model, prompts.get(s), vocab),
                            threads + " threads, KV cache decode, sequence " + s);
                    assertArrayEquals(alone.get(s), inChunks(model, prompts.get(s), 3, vocab),
                            threads + " threads, chunked prefill, sequence " + s);
                }
                for (Direction side : Direction.values()) {
                    List<Encoding> padded = model.tokenizer().encodeBatch(texts, new EncodeOptions(true,
                            Padding.batchLongest().withDirection(side), null));
                    List<int[]> real = padded.stream().map(DecoderBatch::realIds).toList();
                    float[][] fromPadded = model.logits(real);
                    for (int s = 0; s < prompts.size(); s++) {
                        assertArrayEquals(alone.get(s), fromPadded[s], threads + " threads, " + side + " padding, sequence " + s);
                    }
                }
            }
        }
    }

    /** The families without real weights, sliding windows and BF16/F16 storage among them. */
    @ParameterizedTest
    @ValueSource(strings = {"mistral_sliding_window", "qwen2_sliding_layers", "qwen3", "llama_bf16", "gpt2_bf16"})
    void randomCheckpointsAreBitwiseInvariantToo(String golden, @TempDir Path dir) {
        JsonNode g = RandomCheckpoint.golden(golden);
        RandomCheckpoint.write(g, dir);
        try (CausalLM model = Spotlight.causalLM(dir.toString())) {
            List<int[]> prompts = new ArrayList<>();
            for (JsonNode seq : g.get("sequences")) {
                prompts.add(new ObjectMapper().convertValue(seq.get("ids"), int[].class));
            }
            for (JsonNode greedy : g.get("greedy")) {
                prompts.add(new ObjectMapper().convertValue(greedy.get("prompt"), int[].class));
            }
            int vocab = model.config().vocabSize();
            Parallel.setThreads(1);
            List<float[]> alone = new ArrayList<>();
            for (int[] p : prompts) {
                alone.add(model.logits(List.of(p))[0]);
            }
            Parallel.setThreads(2);
            float[][] batch = model.logits(prompts);
            for (int s = 0; s < prompts.size(); s++) {
                assertArrayEquals(alone.get(s), batch[s], golden + ": batch, sequence " + s);
                assertArrayEquals(alone.get(s), oneTokenAtATime(model, prompts.get(s), vocab), golden + ": KV cache, sequence " + s);
                assertArrayEquals(alone.get(s), inChunks(model, prompts.get(s), 4, vocab), golden + ": chunks, sequence " + s);
            }
        }
    }

    /** Prefill of the first token, then one decode step per token, each from the cache. */
    private static float[] oneTokenAtATime(CausalLM model, int[] ids, int vocab) {
        return inChunks(model, ids, 1, vocab);
    }

    private static float[] inChunks(CausalLM model, int[] ids, int chunk, int vocab) {
        float[] out = new float[ids.length * vocab];
        try (KvCache.Slot slot = model.cache().open(ids.length)) {
            for (int from = 0; from < ids.length; from += chunk) {
                int to = Math.min(ids.length, from + chunk);
                DecoderOutput o = model.decoder().forward(
                        DecoderBatch.continuing(List.of(Arrays.copyOfRange(ids, from, to)), new int[] {from}),
                        List.of(slot), Logits.ALL, false);
                System.arraycopy(o.logits(), 0, out, from * vocab, (to - from) * vocab);
            }
        }
        return out;
    }
}
