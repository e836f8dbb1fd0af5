package dev.spotlight.models.tasks;

import dev.spotlight.models.Capture;
import dev.spotlight.models.EncoderOutput;
import dev.spotlight.models.FiniteActivations;
import dev.spotlight.models.ModelFormatException;
import dev.spotlight.models.PackedBatch;
import dev.spotlight.models.bert.BertEncoder;
import dev.spotlight.models.bert.BertHeads;
import dev.spotlight.models.bert.MaskedLmHead;
import dev.spotlight.models.bert.SequenceHead;
import dev.spotlight.models.bert.TokenHead;
import dev.spotlight.models.config.ModelConfig;
import dev.spotlight.models.config.TaskConfig;
import dev.spotlight.models.hub.ModelFiles;
import dev.spotlight.models.hub.ModelResolver;
import dev.spotlight.tokenizers.EncodeOptions;
import dev.spotlight.tokenizers.Encoding;
import dev.spotlight.tokenizers.Padding;
import dev.spotlight.tokenizers.Tokenizer;
import dev.spotlight.tokenizers.Truncation;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A BERT-family encoder with the task head its config.json names ({@code …ForTokenClassification},
 * {@code …ForSequenceClassification}, {@code …ForQuestionAnswering}, {@code …ForMaskedLM}), and its
 * tokenizer: the model under the pipelines ({@link TokenClassification}, {@link QuestionAnswering},
 * {@link TextClassification}, {@link ZeroShotClassification}, {@link FillMask}, {@link Reranker}).
 * Thread-safe; every tensor is copied and packed at load.
 */
public final class TaskModel implements AutoCloseable {
    /** Inputs per forward pass in the pipelines: packing makes the batch's shape irrelevant to cost, this bounds memory. */
    public static final int BATCH = 64;

    private final String name;
    private final Task task;
    private final Tokenizer tokenizer;
    private final BertEncoder encoder;
    private final TaskConfig taskConfig;
    private final TokenizerSettings settings;
    private final TokenHead tokenHead;       // token classification, question answering
    private final SequenceHead sequenceHead; // sequence classification
    private final MaskedLmHead maskedLmHead; // masked LM

    private TaskModel(String name, Task task, Tokenizer tokenizer, BertEncoder encoder, TaskConfig taskConfig,
                      TokenizerSettings settings, TokenHead tokenHead, SequenceHead sequenceHead, MaskedLmHead maskedLmHead) {
        this.name = name;
        this.task = task;
        this.tokenizer = tokenizer;
        this.encoder = encoder;
        this.taskConfig = taskConfig;
        this.settings = settings;
        this.tokenHead = tokenHead;
        this.sequenceHead = sequenceHead;
        this.maskedLmHead = maskedLmHead;
    }

    /** A built-in name, Hugging Face folder, .onnx file or jar whose config.json names a task head. */
    public static TaskModel load(String nameOrPath) {
        return from(ModelResolver.resolve(nameOrPath), null);
    }

    /** Like {@link #load(String)}, refusing a model whose head is not {@code required}'s. */
    public static TaskModel load(String nameOrPath, Task required) {
        return from(ModelResolver.resolve(nameOrPath), required);
    }

    /**
     * Builds the model and closes {@code files}. {@code required} (nullable) is the head the caller
     * needs; a model with another head, or none, is refused with a message naming what is missing.
     */
    public static TaskModel from(ModelFiles files, Task required) {
        try (files) {
            ModelConfig config = files.encoderConfig();
            if (files.configJson() == null) {
                throw new ModelFormatException(files.source() + ": no config.json, so no task head: a task model needs"
                        + " config.json with architectures (e.g. " + (required == null ? Task.TOKEN_CLASSIFICATION : required)
                        .architectureHint() + ") and id2label");
            }
            TaskConfig taskConfig = TaskConfig.parse(files.configJson(), files.source() + " config.json");
            Task task = Task.of(taskConfig).orElseThrow(() -> new ModelFormatException(files.source() + ": config.json"
                    + " architectures " + taskConfig.architectures() + " names no task head, expected "
                    + (required == null ? "…ForTokenClassification, …ForSequenceClassification, …ForQuestionAnswering or …ForMaskedLM"
                    : required.architectureHint() + " for " + required.description())
                    + " (an embedding model has none; use spotlight embed)"));
            if (required != null && task != required) {
                throw new ModelFormatException(files.source() + ": config.json architectures " + taskConfig.architectures()
                        + " is a " + task.description() + " model, expected " + required.architectureHint() + " for "
                        + required.description());
            }
            Tokenizer tokenizer = Tokenizer.fromJson(new String(files.tokenizerJson(), StandardCharsets.UTF_8),
                    files.source() + " tokenizer.json");
            TokenizerSettings settings = TokenizerSettings.read(tokenizer, files.tokenizerConfigJson(), files.source());
            BertEncoder encoder = BertEncoder.load(config, files.weights());
            String architecture = task.architecture(taskConfig);
            int labels = taskConfig.numLabels();
            return switch (task) {
                case TOKEN_CLASSIFICATION -> new TaskModel(files.name(), task, tokenizer, encoder, taskConfig, settings,
                        BertHeads.tokenClassifier(config, files.weights(), labels, architecture), null, null);
                case QUESTION_ANSWERING -> new TaskModel(files.name(), task, tokenizer, encoder, taskConfig, settings,
                        BertHeads.questionAnswering(config, files.weights(), architecture), null, null);
                case SEQUENCE_CLASSIFICATION -> new TaskModel(files.name(), task, tokenizer, encoder, taskConfig, settings, null,
                        BertHeads.sequenceClassifier(config, files.weights(), labels, architecture), null);
                case MASKED_LM -> new TaskModel(files.name(), task, tokenizer, encoder, taskConfig, settings, null, null,
                        BertHeads.maskedLm(config, files.weights(), taskConfig.tieWordEmbeddings(), architecture));
            };
        }
    }

