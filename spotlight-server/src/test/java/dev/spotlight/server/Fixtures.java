package dev.spotlight.server;

import dev.spotlight.models.CausalLM;
import dev.spotlight.models.EncoderModel;
import dev.spotlight.models.Spotlight;
import dev.spotlight.models.decoder.SharedModels;

/**
 * Models loaded once per test JVM: all-MiniLM-L6-v2 and bge-small-en-v1.5 from their Maven jars, and
 * stories260K (a real Llama) from ../shared/models. Models are thread-safe and servers never close them.
 */
final class Fixtures {
    static {
        System.setProperty("spotlight.cache", System.getProperty("java.io.tmpdir") + "/spotlight-test-cache");
    }

    private static EncoderModel miniLm;
    private static EncoderModel bge;
    private static CausalLM stories;

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

    static synchronized CausalLM stories() {
        if (stories == null) {
            stories = Spotlight.causalLM(SharedModels.require("stories260K").resolve("hf").toString());
        }
        return stories;
    }
}
