package dev.spotlight.tokenizers.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spotlight.tokenizers.JsonView;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One model instance shared by several threads (BPE's word cache filling concurrently) gives each thread the sequential answer. */
class ConcurrentTokenizeTest {

    @Test
    void sharedModelsGiveEveryThreadTheSequentialTokens() throws Exception {
        List<Model> models = new ArrayList<>();
        List<String> inputs = new ArrayList<>();
        List<List<Token>> expected = new ArrayList<>();
        for (JsonNode line : ModelGoldens.lines("model")) {
            // the sequential answer from a separate instance, so the shared one starts with a cold cache
            inputs.add(line.get("input").asText());
            expected.add(Models.fromJson(new JsonView(line.get("model"), "models.jsonl", "$.model")).tokenize(inputs.getLast()));
            models.add(Models.fromJson(new JsonView(line.get("model"), "models.jsonl", "$.model")));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<List<Token>>>> runs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                runs.add(pool.submit(() -> {
                    List<List<Token>> out = new ArrayList<>();
                    for (int round = 0; round < 50; round++) {
                        out.clear();
                        for (int i = 0; i < models.size(); i++) {
                            out.add(models.get(i).tokenize(inputs.get(i)));
                        }
                    }
                    return out;
                }));
            }
            for (Future<List<List<Token>>> run : runs) {
                assertEquals(expected, run.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
