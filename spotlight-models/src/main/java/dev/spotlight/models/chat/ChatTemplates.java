package dev.spotlight.models.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotlight.models.ModelException;
import dev.spotlight.models.ModelFormatException;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A tokenizer's chat templates as transformers reads them from tokenizer_config.json: {@code chat_template}
 * as one string, or as a list of {@code {"name", "template"}} (chosen as get_chat_template chooses:
 * "tool_use" when tools are given and it exists, else "default"), together with the special tokens
 * transformers passes to every render ({@code {**tokenizer.special_tokens_map, **kwargs}}): bos_token,
 * eos_token, unk_token, sep_token, pad_token, cls_token, mask_token (strings or AddedToken objects'
 * content) and additional_special_tokens.
 * <p>
 * A template that does not parse (or uses a feature this renderer lacks) does not stop the model from
 * loading: {@link #select} then fails with that reason, so plain completions keep working.
 */
public final class ChatTemplates {
    private static final List<String> SPECIAL_TOKENS = List.of("bos_token", "eos_token", "unk_token", "sep_token",
            "pad_token", "cls_token", "mask_token");

    private final Map<String, Object> templates;  // name → ChatTemplate, or the ModelFormatException that parsing it gave
    private final boolean named;
    private final Map<String, Object> specialTokens;
    private final String origin;

    private ChatTemplates(Map<String, Object> templates, boolean named, Map<String, Object> specialTokens, String origin) {
        this.templates = templates;
        this.named = named;
        this.specialTokens = Collections.unmodifiableMap(specialTokens);
        this.origin = origin;
    }

    /**
     * The templates a model folder gives transformers: chat_template.jinja when present (it overrides the
     * config's, as in transformers), else tokenizer_config.json's. Never fails: a malformed file or a template
     * that does not parse leaves a model without a usable template, and {@link #select} says why.
     *
     * @param tokenizerConfig    tokenizer_config.json's bytes, or null
     * @param chatTemplateJinja  chat_template.jinja's text, or null
     */
    public static ChatTemplates load(byte[] tokenizerConfig, String chatTemplateJinja, String source) {
        ChatTemplates config;
        try {
            config = fromTokenizerConfig(tokenizerConfig, source);
        } catch (ModelFormatException e) {
            Map<String, Object> broken = new LinkedHashMap<>();
            broken.put("default", e);
            return new ChatTemplates(broken, false, Map.of(), source + " tokenizer_config.json");
        }
        if (chatTemplateJinja == null) {
            return config;
        }
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("default", compile(chatTemplateJinja, source + " chat_template.jinja"));
        return new ChatTemplates(file, false, config.specialTokens, source + " chat_template.jinja");
    }

    /** Reads tokenizer_config.json's bytes (null: none); {@code source} names the model for messages. */
    public static ChatTemplates fromTokenizerConfig(byte[] json, String source) {
        String file = source + " tokenizer_config.json";
        if (json == null) {
            return new ChatTemplates(Map.of(), false, Map.of(), file);
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new ModelFormatException(file + " is not well-formed JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw new ModelFormatException(file + ": expected a JSON object");
        }
        Map<String, Object> tokens = new LinkedHashMap<>();
        for (String key : SPECIAL_TOKENS) {
            String token = token(root.get(key), file, key);
            if (token != null) {
                tokens.put(key, token);
            }
        }
        JsonNode extra = root.get("additional_special_tokens");
        if (extra != null && extra.isArray()) {
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < extra.size(); i++) {
                list.add(token(extra.get(i), file, "additional_special_tokens[" + i + "]"));
            }
            tokens.put("additional_special_tokens", list);
        }
        Map<String, Object> templates = new LinkedHashMap<>();
        JsonNode chat = root.get("chat_template");
        boolean named = chat != null && chat.isArray();
        if (chat == null || chat.isNull()) {
            return new ChatTemplates(templates, false, tokens, file);
        }
        if (chat.isTextual()) {
            templates.put("default", compile(chat.asText(), file + " chat_template"));
        } else if (named) {
            for (int i = 0; i < chat.size(); i++) {
                JsonNode t = chat.get(i);
                if (!t.path("name").isTextual() || !t.path("template").isTextual()) {
                    throw new ModelFormatException(file + ": chat_template[" + i + "] must be an object with a string \"name\" and \"template\"");
                }
                templates.put(t.get("name").asText(), compile(t.get("template").asText(),
                        file + " chat_template \"" + t.get("name").asText() + "\""));
            }
        } else {
            throw new ModelFormatException(file + ": chat_template is " + chat.getNodeType()
                    + ", expected a string or a list of {name, template} objects");
        }
        return new ChatTemplates(templates, named, tokens, file);
    }

    private static Object compile(String source, String origin) {
        try {
            return ChatTemplate.parse(source, origin);
        } catch (ModelFormatException e) {
            return e;
        }
    }

    private static String token(JsonNode v, String file, String key) {
        if (v == null || v.isNull()) {
            return null;
        }
        JsonNode content = v.isObject() ? v.get("content") : v;
        if (content == null || !content.isTextual()) {
            throw new ModelFormatException(file + ": " + key + " is " + v + ", expected a string or an object with a string \"content\"");
        }
        return content.asText();
    }

    public boolean isEmpty() {
        return templates.isEmpty();
    }

    /** The special tokens every render receives as variables. */
    public Map<String, Object> specialTokens() {
        return specialTokens;
    }

    /**
     * The template transformers would use, as its get_chat_template chooses.
     *
     * @throws ModelException when there is no template, no default among named ones, or it did not parse
     */
    public ChatTemplate select(boolean withTools) {
        if (templates.isEmpty()) {
            throw new ModelException(origin + " has no chat_template, so there is no trained way to turn messages into a prompt");
        }
        Object chosen;
        if (!named) {
            chosen = templates.get("default");
        } else if (withTools && templates.containsKey("tool_use")) {
            chosen = templates.get("tool_use");
        } else if (templates.containsKey("default")) {
            chosen = templates.get("default");
        } else {
            throw new ModelException(origin + " has several chat templates and none named \"default\": "
                    + new TreeSet<>(templates.keySet()));
        }
        if (chosen instanceof ModelFormatException e) {
            throw e;
        }
        return (ChatTemplate) chosen;
    }

    /**
     * Renders a conversation as apply_chat_template(messages, tools=tools, add_generation_prompt=…, **kwargs) does.
     *
     * @param tools  JSON-schema tool descriptions, or null (the template then sees {@code tools = None})
     * @param extra  further template variables (enable_thinking, date_string, …); they override special tokens
     */
    public String render(List<ChatMessage> messages, List<?> tools, boolean addGenerationPrompt, Map<String, ?> extra,
                         Clock clock) {
        Map<String, Object> vars = new LinkedHashMap<>(specialTokens);
        List<Object> list = new ArrayList<>(messages.size());
        messages.forEach(m -> list.add(m.fields()));
        vars.put("messages", list);
        vars.put("tools", tools);
        vars.put("documents", null);
        vars.put("add_generation_prompt", addGenerationPrompt);
        vars.putAll(extra);
        return select(tools != null).render(vars, clock);
    }
}
