package dev.spotlight.models.bert;

import dev.spotlight.models.ModelFormatException;
import dev.spotlight.models.config.ModelConfig;
import dev.spotlight.models.weights.Weights;
import dev.spotlight.tensor.kernels.Activation;
import java.util.List;

/**
 * The task heads transformers puts on a BERT-family encoder, read by their Hugging Face names (at
 * the checkpoint's root, beside the "bert." / "roberta." / "distilbert." encoder) and checked against
 * config.json. Each family names and shapes its heads differently; the modules are those of
 * transformers' {@code BertFor*}, {@code RobertaFor*} (XLM-R shares them) and {@code DistilBertFor*}.
 */
public final class BertHeads {
    private BertHeads() {
    }

    /** {@code …ForTokenClassification}: {@code classifier}, one logit per label and token. */
    public static TokenHead tokenClassifier(ModelConfig config, Weights weights, int labels, String architecture) {
        check(weights, architecture, "classifier.weight");
        return new TokenHead(labeled(weights, "classifier", labels, config.hiddenSize(), architecture));
    }

    /** {@code …ForQuestionAnswering}: {@code qa_outputs}, a start and an end logit per token. */
    public static TokenHead questionAnswering(ModelConfig config, Weights weights, String architecture) {
        check(weights, architecture, "qa_outputs.weight");
        long[] shape = weights.shape("qa_outputs.weight");
        if (shape.length != 2 || shape[0] != 2) {
            throw new ModelFormatException(weights.source() + ": tensor qa_outputs.weight has shape " + java.util.Arrays.toString(shape)
                    + ", expected [2, " + config.hiddenSize() + "] (a start and an end logit)");
        }
        return new TokenHead(BertWeights.linear(weights, "qa_outputs", 2, config.hiddenSize()));
    }

    /**
     * {@code …ForSequenceClassification} on the first token: BERT's pooler then {@code classifier};
     * RoBERTa's {@code classifier.dense} → tanh → {@code classifier.out_proj}; DistilBERT's
     * {@code pre_classifier} → ReLU → {@code classifier}.
     */
    public static SequenceHead sequenceClassifier(ModelConfig config, Weights weights, int labels, String architecture) {
        BertFamily family = BertFamily.of(config, weights.source());
        int hidden = config.hiddenSize();
        return switch (family) {
            case BERT -> {
                String pooler = family.prefix(weights) + "pooler.dense.weight";
                check(weights, architecture, pooler);
                check(weights, architecture, "classifier.weight");
                yield new SequenceHead(SequenceHead.Kind.POOLER, null, labeled(weights, "classifier", labels, hidden, architecture));
            }
            case ROBERTA -> {
                check(weights, architecture, "classifier.out_proj.weight");
                yield new SequenceHead(SequenceHead.Kind.TANH, BertWeights.linear(weights, "classifier.dense", hidden, hidden),
                        labeled(weights, "classifier.out_proj", labels, hidden, architecture));
            }
            case DISTILBERT -> {
                check(weights, architecture, "pre_classifier.weight");
                yield new SequenceHead(SequenceHead.Kind.RELU, BertWeights.linear(weights, "pre_classifier", hidden, hidden),
                        labeled(weights, "classifier", labels, hidden, architecture));
            }
        };
    }

    /**
     * {@code …ForMaskedLM}: transform (dense, activation, LayerNorm) then the decoder, whose matrix
     * is the word embeddings when the checkpoint does not store its own (tied, as transformers saves it).
     */
    public static MaskedLmHead maskedLm(ModelConfig config, Weights weights, boolean tiedEmbeddings, String architecture) {
        BertFamily family = BertFamily.of(config, weights.source());
        MlmNames n = switch (family) {
            // BertOnlyMLMHead: the transform uses hidden_act and layer_norm_eps.
            case BERT -> new MlmNames("cls.predictions.transform.dense", "cls.predictions.transform.LayerNorm",
                    List.of("cls.predictions.decoder.weight"), List.of("cls.predictions.bias", "cls.predictions.decoder.bias"),
                    BertEncoder.activation(config.hiddenAct(), weights.source()), config.layerNormEps());
            // RobertaLMHead: exact GELU whatever hidden_act says, layer_norm_eps.
            case ROBERTA -> new MlmNames("lm_head.dense", "lm_head.layer_norm", List.of("lm_head.decoder.weight"),
                    List.of("lm_head.bias", "lm_head.decoder.bias"), Activation.GELU_ERF, config.layerNormEps());
            // DistilBertForMaskedLM: the config's activation, a LayerNorm with eps fixed at 1e-12.
            case DISTILBERT -> new MlmNames("vocab_transform", "vocab_layer_norm", List.of("vocab_projector.weight"),
                    List.of("vocab_projector.bias"), BertEncoder.activation(config.hiddenAct(), weights.source()), 1e-12);
        };
        check(weights, architecture, n.transform() + ".weight");
        int hidden = config.hiddenSize();
        int vocab = config.vocabSize();
        BertWeights.Linear transform = BertWeights.linear(weights, n.transform(), hidden, hidden);
        BertWeights.Norm norm = BertWeights.norm(weights, n.norm(), hidden);
        String decoder = first(weights, n.decoders());
        float[] matrix; // [vocab, hidden]
        if (decoder != null) {
            matrix = weights.floats(decoder, vocab, hidden);
        } else if (tiedEmbeddings) {
            matrix = weights.floats(family.prefix(weights) + "embeddings.word_embeddings.weight", vocab, hidden);
        } else {
            throw new ModelFormatException(weights.source() + ": tensor " + n.decoders().getFirst() + " is missing and config.json"
                    + " says tie_word_embeddings false, so the word embeddings cannot stand in for it");
        }
        String bias = first(weights, n.biases());
        float[] b = bias == null ? new float[vocab] : weights.floats(bias, vocab);
        return new MaskedLmHead(transform, n.activation(), norm, (float) n.eps(),
                new BertWeights.Linear(dev.spotlight.tensor.kernels.PackedMatrix.packTransposed(matrix, vocab, hidden), b), vocab);
    }

    private record MlmNames(String transform, String norm, List<String> decoders, List<String> biases, Activation activation,
                            double eps) {
    }

    private static String first(Weights weights, List<String> names) {
        return names.stream().filter(weights::contains).findFirst().orElse(null);
    }

    /** A linear layer whose output rows are the labels of config.json, with a message naming both counts. */
    private static BertWeights.Linear labeled(Weights weights, String module, int labels, int hidden, String architecture) {
        long[] shape = weights.shape(module + ".weight");
        if (shape.length != 2 || shape[0] != labels || shape[1] != hidden) {
            throw new ModelFormatException(weights.source() + ": tensor " + module + ".weight has shape "
                    + java.util.Arrays.toString(shape) + " but config.json (" + architecture + ") has " + labels
                    + " labels (id2label / num_labels) and hidden size " + hidden + ", expected [" + labels + ", " + hidden + "]");
        }
        return BertWeights.linear(weights, module, labels, hidden);
    }

    private static void check(Weights weights, String architecture, String tensor) {
        if (!weights.contains(tensor)) {
            throw new ModelFormatException(weights.source() + ": tensor " + tensor + " is missing: config.json says "
                    + architecture + ", whose head needs it (is this a base model without that head?)");
        }
    }
}
