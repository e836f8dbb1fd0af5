package dev.spotlight.models.llama2c;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotlight.models.ModelFormatException;
import dev.spotlight.models.weights.Safetensors;
import dev.spotlight.models.weights.Weights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** stories260K.bin + tok512.bin converted to a Hugging Face folder against the fixture's hf/ folder. */
class Llama2cConverterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void convertsStories260KToTheFixturesHfFolder() throws IOException {
        int tensors = Llama2cConverter.write(Stories260K.file("llama2c/stories260K.bin"),
                Stories260K.file("llama2c/tok512.bin"), dir, false);
        assertEquals(47, tensors);
        try (Weights mine = Safetensors.open(dir.resolve("model.safetensors"));
             Weights fixture = Safetensors.open(Stories260K.file("hf/model.safetensors"))) {
            Llama2cCheckpointTest.assertWeightsEqual(fixture, mine);
        }
        assertEquals(Map.of("format", "pt"), Safetensors.metadata(dir.resolve("model.safetensors")));
        for (String file : Llama2cConverter.FILES) {
            if (file.endsWith(".json")) {
                assertEquals(JSON.readTree(Stories260K.file("hf/" + file).toFile()), JSON.readTree(dir.resolve(file).toFile()), file);
                assertEquals(Files.readString(Stories260K.file("hf/" + file)), Files.readString(dir.resolve(file)), file);
            }
        }
    }

    @Test
    void refusesToOverwriteWithoutForceBeforeWritingAnything() throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), "{\"mine\": true}");
        var e = assertThrows(IllegalArgumentException.class, () -> Llama2cConverter.write(
                Stories260K.file("llama2c/stories260K.bin"), Stories260K.file("llama2c/tok512.bin"), dir, false));
        assertEquals(dir.resolve("tokenizer.json") + " already exists; pass --force to overwrite", e.getMessage());
        assertEquals("{\"mine\": true}", Files.readString(dir.resolve("tokenizer.json")));
        assertFalse(Files.exists(dir.resolve("model.safetensors")), "nothing written before refusing");
        assertFalse(Files.exists(dir.resolve("config.json")), "nothing written before refusing");
        Llama2cConverter.write(Stories260K.file("llama2c/stories260K.bin"), Stories260K.file("llama2c/tok512.bin"), dir, true);
        assertEquals(Files.readString(Stories260K.file("hf/tokenizer.json")), Files.readString(dir.resolve("tokenizer.json")));
    }

    /** The int8 checkpoint converts too: its dequantized weights, F32, under the same names. */
    @Test
    void convertsTheInt8CheckpointToItsDequantizedWeights() {
        Llama2cConverter.write(Stories260K.file("llama2c/stories260K_q8.bin"), Stories260K.file("llama2c/tok512.bin"), dir, false);
        try (Weights mine = Safetensors.open(dir.resolve("model.safetensors"));
             Llama2cCheckpoint q8 = Llama2cCheckpoint.open(Stories260K.file("llama2c/stories260K_q8.bin"))) {
            Llama2cCheckpointTest.assertWeightsEqual(q8.weights(), mine);
        }
    }

    @Test
    void aTokenizerOfAnotherVocabularySizeIsRefused() throws IOException {
        byte[] tok = Files.readAllBytes(Stories260K.file("llama2c/tok512.bin"));
        Path first511 = dir.resolve("tok511.bin");
        Files.write(first511, java.util.Arrays.copyOf(tok, tok.length - (8 + 3)));  // id 511 is U+200A: 3 bytes
        Llama2cTokenizer t = Llama2cTokenizer.read(first511, 511);
        Path out = dir.resolve("out");
        try (Llama2cCheckpoint c = Llama2cCheckpoint.open(Stories260K.file("llama2c/stories260K.bin"))) {
            var e = assertThrows(ModelFormatException.class, () -> Llama2cConverter.write(c, t, out, false));
            assertEquals(first511 + ": has 511 tokens, but " + c.path() + " has vocab_size 512", e.getMessage());
        }
        assertFalse(Files.exists(out));
    }
}
