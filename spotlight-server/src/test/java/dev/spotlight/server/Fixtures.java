package dev.spotlight.server;

import dev.spotlight.models.CausalLM;
import dev.spotlight.models.EncoderModel;
import dev.spotlight.models.Spotlight;
import dev.spotlight.models.chat.ChatFixtures;
import dev.spotlight.models.decoder.SharedModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * Models loaded once per test JVM: all-MiniLM-L6-v2 and bge-small-en-v1.5 from their Maven jars,
 * stories260K (a real Llama) from ../shared/models, and "stories-chat", the same model with the Llama 2 chat
 * template added to its tokenizer_config.json (the fixture has none). Models are thread-safe and servers never close them.
 */
final class Fixtures {
    static {
        System.setProperty("spotlight.cache", System.getProperty("java.io.tmpdir") + "/spotlight-test-cache");
    }

    private static EncoderModel miniLm;
    private static EncoderModel bge;
    private static CausalLM stories;
    private static CausalLM storiesChat;

    private Fixtures() {
    }

    static synchronized EncoderModel miniLm() {
        if (miniLm == null) {
            miniLm = Spotlight.load("all-minilm-l6-v2");
        }
        return miniLm;
    }

    static synchronized EncoderModel bge() {
        if (bge == null) {
            bge = Spotlight.load("bge-small-en-v1.5");
        }
        return bge;
    }

    /** stories260K with Llama-2-13b-chat-hf's template; loaded from a temporary copy, deleted once loaded. */
    static synchronized CausalLM storiesChat() {
        if (storiesChat == null) {
            try {
                Path tmp = Files.createTempDirectory("spotlight-chat");
                Path dir = ChatFixtures.storiesWithChatTemplate(tmp.resolve("stories-chat"), ChatFixtures.template("llama2_chat"));
                storiesChat = Spotlight.causalLM(dir.toString());
                try (var files = Files.walk(tmp)) {
                    for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return storiesChat;
    }

    static synchronized CausalLM stories() {
        if (stories == null) {
            stories = Spotlight.causalLM(SharedModels.require("stories260K").resolve("hf").toString());
        }
        return stories;
    }
}
