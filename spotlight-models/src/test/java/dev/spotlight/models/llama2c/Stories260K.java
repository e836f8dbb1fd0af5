package dev.spotlight.models.llama2c;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The stories260K fixture, {@code ../shared/models/stories260K} beside the repository root. Tests
 * that need it are skipped with the reason when it is absent, except on CI ({@code CI} set), which
 * always has it, so there its absence fails.
 */
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
        Path root = repositoryRoot();
        Path dir = root.resolve("../shared/models/stories260K").normalize();
        if (!Files.isDirectory(dir)) {
            String reason = "the stories260K fixture is not at " + dir + " (../shared/models/stories260K beside the repository)";
            if (System.getenv("CI") != null) {
                fail(reason);
            }
            Assumptions.abort(reason);
        }
        return dir;
    }

    /** Maven runs tests in the module folder; the root is the nearest folder holding the modules. */
    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("spotlight-models"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root above " + dir);
    }
}
