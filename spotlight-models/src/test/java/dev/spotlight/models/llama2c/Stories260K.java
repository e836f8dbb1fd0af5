package dev.spotlight.models.llama2c;

import static org.junit.jupiter.api.Assertions.fail;

import dev.spotlight.models.decoder.SharedModels;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the stories260K fixture, found (or skipped, or failed under CI) by {@link SharedModels}. */
final class Stories260K {
    private Stories260K() {
    }

    /** A file of the fixture, e.g. {@code llama2c/stories260K.bin}. */
    static Path file(String relative) {
        Path file = dir().resolve(relative);
        if (!Files.isRegularFile(file)) {
            fail("the stories260K fixture has no " + relative + " (" + file + ")");
        }
        return file;
    }

    static Path dir() {
        return SharedModels.require("stories260K");
    }
}