    public String name() {
        return name;
    }

    public Task task() {
        return task;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public ModelConfig config() {
        return encoder.config();
    }

    public TaskConfig taskConfig() {
        return taskConfig;
    }

    public TokenizerSettings settings() {
        return settings;
    }

    /** The label of each class index (id2label). */
    public List<String> labels() {
        return taskConfig.labels();
    }

    /**
     * The longest input the pipelines give the model: the tokenizer's model_max_length, capped at what
     * the position table holds (transformers would fail past it; Spotlight truncates there instead).
     */
    public int maxLength() {
        return Math.min(settings.modelMaxLength(), encoder.maxSequenceLength());
    }

    /** Special tokens added, no padding, truncation at {@link #maxLength()}: how the pipelines tokenize one input. */
    public EncodeOptions options() {
        return new EncodeOptions(true, null, Truncation.of(maxLength()));
    }

    /**
     * Runs the encoder and the head. Encodings may have different lengths and padding; only tokens
     * whose attention mask is 1 are computed. The masked-LM head runs later, on the rows asked for.
     */
    public Run run(List<Encoding> encodings, Capture capture) {
        List<Encoding> rectangle = encodings.size() > 1 ? Padding.batchLongest().apply(encodings) : encodings;
        EncoderOutput output = encoder.forward(PackedBatch.of(rectangle), capture);
        float[] logits = switch (task) {
            case TOKEN_CLASSIFICATION, QUESTION_ANSWERING -> tokenHead.apply(output);
            case SEQUENCE_CLASSIFICATION -> sequenceHead.apply(output);
            case MASKED_LM -> null;
        };
        int width = switch (task) {
            case TOKEN_CLASSIFICATION, SEQUENCE_CLASSIFICATION -> labels().size();
            case QUESTION_ANSWERING -> 2;
            case MASKED_LM -> maskedLmHead.vocabSize();
        };
        if (logits != null) {
            FiniteActivations.check(logits, logits.length, name + ": a logit of the " + task.description() + " head",
                    i -> "row " + i / width);
        }
        return new Run(List.copyOf(encodings), output, logits, width);
    }

    /** Masked-LM logits over the vocabulary of token {@code token} of sequence {@code sequence}: [vocab]. */
    public float[] maskedLmLogits(Run run, int sequence, int token) {
        if (maskedLmHead == null) {
            throw new IllegalStateException(name + " is a " + task.description() + " model, not a masked language model");
        }
        float[] logits = maskedLmHead.apply(run.output(), new int[] {run.row(sequence, token)});
        FiniteActivations.check(logits, logits.length, name + ": a logit of the masked-LM head",
                i -> "sequence " + sequence + ", token " + token);
        return logits;
    }

    /** Where one input of a pipeline was run: sequence {@code sequence} of the forward pass {@code run}. */
    public record Window(Run run, int sequence) {
        /** The input itself. */
        public Encoding encoding() {
            return run.encodings().get(sequence);
        }
    }

    /**
     * What one forward pass computed.
     *
     * @param logits token tasks: [tokens, width] over the packed real tokens; sequence classification:
     *               [batch, width]; null for the masked LM (see {@link #maskedLmLogits})
     */
    public record Run(List<Encoding> encodings, EncoderOutput output, float[] logits, int width) {
        /** The packed row of token {@code token} (an index into the encoding) of sequence {@code sequence}. */
        public int row(int sequence, int token) {
            int[] mask = encodings.get(sequence).attentionMask();
            if (mask[token] != 1) {
                throw new IllegalArgumentException("token " + token + " of sequence " + sequence + " is padding");
            }
            int row = output.batch().cuSeqLens()[sequence];
            for (int t = 0; t < token; t++) {
                row += mask[t];
            }
            return row;
        }

        /** The logits of one token ([width]) for token tasks, or of one sequence for sequence classification. */
        public float[] logits(int sequence, int token) {
            int row = token < 0 ? sequence : row(sequence, token);
            float[] out = new float[width];
            System.arraycopy(logits, row * width, out, 0, width);
            return out;
        }
    }

    @Override
    public void close() {
        // Weights were copied and packed at load; nothing is held open.
    }
}
