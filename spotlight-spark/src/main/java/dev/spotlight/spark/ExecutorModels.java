package dev.spotlight.spark;

import dev.spotlight.models.CausalLM;
import dev.spotlight.models.EncoderModel;
import dev.spotlight.models.Spotlight;
import dev.spotlight.models.hub.ModelFiles;
import dev.spotlight.models.hub.ModelResolver;
import dev.spotlight.models.tasks.TaskModel;
import dev.spotlight.tokenizers.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The models of this JVM, one per kind and location, loaded by the first task that asks and shared by
 * every later task and stage (an {@link EncoderModel}, a {@link TaskModel}, a {@link CausalLM} and a
 * {@link Tokenizer} are thread-safe; none is loaded with options, so the location is the whole key). An executor
 * runs many tasks over its life: loading a model per task or per partition would cost a second or more
 * each time, and a copy per concurrent task would multiply its memory. A failed load is not kept, so a
 * retried task tries again.
 */
final class ExecutorModels {
    private static final Map<String, Lazy<EncoderModel>> ENCODERS = new ConcurrentHashMap<>();
    private static final Map<String, Lazy<Tokenizer>> TOKENIZERS = new ConcurrentHashMap<>();
    private static final Map<String, Lazy<TaskModel>> TASK_MODELS = new ConcurrentHashMap<>();
    private static final Map<String, Lazy<CausalLM>> CAUSAL_LMS = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> LOADS = new ConcurrentHashMap<>();

    private ExecutorModels() {
    }

    static EncoderModel encoder(StageSettings settings) {
        String location = ModelLocation.resolve(settings);
        return get(ENCODERS, location, settings, () -> {
            counted("encoder", location);
            return Spotlight.load(location);
        });
    }

    /** An encoder with a task head (which head: the stage checks). */
    static TaskModel taskModel(StageSettings settings) {
        String location = ModelLocation.resolve(settings);
        return get(TASK_MODELS, location, settings, () -> {
            counted("task", location);
            return TaskModel.load(location);
        });
    }

    /** A decoder-only language model with its tokenizer and generation defaults. */
    static CausalLM causalLM(StageSettings settings) {
        String location = ModelLocation.resolve(settings);
        return get(CAUSAL_LMS, location, settings, () -> {
            counted("causal-lm", location);
            return Spotlight.causalLM(location);
        });
    }

    /** The tokenizer of a model (no weights kept), or of a tokenizer.json file. */
    static Tokenizer tokenizer(StageSettings settings) {
        String location = ModelLocation.resolve(settings);
        Lazy<EncoderModel> loaded = ENCODERS.get(location);
        if (loaded != null && loaded.isDone()) {
            return loaded.get().tokenizer();
        }
        return get(TOKENIZERS, location, settings, () -> readTokenizer(location));
    }

    /** How many times this JVM loaded the encoder at {@code location}: for tests. */
    static int encoderLoads(String location) {
        return loads("encoder", location);
    }

    /** How many times this JVM loaded a model of {@code kind} (encoder, task, causal-lm) at {@code location}: for tests. */
    static int loads(String kind, String location) {
        AtomicInteger n = LOADS.get(kind + " " + location);
        return n == null ? 0 : n.get();
    }

    private static void counted(String kind, String location) {
        LOADS.computeIfAbsent(kind + " " + location, k -> new AtomicInteger()).incrementAndGet();
    }

    private static Tokenizer readTokenizer(String location) {
        Path path = Path.of(location);
        if (location.endsWith(".json") && Files.isRegularFile(path)) {
            return Tokenizer.fromFile(path);
        }
        try (ModelFiles files = ModelResolver.resolve(location)) {
            return Tokenizer.fromJson(new String(files.tokenizerJson(), StandardCharsets.UTF_8), files.source() + " tokenizer.json");
        }
    }

    private static <T> T get(Map<String, Lazy<T>> cache, String location, StageSettings settings, Supplier<T> loader) {
        Lazy<T> lazy = cache.computeIfAbsent(location, l -> new Lazy<>(loader));
        try {
            return lazy.get();
        } catch (SpotlightSparkException e) {
            cache.remove(location, lazy);
            throw e;
        } catch (RuntimeException e) {
            cache.remove(location, lazy);
            throw new SpotlightSparkException(settings.error("model", settings.model(), "cannot load " + location
                    + " on " + ModelLocation.where() + ": " + e.getMessage()), e);
        }
    }

    /** A value computed once, by the first caller; the others wait for it. */
    private static final class Lazy<T> {
        private final Supplier<T> loader;
        private volatile T value;

        Lazy(Supplier<T> loader) {
            this.loader = loader;
        }

        boolean isDone() {
            return value != null;
        }

        T get() {
            T v = value;
            if (v == null) {
                synchronized (this) {
                    v = value;
                    if (v == null) {
                        v = loader.get();
                        value = v;
                    }
                }
            }
            return v;
        }
    }
}
