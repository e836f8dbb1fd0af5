package dev.spotlight.models.bert;

import dev.spotlight.models.ModelFormatException;
import dev.spotlight.models.config.ModelConfig;
import dev.spotlight.models.weights.Weights;
import java.util.List;
import java.util.Locale;

/**
 * The members of the BERT family differ in three things only: the tensor names, whether token
 * types exist, and how positions are numbered. This names those differences once, so the
 * forward pass is the same code for all of them.
 */
enum BertFamily {
    /** BERT, MiniLM, BGE, E5: positions 0..L-1, token types. */
    BERT,
    /** RoBERTa and XLM-R: positions start after the padding index, as transformers computes them. */
    ROBERTA,
    /** DistilBERT: positions 0..L-1, no token types, its own module names. */
    DISTILBERT;

    static BertFamily of(ModelConfig config, String source) {
        return switch (config.modelType().toLowerCase(Locale.ROOT)) {
            case "bert", "minilm", "bge", "e5" -> BERT;
            case "roberta", "xlm-roberta", "camembert" -> ROBERTA;
            case "distilbert" -> DISTILBERT;
            default -> throw new ModelFormatException(source + ": config.json: model_type \"" + config.modelType()
                    + "\" is not supported, expected one of bert, roberta, xlm-roberta, camembert, distilbert");
        };
    }

    /** Position id of the {@code index}-th real token of a sequence. */
    int position(int index, ModelConfig config) {
        return this == ROBERTA ? config.padTokenId() + 1 + index : index;
    }

    /**
     * The prefix the checkpoint puts before the model's own names: a bare {@code BertModel} saves
     * "embeddings.…", a task model saves "bert.embeddings.…" (or "roberta.", "distilbert.").
     */
    String prefix(Weights weights) {
        for (String prefix : List.of("", "bert.", "roberta.", "distilbert.", "model.")) {
            if (weights.contains(prefix + "embeddings.word_embeddings.weight")) {
                return prefix;
            }
        }
        throw new ModelFormatException(weights.source() + ": tensor embeddings.word_embeddings.weight is missing "
                + "(looked for it with the prefixes '', 'bert.', 'roberta.', 'distilbert.', 'model.')");
    }

    /** Module names of layer {@code i}, in the checkpoint's own vocabulary. */
    LayerNames layer(int i) {
        if (this == DISTILBERT) {
            String l = "transformer.layer." + i + ".";
            return new LayerNames(l + "attention.q_lin", l + "attention.k_lin", l + "attention.v_lin",
                    l + "attention.out_lin", l + "sa_layer_norm", l + "ffn.lin1", l + "ffn.lin2", l + "output_layer_norm");
        }
        String l = "encoder.layer." + i + ".";
        return new LayerNames(l + "attention.self.query", l + "attention.self.key", l + "attention.self.value",
                l + "attention.output.dense", l + "attention.output.LayerNorm", l + "intermediate.dense",
                l + "output.dense", l + "output.LayerNorm");
    }

    boolean hasTokenTypes() {
        return this != DISTILBERT;
    }

    /** Names of one layer's modules; each has {@code .weight} and {@code .bias}. */
    record LayerNames(String query, String key, String value, String attentionOutput, String attentionNorm,
                      String intermediate, String output, String outputNorm) {
    }
}
