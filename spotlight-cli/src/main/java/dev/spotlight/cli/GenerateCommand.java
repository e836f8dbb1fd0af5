package dev.spotlight.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spotlight.explain.BatchCapture;
import dev.spotlight.models.CausalLM;
import dev.spotlight.models.chat.ChatMessage;
import dev.spotlight.models.hub.ModelResolver;
import dev.spotlight.models.generation.GenerationOptions;
import dev.spotlight.models.generation.GenerationResult;
import dev.spotlight.models.generation.GenerationSettings;
import dev.spotlight.models.generation.SequencePolicy;
import dev.spotlight.view.OutputFiles;
import dev.spotlight.view.html.HtmlViewer;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code spotlight generate}: continues prompts with a causal language model, all prompts together in
 * packed batches, streaming the text of a single prompt to the terminal as it is generated. With
 * {@code --chat} each prompt is a user message that the model's chat template turns into the prompt.
 */
@Command(name = "generate",
        mixinStandardHelpOptions = true,
        description = "Continue text with a causal language model (Llama, Mistral, Qwen2, Qwen3, GPT-2, llama2.c .bin).")
public final class GenerateCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PROMPT", arity = "0..*", description = "Prompts; several generate together.")
    List<String> prompts = new ArrayList<>();

    @Option(names = "--model", required = true, paramLabel = "M",
            description = "A Hugging Face model folder, or a llama2.c .bin checkpoint.")
    String model;

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "A llama2.c .bin checkpoint's tokenizer (default: tok<vocab>.bin or tokenizer.bin beside it).")
    Path tokenizer;

    @Option(names = "--max-new-tokens", paramLabel = "N", description = "At most N new tokens per prompt (default: the model's, else 20).")
    Integer maxNewTokens;

    @Option(names = "--temperature", paramLabel = "T", description = "0 = greedy; above 0 samples (default: the model's).")
    Double temperature;

    @Option(names = "--top-k", paramLabel = "K", description = "Sample among the K most likely tokens (0 = off).")
    Integer topK;

    @Option(names = "--top-p", paramLabel = "P", description = "Sample among the most likely tokens whose probabilities add up to P.")
    Double topP;

    @Option(names = "--min-p", paramLabel = "P", description = "Drop tokens less likely than P × the most likely one.")
    Double minP;

    @Option(names = "--repetition-penalty", paramLabel = "R", description = "Penalise tokens already in the text (1 = off).")
    Double repetitionPenalty;

    @Option(names = "--seed", paramLabel = "S", description = "Seed for sampling: the same seed gives the same text.")
    Long seed;

    @Option(names = "--stop", paramLabel = "TEXT", description = "Stop a prompt's generation when its text ends in TEXT (repeatable).")
    List<String> stops;

    @Option(names = "--input", paramLabel = "FILE", description = "A .txt file (one prompt per line) or .jsonl file (objects with \"prompt\"); - reads standard input as .txt.")
    Path input;

    @Option(names = "--output", paramLabel = "FILE", description = "Write one JSON object per prompt here (.jsonl); - writes standard output.")
    Path output;

    @Option(names = "--json", description = "Print one JSON object per prompt instead of the text.")
    boolean json;

    @Option(names = "--view", paramLabel = "FILE", description = "Also write the attention viewer (HTML) for the prompts and generated tokens.")
    Path view;

    @Option(names = "--force", description = "Overwrite --output / --view files that exist.")
    boolean force;

    @Option(names = "--chat", description = "Each prompt is a user message: the model's chat template (from tokenizer_config.json)"
            + " makes the prompt, as transformers' apply_chat_template(add_generation_prompt=True) does; only the reply is printed.")
    boolean chat;

    @Option(names = "--system", paramLabel = "TEXT", description = "With --chat: a system message before each user message.")
    String system;

    @Override
    public Integer call() throws IOException {
        if ((input == null) == prompts.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "give either prompts or --input FILE");
        }
        boolean toStdout = TextInputs.STDIN.equals(output);
        if (output != null && !toStdout && Files.isDirectory(output)) {
            throw new ParameterException(spec.commandLine(), "--output " + output + " is a directory; give a file name");
        }
        if (output != null && !toStdout && Files.exists(output) && !force) {
            throw new ParameterException(spec.commandLine(), output + " exists; pass --force to overwrite it");
        }
        if (view != null) {
            ViewerOutput.checkHtmlName(spec.commandLine(), view, "--view");
            ViewerOutput.checkOverwrite(spec.commandLine(), view, force, "--view");
        }
        if (system != null && !chat) {
            throw new ParameterException(spec.commandLine(), "--system sets the system message of a chat: add --chat");
        }
        if (tokenizer != null && !model.endsWith(".bin")) {
            throw new ParameterException(spec.commandLine(), "--tokenizer is for llama2.c .bin checkpoints; "
                    + model + " brings its own tokenizer.json");
        }
        GenerationOptions options = options();
        // the input is read (and any bad line reported) before the model loads
        List<ObjectNode> rows = input != null ? TextInputs.read(input, "prompt")
                : prompts.stream().map(p -> JSON.createObjectNode().put("prompt", p)).toList();
        List<String> texts = rows.stream().map(r -> r.get("prompt").asText()).toList();
        PrintWriter out = spec.commandLine().getOut();
        try (CausalLM lm = tokenizer != null ? CausalLM.from(ModelResolver.llama2c(Path.of(model), tokenizer))
                : CausalLM.from(ModelResolver.resolve(model))) {
            boolean stream = texts.size() == 1 && !json && output == null;
            // the chat prompts are rendered (and a template's refusal reported) before anything is generated
            List<String> chatPrompts = chat ? texts.stream().map(t -> lm.applyChatTemplate(conversation(t), true)).toList() : null;
            List<int[]> ids = chat ? chatPrompts.stream().map(lm::encodeChatPrompt).toList() : texts.stream().map(lm::encode).toList();
            if (view != null) {
                checkViewerFits(lm, ids, options);
            }
            if (stream && !chat) {
                out.print(texts.getFirst());
                out.flush();
            }
            long start = System.nanoTime();
            SequencePolicy.TextListener listener = stream ? (s, delta) -> {
                out.print(delta);
                out.flush();
            } : null;
            List<CausalLM.Generation> generations = lm.generateIds(ids, options, view != null, listener);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (stream) {
                out.println();
            }
            List<GenerationResult> results = generations.stream().map(CausalLM.Generation::result).toList();
            if (chat) {
                for (int i = 0; i < rows.size(); i++) {
                    rows.get(i).put("chat_prompt", chatPrompts.get(i));
                }
            }
            if (toStdout) {
                json = true;
                print(out, rows, texts, results);
            } else if (output != null) {
                write(rows, results);
            } else if (!stream) {
                print(out, rows, texts, results);
            }
            long tokens = results.stream().mapToLong(r -> r.generatedIds().length).sum();
            spec.commandLine().getErr().printf(Locale.ROOT, "%s: %d prompt(s), %d tokens generated in %.2f s (%.1f tokens/s)%n",
                    lm.name(), texts.size(), tokens, seconds, tokens / Math.max(seconds, 1e-9));
            if (view != null) {
                BatchCapture batch = DecoderCaptureConversion.of(lm, chat ? chatPrompts : texts, generations);
                HtmlViewer.write(batch, dev.spotlight.explain.AttentionFlow.DEFAULT_MAX_TOKENS, view);
                spec.commandLine().getErr().printf(Locale.ROOT, "wrote %s (%d layers × %d heads, %s)%n", view, batch.layers(),
                        batch.heads(), ViewerOutput.size(view));
            }
        }
        return 0;
    }

    /**
     * The viewer embeds each sequence's attention, [layers, heads, n, n] over its n prompt and generated
     * tokens, and has a limit; a generation that could pass it is refused before it runs, not after.
     */
    private void checkViewerFits(CausalLM lm, List<int[]> ids, GenerationOptions options) {
        int limit = HtmlViewer.maxTokens(lm.config().numLayers(), lm.config().numHeads());
        GenerationSettings settings = GenerationSettings.resolve(lm.generationConfig(), options);
        for (int s = 0; s < ids.size(); s++) {
            int prompt = ids.get(s).length;
            if (prompt == 0 || prompt >= lm.config().maxPositions()) {
                continue;   // the generation refuses it, with the reason
            }
            long n = (long) prompt + settings.maxNewTokens(prompt, lm.config().maxPositions());
            if (n > limit) {
                throw new ParameterException(spec.commandLine(), String.format(Locale.ROOT, "--view: prompt %d has %d tokens"
                        + " and may grow to %d, but the viewer shows at most %d tokens of %s (%d layers × %d heads of"
                        + " attention per token pair): %s, or drop --view", s, prompt, n, limit, lm.name(),
                        lm.config().numLayers(), lm.config().numHeads(), prompt < limit
                        ? "pass --max-new-tokens " + (limit - prompt) + " or fewer" : "shorten the prompt"));
            }
        }
    }

    /** A one-turn conversation: the --system message if given, then the prompt as the user's message. */
    private List<ChatMessage> conversation(String prompt) {
        List<ChatMessage> messages = new ArrayList<>();
        if (system != null) {
            messages.add(ChatMessage.of("system", system));
        }
        messages.add(ChatMessage.of("user", prompt));
        return messages;
    }

    private GenerationOptions options() {
        try {
            GenerationOptions o = GenerationOptions.DEFAULTS.withMaxNewTokens(maxNewTokens).withTemperature(temperature)
                    .withTopK(topK).withTopP(topP).withMinP(minP).withRepetitionPenalty(repetitionPenalty).withSeed(seed);
            return stops == null ? o : o.withStopStrings(stops);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private void print(PrintWriter out, List<ObjectNode> rows, List<String> texts, List<GenerationResult> results)
            throws IOException {
        for (int i = 0; i < results.size(); i++) {
            if (json) {
                out.println(JSON.writeValueAsString(record(rows.get(i), results.get(i))));
            } else {
                out.println((chat ? "" : texts.get(i)) + results.get(i).text());
                if (i + 1 < results.size()) {
                    out.println();
                }
            }
        }
        out.flush();
    }

    private void write(List<ObjectNode> rows, List<GenerationResult> results) {
        OutputFiles.write(output, "the generations", out -> {
            Path partial = out.resolveSibling(out.getFileName() + ".partial");
            try (BufferedWriter writer = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
                for (int i = 0; i < results.size(); i++) {
                    writer.write(JSON.writeValueAsString(record(rows.get(i), results.get(i))));
                    writer.newLine();
                }
            }
            // Only a complete file takes the output's name: an interrupted run leaves no half-written output.
            Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        });
        spec.commandLine().getErr().println("wrote " + results.size() + " generation(s) to " + output);
    }

    /** The input row (its other fields kept) with the generation's text, tokens and why it stopped. */
    private static ObjectNode record(ObjectNode row, GenerationResult r) {
        ObjectNode out = row.deepCopy();
        out.put("text", r.text());
        out.put("finish_reason", r.finish().reason().name().toLowerCase(Locale.ROOT));
        if (r.finish().stopString() != null) {
            out.put("stop_string", r.finish().stopString());
        }
        out.put("prompt_tokens", r.promptIds().length);
        out.put("generated_tokens", r.generatedIds().length);
        var ids = out.putArray("generated_ids");
        for (int id : r.generatedIds()) {
            ids.add(id);
        }
        return out;
    }
}
