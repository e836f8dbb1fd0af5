package dev.spotlight.models.decoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotlight.models.CausalLM;
import dev.spotlight.models.ModelException;
import dev.spotlight.models.ModelFormatException;
import dev.spotlight.models.Spotlight;
import dev.spotlight.models.generation.GenerationOptions;
import dev.spotlight.models.weights.Safetensors;
import dev.spotlight.models.weights.TensorData;
import dev.spotlight.models.weights.Weights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad input to a decoder is one clear error naming what is wrong, before any work or allocation. */
class DecoderBadInputTest {

    /** A copy of stories260K's Hugging Face folder to damage. */
    private static Path copy(Path into) throws IOException {
        Path hf = SharedModels.require("stories260K").resolve("hf");
        try (var files = Files.list(hf)) {
            for (Path f : files.toList()) {
                Files.copy(f, into.resolve(f.getFileName()));
            }
        }
        return into;
    }

    @Test
    void aPromptLongerThanTheContextIsRefusedBeforeItRuns() {
        try (CausalLM model = Spotlight.causalLM(SharedModels.require("stories260K").resolve("hf").toString())) {
            int[] tooLong = new int[512];
            Arrays.fill(tooLong, 1);
            ModelException e = assertThrows(ModelException.class,
                    () -> model.generate(List.of(tooLong), List.of(new Greedy(4, Set.of())), false, null));
            assertEquals("prompt 0 has 512 tokens, but the model's context is 512 (max_position_embeddings), with room for"
                    + " none to generate: shorten it", e.getMessage());
            int[] overflows = new int[513];
            ModelException scoring = assertThrows(ModelException.class, () -> model.logits(List.of(overflows)));
            assertTrue(scoring.getMessage().contains("513 positions"), scoring.getMessage());
            ModelException empty = assertThrows(ModelException.class,
                    () -> model.generate(List.of(new int[0]), List.of(new Greedy(4, Set.of())), false, null));
            assertEquals("prompt 0 has no tokens: a decoder needs at least one (e.g. its BOS token)", empty.getMessage());
        }
    }

    @Test
    void aTokenOutsideTheVocabularyIsNamed() {
        try (CausalLM model = Spotlight.causalLM(SharedModels.require("stories260K").resolve("hf").toString())) {
            ModelException e = assertThrows(ModelException.class, () -> model.logits(List.of(new int[] {1, 600})));
            assertEquals("token id 600 (sequence 0) is outside the vocabulary of 512", e.getMessage());
        }
    }

    @Test
    void aKvCacheThatWouldNotFitIsRefusedUpFrontWithItsSize() {
        try (CausalLM model = Spotlight.causalLM(SharedModels.require("stories260K").resolve("hf").toString())) {
            KvCache small = model.decoder().newCache(100_000);  // 1,280 bytes per position: room for 78
            Generator generator = new Generator(model.decoder(), small);
            List<int[]> prompts = List.of(model.encode("Once upon a time"), model.encode("Lily"));
            ModelException e = assertThrows(ModelException.class, () -> generator.run(prompts,
                    List.of(new Greedy(100, Set.of()), new Greedy(100, Set.of())), false, null));
            assertTrue(e.getMessage().startsWith("the KV cache for 2 sequence(s) of up to"), e.getMessage());
            assertTrue(e.getMessage().contains("1280 bytes per position"), e.getMessage());
            assertEquals(0, small.reservedBytes(), "nothing stays reserved after the refusal");
        }
    }

