package dev.spotlight.spark;

import dev.spotlight.models.CausalLM;
import dev.spotlight.models.chat.ChatMessage;
import dev.spotlight.models.generation.GenerationOptions;
import dev.spotlight.models.generation.GenerationResult;
import dev.spotlight.models.generation.GenerationSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.RowFactory;

/**
 * {@link SpotlightGenerator}'s work on an executor: each prompt of the batch encoded (through the chat
 * template when asked) and checked alone, then every valid prompt generated in one
 * {@code CausalLM.generateIds} call, which packs them and gives each what it would get alone.
 * Holds the options as plain values: {@link GenerationOptions} is built where it is used.
 */
record GenerationKernel(Integer maxNewTokens, Double temperature, Integer topK, Double topP, long seed,
                        List<String> stopStrings, boolean keepStopString, boolean chat, String systemMessage,
                        boolean details) implements BatchKernel {

    /** What {@code CausalLM.generate} is asked; null fields are the model's defaults. */
    GenerationOptions options() {
        GenerationOptions o = GenerationOptions.DEFAULTS.withMaxNewTokens(maxNewTokens).withTemperature(temperature).withTopK(topK)
                .withTopP(topP).withSeed(seed).withKeepStopString(keepStopString);
        return stopStrings == null ? o : o.withStopStrings(stopStrings);
    }

    @Override
    public Object[] run(StageSettings settings, List<String> prompts, List<?> pairs) {
        CausalLM lm = ExecutorModels.causalLM(settings);
        if (chat && !lm.hasChatTemplate()) {
            throw new SpotlightSparkException(settings.error("chatTemplate", true, lm.name() + " has no chat template"
                    + " (tokenizer_config.json chat_template, or chat_template.jinja): set chatTemplate to false to continue"
                    + " the prompts as text"));
        }
        GenerationOptions options = options();
        try {
            GenerationSettings.resolve(lm.generationConfig(), options);
        } catch (IllegalArgumentException e) {
            // the options against the model's generation_config.json: every row would fail alike
            throw new SpotlightSparkException(settings.error("temperature", temperature == null ? "unset" : temperature,
                    e.getMessage()), e);
        }
        int context = lm.config().maxPositions();
        Object[] out = new Object[prompts.size()];
        List<int[]> ids = new ArrayList<>();
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            Object encoded = BatchKernel.orInvalid(prompts.get(i), p -> encode(lm, p, context));
            if (encoded instanceof int[] prompt) {
                ids.add(prompt);
                rows.add(i);
            } else {
                out[i] = encoded;
            }
        }
        if (!ids.isEmpty()) {
            List<CausalLM.Generation> generations = lm.generateIds(ids, options, false, null);
            for (int s = 0; s < generations.size(); s++) {
                out[rows.get(s)] = output(generations.get(s).result());
            }
        }
        return out;
    }

    /** The prompt's ids, or why it cannot be generated from. */
    private Object encode(CausalLM lm, String prompt, int context) {
        int[] ids = chat ? lm.encodeChatPrompt(lm.applyChatTemplate(conversation(prompt), true)) : lm.encode(prompt);
        if (ids.length == 0) {
            return new Invalid("the prompt has no tokens (the model's tokenizer adds no BOS to an empty text), and a decoder"
                    + " needs at least one");
        }
        if (ids.length >= context) {
            return new Invalid("the prompt has " + ids.length + " tokens and the model's context " + context
                    + " positions: no room to generate");
        }
        return ids;
    }

    /** A one-turn conversation: the system message if set, then the prompt as the user's message. */
    private List<ChatMessage> conversation(String prompt) {
        List<ChatMessage> messages = new ArrayList<>();
        if (!systemMessage.isEmpty()) {
            messages.add(ChatMessage.of("system", systemMessage));
        }
        messages.add(ChatMessage.of("user", prompt));
        return messages;
    }

    private Object output(GenerationResult r) {
        if (!details) {
            return r.text();
        }
        return RowFactory.create(r.text(), r.finish().reason().name().toLowerCase(Locale.ROOT), r.finish().stopString(),
                r.promptIds().length, r.generatedIds().length, r.generatedIds());
    }
}
