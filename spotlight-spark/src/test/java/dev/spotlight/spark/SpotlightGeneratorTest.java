package dev.spotlight.spark;

import static dev.spotlight.spark.SpotlightEmbedderTest.byId;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotlight.models.CausalLM;
import dev.spotlight.models.Spotlight;
import dev.spotlight.models.chat.ChatFixtures;
import dev.spotlight.models.chat.ChatMessage;
import dev.spotlight.models.decoder.SharedModels;
import dev.spotlight.models.generation.GenerationOptions;
import dev.spotlight.models.generation.GenerationResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generation stage on the real fixtures of ../shared/models: stories260K (a Llama) against the
 * library's {@code CausalLM.generate}, greedy and sampled, over partitionings and batch sizes; makemore's
 * character GPT-2 against makemore.py's own greedy names (goldens/greedy.json).
 */
class SpotlightGeneratorTest {
    private static final List<String> PROMPTS = List.of("Once upon a time", "The cat sat", "Lily wanted to", "", "Tom and his dog",
            "One day, a little bird", "The sun was", "She said", "Ben liked to play with", "The big red ball", "Mom", "They ran to the");
    private static CausalLM model;

    /** The stories260K folder; each test that needs it is skipped (with the reason) where ../shared is missing. */
    private static Path stories() {
        return SharedModels.require("stories260K").resolve("hf");
    }

    /** The library's own stories260K, for the reference values (the stage loads its own). */
    private static synchronized CausalLM lm() {
        if (model == null) {
            model = Spotlight.causalLM(stories().toString());
        }
        return model;
    }

    private static SpotlightGenerator generator() {
        return new SpotlightGenerator().setModel(stories().toString()).setMaxNewTokens(24).setDetails(true);
    }

    @Test
    void greedyTextIsTheLibrarysAcrossPartitionsAndBatches() {
        List<GenerationResult> expected = lm().generate(PROMPTS, GenerationOptions.greedy().withMaxNewTokens(24));
        for (int batch : new int[] {1, 5, 32}) {
            Map<Integer, Row> rows = byId(generator().setTemperature(0).setBatchSize(batch).transform(prompts(PROMPTS)));
            assertSameGenerations(expected, rows, "greedy batch " + batch);
        }
    }

    @Test
    void seededSamplingGivesTheSameTextWhateverThePartitioning() {
        GenerationOptions sampled = GenerationOptions.DEFAULTS.withTemperature(1.0).withTopK(40).withTopP(0.95).withSeed(7L)
                .withMaxNewTokens(24);
        List<GenerationResult> together = lm().generate(PROMPTS, sampled);
        SpotlightGenerator stage = generator().setTemperature(1.0).setTopK(40).setTopP(0.95).setSeed(7);
        for (int batch : new int[] {1, 4, 32}) {
            assertSameGenerations(together, byId(stage.setBatchSize(batch).transform(prompts(PROMPTS))), "sampled batch " + batch);
        }
        assertSameGenerations(together, byId(stage.transform(prompts(PROMPTS).repartition(5))), "sampled, 5 hash partitions");
        for (int i = 0; i < PROMPTS.size(); i++) {
            assertEquals(together.get(i), lm().generate(List.of(PROMPTS.get(i)), sampled).getFirst(), "prompt " + i + " alone");
        }
        assertEquals(1, ExecutorModels.loads("causal-lm", stories().toString()), "one model for every task and stage of the JVM");
        // the test can fail: sampling changes texts, and so does another seed
        List<GenerationResult> greedy = lm().generate(PROMPTS, GenerationOptions.greedy().withMaxNewTokens(24));
        List<GenerationResult> otherSeed = lm().generate(PROMPTS, sampled.withSeed(8L));
        long differ = 0;
        long differSeed = 0;
        for (int i = 0; i < PROMPTS.size(); i++) {
            differ += together.get(i).text().equals(greedy.get(i).text()) ? 0 : 1;
            differSeed += together.get(i).text().equals(otherSeed.get(i).text()) ? 0 : 1;
        }
        assertTrue(differ > PROMPTS.size() / 2 && differSeed > PROMPTS.size() / 2, differ + " / " + differSeed);
    }