    @Test
    void aModelWithASmallerCacheBudgetSharesTheWeightsAndRefusesANonPositiveBudget() {
        try (CausalLM model = Spotlight.causalLM(SharedModels.require("stories260K").resolve("hf").toString())) {
            CausalLM small = model.withCacheBudget(100_000);
            assertEquals(100_000, small.cache().budgetBytes());
            assertTrue(small.decoder() == model.decoder(), "the same weights");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.withCacheBudget(0));
            assertEquals("a KV cache budget of 0 bytes: expected at least 1", e.getMessage());
        }
    }

    @Test
    void aTruncatedWeightsFileNamesTheFile(@TempDir Path dir) throws IOException {
        copy(dir);
        Path weights = dir.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        Files.write(weights, Arrays.copyOf(bytes, bytes.length - 1000));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Spotlight.causalLM(dir.toString()));
        assertTrue(e.getMessage().startsWith(weights.toString()), e.getMessage());
    }

    @Test
    void aConfigThatDoesNotDescribeTheWeightsNamesTheTensor(@TempDir Path dir) throws IOException {
        copy(dir);
        Path config = dir.resolve("config.json");
        String original = Files.readString(config);
        Files.writeString(config, original.replace("\"intermediate_size\": 172", "\"intermediate_size\": 176"));
        ModelFormatException shape = assertThrows(ModelFormatException.class, () -> Spotlight.causalLM(dir.toString()));
        assertTrue(shape.getMessage().contains("model.layers.0.mlp.gate_proj.weight"), shape.getMessage());
        assertTrue(shape.getMessage().contains("172"), shape.getMessage());

        Files.writeString(config, original.replace("\"tie_word_embeddings\": true", "\"tie_word_embeddings\": false"));
        ModelFormatException head = assertThrows(ModelFormatException.class, () -> Spotlight.causalLM(dir.toString()));
        assertTrue(head.getMessage().endsWith("tensor lm_head.weight is missing, and config.json says tie_word_embeddings"
                + " is false (the classifier is not the embedding)"), head.getMessage());

        Files.writeString(config, original.replace("\"rope_scaling\": null", "\"rope_scaling\": {\"rope_type\": \"dynamic\", \"factor\": 2}"));
        ModelFormatException rope = assertThrows(ModelFormatException.class, () -> Spotlight.causalLM(dir.toString()));
        assertTrue(rope.getMessage().startsWith(config + ": rope_scaling: type \"dynamic\" is not supported"), rope.getMessage());
    }

    /**
     * Capturing attention keeps layers × heads × n² floats per sequence (twice while assembled), so a long
     * generation with capture is refused before it runs, with its size; at 100,002 tokens one layer's
     * matrices would also pass the largest Java array.
     */
    @Test
    void anAttentionCaptureThatWouldNotFitIsRefusedUpFrontWithItsSize(@TempDir Path dir) throws IOException {
        copy(dir);
        Path config = dir.resolve("config.json");
        Files.writeString(config, Files.readString(config).replace("\"max_position_embeddings\": 512",
                "\"max_position_embeddings\": 1000000"));   // RoPE has no table to outgrow
        try (CausalLM model = Spotlight.causalLM(dir.toString())) {
            KvCache roomy = model.decoder().newCache(1L << 50);   // the cache is not what fails here
            Generator generator = new Generator(model.decoder(), roomy);
            int[] prompt = model.encode("Once");
            ModelException e = assertThrows(ModelException.class,
                    () -> generator.run(List.of(prompt), List.of(new Greedy(100_000, Set.of())), true, null));
            int n = prompt.length + 100_000 + 1;
            assertTrue(e.getMessage().startsWith("capturing the attention of 1 sequence(s) of up to " + n + " tokens (prompt and"
                    + " new tokens) needs about "), e.getMessage());
            assertTrue(e.getMessage().contains("(5 layers × 8 heads × tokens² floats per sequence"), e.getMessage());
            assertTrue(e.getMessage().endsWith(" (and one layer's matrices would pass the largest Java array): generate fewer"
                    + " tokens or sequences with attention, or give the JVM more heap (-Xmx)"), e.getMessage());
            assertEquals(0, roomy.reservedBytes(), "nothing stays reserved after the refusal");
        }
    }

    /**
     * Finite weights can still drive an activation out of float32's range: here layer 1's input norm scales
     * by Float.MAX_VALUE, so its queries are infinite or NaN. The attention kernel would turn those rows into
     * zeros and generation would go on with garbage (greedy tokens from a model missing a layer); instead it
     * stops, naming the layer, the projection and the token.
     */
    @Test
    void activationsThatLeaveFloatRangeStopTheModelNamingLayerAndToken(@TempDir Path dir) throws IOException {
        copy(dir);
        fill(dir.resolve("model.safetensors"), "model.layers.1.input_layernorm.weight", Float.MAX_VALUE);
        try (CausalLM model = Spotlight.causalLM(dir.toString())) {
            ModelException e = assertThrows(ModelException.class,
                    () -> model.generate(List.of("Once upon a time"), GenerationOptions.greedy().withMaxNewTokens(5)));
            assertTrue(e.getMessage().startsWith("layer 1's query projection is "), e.getMessage());
            assertTrue(e.getMessage().endsWith(" at sequence 0, token 0: the activations left float32's range although every"
                    + " weight is finite (weights too large for this input), so every output after this point would be NaN"
                    + " or meaningless"), e.getMessage());
        }
        // the final norm: the logits are what overflows
        copy(Files.createDirectories(dir.resolve("head")));
        fill(dir.resolve("head/model.safetensors"), "model.norm.weight", Float.MAX_VALUE);
        try (CausalLM model = Spotlight.causalLM(dir.resolve("head").toString())) {
            ModelException e = assertThrows(ModelException.class, () -> model.logits(List.of(model.encode("Once"))));
            assertTrue(e.getMessage().startsWith("a logit is "), e.getMessage());
            assertTrue(e.getMessage().contains(" at sequence 0, token 0: "), e.getMessage());
        }
    }

    /** Rewrites a safetensors file with every value of one F32 tensor set to {@code value}. */
    private static void fill(Path file, String tensor, float value) {
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        try (Weights w = Safetensors.open(file)) {
            for (String name : w.names()) {
                float[] values = w.floats(name);
                if (name.equals(tensor)) {
                    Arrays.fill(values, value);
                }
                tensors.put(name, TensorData.f32(values, w.shape(name)));
            }
        }
        Safetensors.write(file, tensors, Map.of("format", "pt"));
    }

    @Test
    void encodersAndDecodersEachPointToTheOtherFacade() {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Spotlight.causalLM("all-minilm-l6-v2"));
        assertTrue(e.getMessage().endsWith("model_type \"bert\" is an encoder, not a causal language model: use"
                + " Spotlight.load (embeddings) instead"), e.getMessage());
        ModelFormatException d = assertThrows(ModelFormatException.class,
                () -> Spotlight.load(SharedModels.require("stories260K").resolve("hf").toString()));
        assertTrue(d.getMessage().contains("is a decoder (a causal language model), not an encoder"), d.getMessage());
    }
}
