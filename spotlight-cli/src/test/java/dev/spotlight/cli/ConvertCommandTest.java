package dev.spotlight.cli;

import dev.spotlight.models.hub.ModelFiles;
import dev.spotlight.models.hub.ModelResolver;
import dev.spotlight.models.weights.Safetensors;
import dev.spotlight.models.weights.Weights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.JarURLConnection;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConvertCommandTest {
    static {
        System.setProperty("spotlight.cache", System.getProperty("java.io.tmpdir") + "/spotlight-test-cache");
    }

    @TempDir
    Path dir;

    @Test
    void convertsALlama2cCheckpointToAFolderThatRunsTheSame() throws Exception {
        Path bin = dev.spotlight.models.decoder.SharedModels.require("stories260K").resolve("llama2c/stories260K.bin");
        CliRun run = CliRun.run("convert", bin.toString(), "--to", dir.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().startsWith("wrote stories260K.bin to " + dir + ": 47 tensors"), run.out());
        try (var fromBin = dev.spotlight.models.Spotlight.causalLM(bin.toString());
             var fromFolder = dev.spotlight.models.Spotlight.causalLM(dir.toString())) {
            int[] ids = fromBin.encode("Once upon a time");
            assertArrayEquals(ids, fromFolder.encode("Once upon a time"));
            assertArrayEquals(fromBin.logits(java.util.List.of(ids))[0], fromFolder.logits(java.util.List.of(ids))[0]);
        }
        CliRun again = CliRun.run("convert", bin.toString(), "--to", dir.toString());
        assertEquals(2, again.code());
        assertTrue(again.err().contains("already exists") && again.err().contains("--force"), again.err());
    }

    @Test
    void convertsTheModelJarToAFolderWithTheSameWeights() throws Exception {
        Path jar = Path.of(((JarURLConnection) getClass().getClassLoader().getResource("all-minilm-l6-v2.onnx")
                .openConnection()).getJarFileURL().toURI());
        CliRun run = CliRun.run("convert", "--from", "onnx-jar", jar.toString(), "--to", dir.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("wrote all-minilm-l6-v2 to " + dir) && run.out().contains("6 layers"), run.out());
        try (ModelFiles onnx = ModelResolver.jar(jar, null); Weights st = Safetensors.open(dir)) {
            String name = "encoder.layer.3.intermediate.dense.weight";
            assertArrayEquals(onnx.weights().floats(name, 1536, 384), st.floats(name, 1536, 384));
            assertEquals(onnx.config(), ModelResolver.folder(dir).config());
        }
    }

    @Test
    void refusesToOverwriteWithoutForceAndSaysHow() throws Exception {
        Files.writeString(dir.resolve("tokenizer.json"), "mine");
        CliRun run = CliRun.run("convert", "all-minilm-l6-v2", "--to", dir.toString());
        assertEquals(2, run.code());
        assertTrue(run.err().contains("tokenizer.json already exists") && run.err().contains("--force"), run.err());
        assertEquals("mine", Files.readString(dir.resolve("tokenizer.json")));
        assertEquals(0, CliRun.run("convert", "all-minilm-l6-v2", "--to", dir.toString(), "--force").code());
        assertTrue(Files.size(dir.resolve("tokenizer.json")) > 100_000);
    }

    @Test
    void wrongKindForTheInputIsAUsageError() {
        CliRun run = CliRun.run("convert", "--from", "onnx", dir.toString(), "--to", dir.resolve("out").toString());
        assertEquals(2, run.code());
        assertTrue(run.err().contains("expected an existing .onnx file"), run.err());
        CliRun bad = CliRun.run("convert", "--from", "tflite", "x", "--to", dir.toString());
        assertTrue(bad.err().contains("'tflite' is not one of onnx-jar, onnx, folder, name"), bad.err());
    }
}