    @Test
    void stopStringsEndRowsAsInTheLibrary() {
        GenerationOptions options = GenerationOptions.greedy().withMaxNewTokens(40).withStopStrings(List.of(".", "park"))
                .withKeepStopString(false);
        List<GenerationResult> expected = lm().generate(PROMPTS, options);
        Map<Integer, Row> rows = byId(generator().setMaxNewTokens(40).setTemperature(0).setStopStrings(new String[] {".", "park"})
                .setKeepStopString(false).transform(prompts(PROMPTS)));
        assertSameGenerations(expected, rows, "stop strings");
        assertTrue(expected.stream().filter(r -> r.finish().stopString() != null).count() > PROMPTS.size() / 2);
        Map<Integer, Row> plain = byId(new SpotlightGenerator().setModel(stories().toString()).setMaxNewTokens(40).setTemperature(0)
                .setStopStrings(new String[] {".", "park"}).setKeepStopString(false).transform(prompts(PROMPTS)));
        for (int i = 0; i < PROMPTS.size(); i++) {
            assertEquals(expected.get(i).text(), plain.get(i).getAs("generated"), "details=false: the text column");
        }
    }

    @Test
    void makemoreNamesAreMakemoresOwnGreedyNames() throws IOException {
        Path dir = SharedModels.require("makemore-names");
        JsonNode golden = new ObjectMapper().readTree(dir.resolve("goldens/greedy.json").toFile());
        List<String> prompts = new ArrayList<>();
        for (JsonNode c : golden.get("cases")) {
            prompts.add(c.get("prompt").asText().substring(1));    // ".em": the "." is the start token the tokenizer adds
        }
        Map<Integer, Row> rows = byId(new SpotlightGenerator().setModel(dir.resolve("hf").toString()).setDetails(true).setBatchSize(3)
                .transform(prompts(prompts)));
        for (int i = 0; i < prompts.size(); i++) {
            JsonNode c = golden.get("cases").get(i);
            Row g = rows.get(i).getStruct(rows.get(i).fieldIndex("generated"));
            assertEquals(c.get("name").asText(), prompts.get(i) + g.getAs("text"), c.get("prompt").asText());
            assertEquals(c.get("stop").asText().equals("eos") ? "eos" : "length", g.getAs("finish_reason"));
            assertArrayEquals(new ObjectMapper().convertValue(c.get("generated_ids"), int[].class),
                    SpotlightEmbedderTest.<Integer>list(g.getAs("generated_ids")).stream().mapToInt(Integer::intValue).toArray());
        }
    }

    @Test
    void nullEmptyAndBadPromptsBehaveAsDocumented() {
        Path dir = SharedModels.require("makemore-names").resolve("hf");
        // makemore's vocabulary is a-z and "."; its context 16 positions
        List<String> prompts = Arrays.asList(null, "", "Emma", "abcdefghijklmnop", "em");
        Dataset<Row> input = prompts(prompts);
        SpotlightGenerator stage = new SpotlightGenerator().setModel(dir.toString());
        Map<Integer, Row> rows = byId(stage.setHandleInvalid("null").setErrorCol("error").transform(input));
        assertTrue(rows.get(0).isNullAt(rows.get(0).fieldIndex("generated")));
        assertNull(rows.get(0).getAs("error"), "a null prompt is not an error");
        assertEquals("analis", rows.get(1).getAs("generated"), "an empty prompt is the start token alone");
        String unknown = rows.get(2).getAs("error");
        assertTrue(rows.get(2).isNullAt(rows.get(2).fieldIndex("generated")) && unknown.startsWith("SpotlightGenerator(")
                && unknown.contains("row with text 'Emma'") && unknown.contains("is not in the vocabulary"), unknown);
        String tooLong = rows.get(3).getAs("error");
        assertTrue(tooLong.contains("the prompt has 17 tokens and the model's context 16 positions: no room to generate"), tooLong);
        assertEquals("iliana", rows.get(4).getAs("generated"));

        Exception e = assertThrows(Exception.class, () -> new SpotlightGenerator().setModel(dir.toString()).transform(input).collectAsList());
        String message = BadInputTest.messages(e);
        assertTrue(message.contains("row with text 'Emma'") && message.contains("handleInvalid=error"), message);
    }

