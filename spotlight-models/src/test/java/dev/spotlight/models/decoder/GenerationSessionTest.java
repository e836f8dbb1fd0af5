package dev.spotlight.models.decoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotlight.models.CausalLM;
import dev.spotlight.models.ModelException;
import dev.spotlight.models.Spotlight;
import dev.spotlight.models.generation.GenerationOptions;
import dev.spotlight.models.generation.GenerationSettings;
import dev.spotlight.models.generation.SequencePolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Continuous batching: sequences that join a running generation between steps (their prompt
 * prefilled in the same packed pass as the others' decode rows, chunked when the pass is full) get
 * bitwise the logits and tokens they get alone, greedy and sampled with a seed, on stories260K and
 * on random grouped-query checkpoints. Every test drives the session step by step: no threads.
 */
class GenerationSessionTest {

    /** Wraps a policy and keeps a copy of every logits row it is given. */
    private static final class Recording implements Generator.Policy {
        final Generator.Policy inner;
        final List<float[]> logits = new ArrayList<>();

        Recording(Generator.Policy inner) {
            this.inner = inner;
        }

        @Override
        public int choose(float[] l, int[] tokens) {
            logits.add(l.clone());
            return inner.choose(l, tokens);
        }

        @Override
        public boolean finished(int[] tokens, int generated) {
            return inner.finished(tokens, generated);
        }

        @Override
        public int maxNewTokens() {
            return inner.maxNewTokens();
        }
    }

    /** A prompt, how to make its policy (a fresh one per run), and the step before which it joins. */
    private record Joiner(int[] prompt, Function<int[], Generator.Policy> policy, int atStep) {
    }

    /**
     * Runs every joiner alone, then all in one session, each added after {@code atStep} steps, and
     * asserts each got the same tokens and the same logits bits at every step. Returns how many
     * joined a generation that had already run a step.
     */
    private static int assertJoiningChangesNothing(CausalLM model, List<Joiner> joiners) {
        Generator generator = new Generator(model.decoder(), model.cache());
        List<Recording> alone = new ArrayList<>();
        List<int[]> aloneTokens = new ArrayList<>();
        for (Joiner j : joiners) {
            Recording r = new Recording(j.policy().apply(j.prompt()));
            aloneTokens.add(generator.run(List.of(j.prompt()), List.of(r), false, null).getFirst().generated());
            alone.add(r);
        }
        List<Recording> together = new ArrayList<>();
        List<GenerationSession.Sequence> sequences = new ArrayList<>();
        int midway = 0;
        try (GenerationSession session = new GenerationSession(model.decoder(), model.cache(), false)) {
            for (int step = 0; sequences.size() < joiners.size() || !session.idle(); step++) {
                for (Joiner j : joiners) {
                    if (j.atStep() == step) {
                        midway += session.steps() > 0 && !session.idle() ? 1 : 0;
                        Recording r = new Recording(j.policy().apply(j.prompt()));
                        together.add(r);
                        sequences.add(session.add(j.prompt(), r, null));
                    }
                }
                session.step();
            }
        }
        assertEquals(0, model.cache().reservedBytes(), "every slot was freed");
        for (int i = 0; i < joiners.size(); i++) {
            String what = "sequence " + i + " (joins at step " + joiners.get(i).atStep() + ")";
            assertTrue(sequences.get(i).done() && !sequences.get(i).cancelled(), what);
            assertArrayEquals(aloneTokens.get(i), sequences.get(i).generated(), what + ": tokens");
            assertEquals(alone.get(i).logits.size(), together.get(i).logits.size(), what + ": steps");
            for (int t = 0; t < alone.get(i).logits.size(); t++) {
                assertArrayEquals(alone.get(i).logits.get(t), together.get(i).logits.get(t), what + ": logits of token " + t);
            }
        }
        return midway;
    }

    private static Function<int[], Generator.Policy> sampled(CausalLM model, long seed, int maxNew) {
        GenerationSettings settings = GenerationSettings.resolve(model.generationConfig(), GenerationOptions.DEFAULTS
                .withDoSample(true).withTemperature(0.9).withTopK(40).withTopP(0.95).withMaxNewTokens(maxNew).withSeed(seed));
        return prompt -> new SequencePolicy(0, prompt, settings, model.tokenizer(), model.config().maxPositions(), null);
    }

    /** Ids in [3, vocab) after BOS, from a fixed seed. */
    private static int[] randomPrompt(long seed, int length, int vocab) {
        Random random = new Random(seed);
        int[] ids = new int[length];
        ids[0] = 1;
        for (int i = 1; i < length; i++) {
            ids[i] = 3 + random.nextInt(vocab - 3);
        }
        return ids;
    }

    @Test
    void storiesSequencesJoiningAtDifferentStepsGetBitwiseWhatTheyGetAlone() {
        try (CausalLM model = Spotlight.causalLM(SharedModels.require("stories260K").resolve("hf").toString())) {
            Function<int[], Generator.Policy> greedy = p -> new Greedy(40, Set.of());
            List<Joiner> joiners = List.of(
                    new Joiner(model.encode("Once upon a time"), greedy, 0),
                    new Joiner(model.encode("The little dog"), sampled(model, 42, 40), 0),
                    new Joiner(model.encode("Lily wanted to"), greedy, 3),
                    new Joiner(model.encode("Tom and his mom went to the park."), sampled(model, 7, 30), 7),
                    new Joiner(model.encode("One day"), sampled(model, 42, 25), 12));
            assertEquals(3, assertJoiningChangesNothing(model, joiners));
        }
    }

    @Test
    void longPromptsJoiningTogetherArePrefilledInChunksBesideTheDecodeRows() {
        try (CausalLM model = Spotlight.causalLM(SharedModels.require("stories260K").resolve("hf").toString())) {
            List<Joiner> joiners = new ArrayList<>();
            joiners.add(new Joiner(model.encode("Once upon a time"), p -> new Greedy(60, Set.of()), 0));
            joiners.add(new Joiner(model.encode("The cat"), sampled(model, 3, 60), 0));
            // six prompts of 400 tokens join at step 4: 2400 prompt tokens, more than one pass takes
            for (int i = 0; i < 6; i++) {
                Function<int[], Generator.Policy> policy = i % 2 == 0 ? p -> new Greedy(20, Set.of()) : sampled(model, 100 + i, 20);
                joiners.add(new Joiner(randomPrompt(i, 400, model.config().vocabSize()), policy, 4));
            }
            assertTrue(6 * 400 > GenerationSession.PREFILL_TOKENS);
            assertEquals(6, assertJoiningChangesNothing(model, joiners));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen3", "mistral_sliding_window"})
    void randomGroupedQueryCheckpointsGiveBitwiseTheSameJoinedOrAlone(String name, @TempDir Path dir) {
        RandomCheckpoint.write(RandomCheckpoint.golden(name), dir);
        try (CausalLM model = Spotlight.causalLM(dir.toString())) {
            assertTrue(model.config().numKvHeads() < model.config().numHeads(), name + " has grouped-query attention");
            int vocab = model.config().vocabSize();
            Function<int[], Generator.Policy> greedy = p -> new Greedy(24, Set.of());
            List<Joiner> joiners = List.of(
                    new Joiner(randomPrompt(1, 9, vocab), greedy, 0),
                    new Joiner(randomPrompt(2, 5, vocab), sampled(model, 11, 24), 2),
                    new Joiner(randomPrompt(3, 17, vocab), greedy, 5),
                    new Joiner(randomPrompt(4, 3, vocab), sampled(model, 12, 16), 9));
            assertEquals(3, assertJoiningChangesNothing(model, joiners));
        }
    }

    @Test
    void aSequenceWithoutRoomInTheCacheWaitsUntilAnotherLeaves() {
        try (CausalLM model = Spotlight.causalLM(SharedModels.require("stories260K").resolve("hf").toString())) {
            KvCache small = model.decoder().newCache(100_000);  // 1,280 bytes per position: one slot of 64
            int[] first = model.encode("Once upon a time");
            int[] second = model.encode("Lily");
            int[] secondAlone = new Generator(model.decoder(), model.cache())
                    .run(List.of(second), List.of(new Greedy(20, Set.of())), false, null).getFirst().generated();
            try (GenerationSession session = new GenerationSession(model.decoder(), small, false)) {
                GenerationSession.Sequence running = session.add(first, new Greedy(20, Set.of()), null);
                long reserved = small.reservedBytes();
                assertEquals(small.bytesFor(first.length + 20), reserved);
                session.step();
                assertNull(session.tryAdd(second, new Greedy(20, Set.of()), null), "no room beside the running sequence");
                assertEquals(reserved, small.reservedBytes(), "a refused sequence reserves nothing");
                ModelException e = assertThrows(ModelException.class, () -> session.add(second, new Greedy(20, Set.of()), null));
                assertTrue(e.getMessage().startsWith("the KV cache for a sequence of " + (second.length + 20) + " positions needs"),
                        e.getMessage());
                GenerationSession.Sequence waiting = null;
                while (waiting == null) {
                    session.step();
                    waiting = session.tryAdd(second, new Greedy(20, Set.of()), null);
                }
                assertTrue(running.done(), "room came when the first sequence left");
                while (!session.idle()) {
                    session.step();
                }
                assertArrayEquals(secondAlone, waiting.generated());
            }
            assertEquals(0, small.reservedBytes());
        }
    }

    @Test
    void aCancelledSequenceFreesItsSlotAndTheOthersGoOnUnchanged() {
        try (CausalLM model = Spotlight.causalLM(SharedModels.require("stories260K").resolve("hf").toString())) {
            int[] kept = model.encode("Once upon a time");
            int[] keptAlone = new Generator(model.decoder(), model.cache())
                    .run(List.of(kept), List.of(new Greedy(30, Set.of())), false, null).getFirst().generated();
            List<Integer> told = new ArrayList<>();
            try (GenerationSession session = new GenerationSession(model.decoder(), model.cache(), false)) {
                GenerationSession.Sequence a = session.add(kept, new Greedy(30, Set.of()), null);
                GenerationSession.Sequence b = session.add(model.encode("The dog"), new Greedy(30, Set.of()),
                        (sequence, token, last) -> told.add(sequence));
                assertEquals(1, b.id());
                for (int i = 0; i < 5; i++) {
                    session.step();
                }
                long before = model.cache().reservedBytes();
                session.cancel(b);
                assertTrue(b.done() && b.cancelled());
                assertEquals(5, b.generated().length, "what it generated stays readable");
                assertEquals(List.of(1, 1, 1, 1, 1), told);
                assertTrue(model.cache().reservedBytes() < before, "its slot was freed at once");
                assertEquals(1, session.liveCount());
                while (!session.idle()) {
                    session.step();
                }
                assertArrayEquals(keptAlone, a.generated());
                assertEquals(5, b.generated().length, "a cancelled sequence takes no more steps");
            }
            assertEquals(0, model.cache().reservedBytes());
        }
    }

    @Test
    void aSessionRefusesAnEmptyPromptOrOneThatFillsTheContextByItsNumber() {
        try (CausalLM model = Spotlight.causalLM(SharedModels.require("stories260K").resolve("hf").toString());
             GenerationSession session = new GenerationSession(model.decoder(), model.cache(), false)) {
            assertNotNull(session.add(model.encode("Hi"), new Greedy(2, Set.of()), null));
            ModelException empty = assertThrows(ModelException.class, () -> session.tryAdd(new int[0], new Greedy(2, Set.of()), null));
            assertEquals("prompt 1 has no tokens: a decoder needs at least one (e.g. its BOS token)", empty.getMessage());
            ModelException full = assertThrows(ModelException.class, () -> session.add(new int[512], new Greedy(2, Set.of()), null));
            assertTrue(full.getMessage().startsWith("prompt 1 has 512 tokens, but the model's context is 512"), full.getMessage());
            assertEquals(1, session.liveCount());
        }
    }
}
