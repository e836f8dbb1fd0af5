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