    @Test
    void chatTemplatePromptsAreUserMessagesAsInTheLibrary(@TempDir Path tmp) {
        Path chat = ChatFixtures.storiesWithChatTemplate(tmp.resolve("stories-chat"), ChatFixtures.template("llama2_chat"));
        GenerationOptions options = GenerationOptions.greedy().withMaxNewTokens(16);
        List<String> prompts = PROMPTS.subList(0, 5);
        try (CausalLM chatLm = Spotlight.causalLM(chat.toString())) {
            List<int[]> ids = prompts.stream().map(p -> chatLm.encodeChatPrompt(chatLm.applyChatTemplate(
                    List.of(ChatMessage.of("system", "Be kind."), ChatMessage.of("user", p)), true))).toList();
            List<GenerationResult> expected = chatLm.generateIds(ids, options, false, null).stream()
                    .map(CausalLM.Generation::result).toList();
            Map<Integer, Row> rows = byId(new SpotlightGenerator().setModel(chat.toString()).setChatTemplate(true)
                    .setSystemMessage("Be kind.").setTemperature(0).setMaxNewTokens(16).setDetails(true).setBatchSize(2)
                    .transform(prompts(prompts)));
            assertSameGenerations(expected, rows, "chat");
            assertTrue(expected.getFirst().promptIds().length > lm().encode(prompts.getFirst()).length + 10, "the template's tokens");
        }
        String noTemplate = BadInputTest.messages(assertThrows(Exception.class, () -> new SpotlightGenerator().setModel(stories().toString())
                .setChatTemplate(true).transform(prompts(prompts)).collectAsList()));
        assertTrue(noTemplate.contains("SpotlightGenerator(") && noTemplate.contains("chatTemplate='true'")
                && noTemplate.contains("has no chat template"), noTemplate);
        String system = assertThrows(SpotlightSparkException.class, () -> new SpotlightGenerator().setModel(stories().toString())
                .setSystemMessage("Be kind.").transform(prompts(prompts))).getMessage();
        assertTrue(system.contains("systemMessage='Be kind.': a system message is part of a chat: set chatTemplate to true"), system);
    }

    @Test
    void aSavedAndReloadedGeneratorGivesTheSameRowsAndKeepsUnsetParamsUnset(@TempDir Path dir) throws Exception {
        Dataset<Row> input = prompts(PROMPTS);
        PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {
            generator().setTemperature(0.8).setSeed(123).setStopStrings(new String[] {"!"}).setOutputCol("story"),
            new SpotlightGenerator().setModel(stories().toString()).setInputCol("prompt").setOutputCol("greedy").setMaxNewTokens(8)
                .setTemperature(0),
        }).fit(input);
        fitted.write().overwrite().save(dir.resolve("p").toString());
        PipelineModel loaded = PipelineModel.load(dir.resolve("p").toString());
        SpotlightGenerator first = (SpotlightGenerator) loaded.stages()[0];
        assertEquals(0.8, first.getTemperature());
        assertEquals(123L, first.getSeed());
        assertNull(first.getTopK(), "unset stays unset: the model's");
        assertEquals(List.of("!"), List.of(first.getStopStrings()));
        Map<Integer, Row> before = byId(fitted.transform(input));
        Map<Integer, Row> after = byId(loaded.transform(input.repartition(3)));
        for (int i = 0; i < PROMPTS.size(); i++) {
            assertEquals(before.get(i), after.get(i), "row " + i);
        }
    }

    /** Rows (id, prompt) in partitions of different sizes. */
    private static Dataset<Row> prompts(List<String> prompts) {
        return LocalSpark.unevenPartitions(prompts).withColumnRenamed("text", "prompt");
    }

    private static void assertSameGenerations(List<GenerationResult> expected, Map<Integer, Row> rows, String where) {
        assertEquals(expected.size(), rows.size(), where);
        for (int i = 0; i < expected.size(); i++) {
            GenerationResult want = expected.get(i);
            Row got = rows.get(i).getStruct(rows.get(i).fieldIndex(rows.get(i).schema().fieldNames()[2]));
            String at = where + " prompt " + i;
            assertEquals(want.text(), got.getAs("text"), at);
            assertEquals(want.finish().reason().name().toLowerCase(Locale.ROOT), got.getAs("finish_reason"), at);
            assertEquals(want.finish().stopString(), got.getAs("stop_string"), at);
            assertEquals(want.promptIds().length, (int) got.getAs("prompt_tokens"), at);
            assertEquals(want.generatedIds().length, (int) got.getAs("generated_tokens"), at);
            assertArrayEquals(want.generatedIds(), SpotlightEmbedderTest.<Integer>list(got.getAs("generated_ids")).stream()
                    .mapToInt(Integer::intValue).toArray(), at);
        }
    }
}
