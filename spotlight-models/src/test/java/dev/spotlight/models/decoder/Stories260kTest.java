package dev.spotlight.models.decoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotlight.models.config.ArchitectureConfig;
import dev.spotlight.models.config.DecoderConfig;
import dev.spotlight.models.llama.LlamaDecoder;
import dev.spotlight.models.weights.Safetensors;
import dev.spotlight.models.weights.Weights;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** karpathy's stories260K (Llama, GQA) against llama2.c's model.py logits (../shared/models/stories260K). */
class Stories260kTest {

    @Test
    void logitsEqualThePyTorchReferenceAtEveryPosition() throws IOException {
        Path dir = SharedModels.require("stories260K");
        JsonNode index = new ObjectMapper().readTree(dir.resolve("goldens/logits.json").toFile());
        ByteBuffer golden = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("goldens/logits.f32"))).order(ByteOrder.LITTLE_ENDIAN);
        DecoderConfig config = (DecoderConfig) ArchitectureConfig.parse(Files.readAllBytes(dir.resolve("hf/config.json")), "config.json");
        LlamaDecoder decoder;
        try (Weights w = Safetensors.open(dir.resolve("hf"))) {
            decoder = LlamaDecoder.load(config, w);
        }
        KvCache cache = decoder.newCache(1L << 30);
        for (JsonNode seq : index.get("sequences")) {
            int[] ids = new ObjectMapper().convertValue(seq.get("ids"), int[].class);
            KvCache.Slot slot = cache.open(ids.length);
            DecoderOutput out = decoder.forward(DecoderBatch.of(List.of(ids)), List.of(slot), Logits.ALL, false);
            int offset = seq.get("offset_floats").asInt();
            double max = 0;
            for (int t = 0; t < ids.length; t++) {
                float[] row = out.row(t);
                int argmax = 0;
                for (int j = 0; j < 512; j++) {
                    max = Math.max(max, Math.abs(row[j] - golden.getFloat(4 * (offset + t * 512 + j))));
                    if (row[j] > row[argmax]) {
                        argmax = j;
                    }
                }
                assertEquals(seq.get("argmax").get(t).asInt(), argmax, seq.get("name") + " position " + t);
            }
            System.out.println(seq.get("name") + ": max |Δ| " + max);
            assertTrue(max < 1e-4, seq.get("name") + ": max |Δ| " + max);
            slot.close();
        }
    }
}
