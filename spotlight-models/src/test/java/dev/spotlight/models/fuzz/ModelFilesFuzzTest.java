package dev.spotlight.models.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotlight.models.CausalLM;
import dev.spotlight.models.ModelException;
import dev.spotlight.models.config.ArchitectureConfig;
import dev.spotlight.models.decoder.RandomCheckpoint;
import dev.spotlight.models.generation.GenerationConfig;
import dev.spotlight.models.generation.GenerationOptions;
import dev.spotlight.models.hub.ModelResolver;
import dev.spotlight.models.weights.ProtoWriter;
import dev.spotlight.models.weights.Safetensors;
import dev.spotlight.models.weights.TensorData;
import dev.spotlight.models.weights.Weights;
import dev.spotlight.tokenizers.TokenizerException;
import dev.spotlight.tokenizers.fuzz.MutationFuzzer;
import dev.spotlight.tokenizers.fuzz.Mutations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes every file format a model is read from: config.json and generation_config.json (alone and
 * as part of a decoder folder that then runs), safetensors files and shard indexes, ONNX exports
 * (with config inference) and llama2.c checkpoints and tokenizers. Every input ends in a result or a
 * {@link ModelException} (a {@link TokenizerException} for a tokenizer file, or one of Spotlight's own
 * argument checks with its message), never another exception, an error or a hang. A long run: {@code ./build test -pl spotlight-models -am
 * -Dtest=ModelFilesFuzzTest -Dspotlight.fuzz.cases=50000 -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ModelFilesFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The modules' exceptions, or one of Spotlight's own argument checks with its message (a NaN logit from damaged weights). */
    private static final Predicate<Throwable> CLEAN = e -> e instanceof ModelException || e instanceof TokenizerException
            || MutationFuzzer.ownCheck(e);
    private static final String BERT_CONFIG = """
            {"model_type": "bert", "architectures": ["BertModel"], "vocab_size": 30522, "hidden_size": 384, "num_hidden_layers": 6,
             "num_attention_heads": 12, "intermediate_size": 1536, "hidden_act": "gelu", "layer_norm_eps": 1e-12,
             "max_position_embeddings": 512, "type_vocab_size": 2, "pad_token_id": 0, "id2label": {"0": "a", "1": "b"}}""";

    @TempDir
    Path dir;

    private static void report(MutationFuzzer.Report r) {
        System.out.println(r.summary());
        assertTrue(r.failures().isEmpty(), r.summary() + "\n" + String.join("\n", r.failures()));
    }

    private static List<JsonNode> goldens() {
        return RandomCheckpoint.goldenNames().stream().map(RandomCheckpoint::golden).toList();
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path file(String name, byte[] content) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, content);
        return file;
    }

    @Test
    void configJsonEndsInAConfigOrAModelException() {
        List<byte[]> seeds = new ArrayList<>(goldens().stream().map(g -> bytes(g.get("config"))).toList());
        seeds.add(BERT_CONFIG.getBytes(StandardCharsets.UTF_8));
        report(new MutationFuzzer("config-json", seeds, CLEAN, input -> ArchitectureConfig.parse(input, "config.json"))
                .mutations(Mutations.JSON).run(MutationFuzzer.cases(1000)));
    }

    @Test
    void generationConfigEndsInSettingsOrAModelException() {
        List<JsonNode> goldens = goldens();
        List<byte[]> seeds = goldens.stream().map(g -> bytes(g.get("generation_config"))).toList();
        byte[] config = bytes(goldens.getFirst().get("config"));
        report(new MutationFuzzer("generation-config", seeds, CLEAN,
                input -> GenerationConfig.parse(input, "generation_config.json", config, "config.json"))
                .mutations(Mutations.JSON).run(MutationFuzzer.cases(1000)));
    }

    /** A whole decoder folder whose config.json is mutated, loaded and run for two tokens. */
    @Test
    void aDecoderFolderWithAMutatedConfigRunsOrIsRefused() {
        List<JsonNode> goldens = goldens();
        Path model = RandomCheckpoint.write(goldens.getFirst(), dir.resolve("model"));
        List<byte[]> seeds = List.of(bytes(goldens.getFirst().get("config")));
        report(new MutationFuzzer("decoder-folder", seeds, CLEAN, input -> {
            Files.write(model.resolve("config.json"), input);
            try (CausalLM lm = CausalLM.from(ModelResolver.resolve(model.toString()))) {
                lm.generate(List.of("t1 t2 t3"), GenerationOptions.DEFAULTS.withMaxNewTokens(2).withTemperature(0.0));
            }
        }).mutations(Mutations.JSON).run(MutationFuzzer.cases(150)));
    }

    @Test
    void safetensorsEndInTensorsOrAModelException() throws IOException {
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        tensors.put("a.weight", TensorData.f32(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        tensors.put("b.bias", TensorData.bf16(new float[] {0.5f, -2}, 2));
        tensors.put("c", TensorData.f16(new float[] {1, -1, 0.25f, 8}, 2, 1, 2));
        tensors.put("ids", TensorData.i64(new long[] {0, 1, 2}, 3));
        Path seed = dir.resolve("seed.safetensors");
        Safetensors.write(seed, tensors, Map.of("format", "pt"));
        report(new MutationFuzzer("safetensors", List.of(Files.readAllBytes(seed)), CLEAN,
                input -> readAll(file("model.safetensors", input))).mutations(SAFETENSORS_HEADER).run(MutationFuzzer.cases(500)));
    }

    /** Half the cases edit the JSON header as a tree (and rewrite its length), half the bytes. */
    private static final Mutations SAFETENSORS_HEADER = (seed, all, random) -> {
        ByteBuffer b = ByteBuffer.wrap(seed).order(ByteOrder.LITTLE_ENDIAN);
        long length = seed.length >= 8 ? b.getLong(0) : -1;
        if (random.nextBoolean() || length < 0 || length > seed.length - 8) {
            return Mutations.BYTES.mutate(seed, all, random);
        }
        byte[] json = java.util.Arrays.copyOfRange(seed, 8, 8 + (int) length);
        byte[] header = Mutations.JSON.mutate(json, List.of(json), random);
        ByteBuffer out = ByteBuffer.allocate(8 + header.length + seed.length - 8 - (int) length).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(header.length).put(header).put(seed, 8 + (int) length, seed.length - 8 - (int) length);
        return out.array();
    };

    @Test
    void shardIndexesEndInTensorsOrAModelException() throws IOException {
        Safetensors.write(dir.resolve("model-00001-of-00002.safetensors"), Map.of("a", TensorData.f32(new float[] {1, 2}, 2)), Map.of());
        Safetensors.write(dir.resolve("model-00002-of-00002.safetensors"), Map.of("b", TensorData.f32(new float[] {3}, 1)), Map.of());
        byte[] index = ("{\"metadata\": {\"total_size\": 12}, \"weight_map\": {\"a\": \"model-00001-of-00002.safetensors\","
                + " \"b\": \"model-00002-of-00002.safetensors\"}}").getBytes(StandardCharsets.UTF_8);
        report(new MutationFuzzer("shard-index", List.of(index), CLEAN,
                input -> readAll(file("model.safetensors.index.json", input))).mutations(Mutations.JSON).run(MutationFuzzer.cases(500)));
    }

    private static void readAll(Path file) {
        try (Weights w = Safetensors.open(file)) {
            for (String name : w.names()) {
                w.shape(name);
                if (w.dtype(name).convertsToFloat()) {
                    w.floats(name);
                }
            }
        }
    }

    /** A BERT-shaped ONNX export (initializers, a MatMul to rename, the √headDim constant) with a tokenizer beside it. */
    @Test
    void onnxExportsEndInAModelOrAModelException() throws IOException {
        ProtoWriter graph = new ProtoWriter()
                .message(1, new ProtoWriter().string(1, "x").string(1, "onnx::MatMul_1").string(2, "q")
                        .string(3, "/encoder/layer.0/attention/self/query/MatMul").string(4, "MatMul"))
                .message(1, new ProtoWriter().string(1, "scores").string(1, "sqrt").string(2, "scaled")
                        .string(3, "/encoder/layer.0/attention/self/Div").string(4, "Div"))
                .message(5, tensor("onnx::MatMul_1", 4, 4)).message(5, tensor("sqrt", new float[] {1.4142135f}))
                .message(5, tensor("embeddings.word_embeddings.weight", 6, 4)).message(5, tensor("embeddings.position_embeddings.weight", 8, 4))
                .message(5, tensor("embeddings.token_type_embeddings.weight", 2, 4))
                .message(5, tensor("encoder.layer.0.intermediate.dense.weight", 8, 4))
                .message(5, tensor("encoder.layer.0.attention.self.query.bias", 4));
        byte[] onnx = new ProtoWriter().varint(1, 7).message(7, graph).toByteArray();
        Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\"type\": \"WordLevel\", \"vocab\": {\"a\": 0, \"b\": 1},"
                + " \"unk_token\": \"a\"}}");
        report(new MutationFuzzer("onnx", List.of(onnx), CLEAN, input -> {
            try (var files = ModelResolver.resolve(file("model.onnx", input).toString())) {
                readAll(files.weights());
            }
        }).run(MutationFuzzer.cases(400)));
    }

    private static void readAll(Weights w) {
        for (String name : w.names()) {
            if (w.dtype(name).convertsToFloat()) {
                w.floats(name);
            }
        }
    }

    private static ProtoWriter tensor(String name, long... dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        float[] values = new float[(int) n];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i % 7 - 3) / 8f;
        }
        ProtoWriter shaped = new ProtoWriter();
        for (long d : dims) {
            shaped.varint(1, d);
        }
        return shaped.varint(2, 1).string(8, name).bytes(9, raw(values));
    }

    private static ProtoWriter tensor(String name, float[] scalar) {
        return new ProtoWriter().varint(2, 1).string(8, name).bytes(9, raw(scalar));
    }

    private static byte[] raw(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    /** llama2.c checkpoints: stories260K's header and file, mutated (the tensors after the header are kept). */
    @Test
    void llama2cCheckpointsEndInWeightsOrAModelException() throws IOException {
        Path fixtures = dev.spotlight.models.decoder.SharedModels.require("stories260K/llama2c");
        Path bin = fixtures.resolve("stories260K.bin");
        Path tok = fixtures.resolve("tok512.bin");
        byte[] checkpoint = Files.readAllBytes(bin);
        Mutations headerOnly = (seed, all, random) -> {
            byte[] head = Mutations.BYTES.mutate(java.util.Arrays.copyOf(seed, 256), List.of(java.util.Arrays.copyOf(seed, 256)), random);
            if (random.nextInt(4) == 0) {
                return head;   // a file cut after its header
            }
            byte[] out = java.util.Arrays.copyOf(head, head.length + seed.length - 256);
            System.arraycopy(seed, 256, out, head.length, seed.length - 256);
            return out;
        };
        report(new MutationFuzzer("llama2c-checkpoint", List.of(checkpoint), CLEAN, input -> {
            Files.write(dir.resolve("stories.bin"), input);
            Files.copy(tok, dir.resolve("tok512.bin"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            try (CausalLM lm = CausalLM.from(ModelResolver.llama2c(dir.resolve("stories.bin"), null))) {
                lm.generate(List.of("Once"), GenerationOptions.DEFAULTS.withMaxNewTokens(2).withTemperature(0.0));
            }
        }).mutations(headerOnly).run(MutationFuzzer.cases(200)));
        report(new MutationFuzzer("llama2c-tokenizer", List.of(Files.readAllBytes(tok)), CLEAN, input -> {
            var t = dev.spotlight.models.llama2c.Llama2cTokenizer.read(file("tok.bin", input), 512);
            t.tokenizerJson();
        }).run(MutationFuzzer.cases(500)));
    }
}
