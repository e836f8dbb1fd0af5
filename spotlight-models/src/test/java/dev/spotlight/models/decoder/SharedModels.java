package dev.spotlight.models.decoder;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The real pretrained fixtures the product lead keeps beside the repository, in
 * {@code ../shared/models/} (stories260K, makemore-names). A clone without that folder reports the
 * tests that need it as skipped, with the reason; where {@code SPOTLIGHT_REQUIRE_FIXTURES} is set
 * (CI sets it, where the folder always exists) its absence is a failure.
 */
public final class SharedModels {
    private SharedModels() {
    }

    /** {@code ../shared/models/<name>}, or the test is skipped (failed under CI) when it is missing. */
    public static Path require(String name) {
        Path models = root();
        Path dir = models == null ? null : models.resolve(name);
        if (dir == null || !Files.isDirectory(dir)) {
            String reason = "the fixture folder ../shared/models/" + name + " is not beside this clone ("
                    + (models == null ? "no ../shared/models found above " + Path.of("").toAbsolutePath() : dir) + ")";
            if (System.getenv("SPOTLIGHT_REQUIRE_FIXTURES") != null) {
                fail(reason + ", and SPOTLIGHT_REQUIRE_FIXTURES is set");
            }
            Assumptions.abort(reason);
        }
        return dir;
    }

    /** The shared models folder: $SPOTLIGHT_SHARED_MODELS, else ../shared/models beside the repository root. */
    private static Path root() {
        String override = System.getenv("SPOTLIGHT_SHARED_MODELS");
        if (override != null) {
            return Path.of(override);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(".ci/run")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir.resolveSibling("shared").resolve("models");
            }
        }
        return null;
    }
}
