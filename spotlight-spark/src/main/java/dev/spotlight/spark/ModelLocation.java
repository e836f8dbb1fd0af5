package dev.spotlight.spark;

import dev.spotlight.models.hub.BuiltinModel;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;

/**
 * Where a stage's {@code model} option points on this executor: a built-in name (its jar on the
 * classpath), a path this executor can read (a shared or replicated file system), or
 * {@code sparkfiles:NAME}, a file or folder shipped with the job ({@code SparkContext.addFile}, or
 * spark-submit's files option), found where Spark put it on this executor.
 */
final class ModelLocation {
    static final String SPARK_FILES = "sparkfiles:";

    private ModelLocation() {
    }

    /** A built-in name or a readable local path for {@code settings.model()}; one clear error otherwise. */
    static String resolve(StageSettings settings) {
        String model = settings.model();
        if (model.startsWith(SPARK_FILES)) {
            return shipped(settings, model.substring(SPARK_FILES.length()));
        }
        if (BuiltinModel.named(model).isPresent()) {
            return model;
        }
        Path path;
        try {
            path = Path.of(model);
        } catch (InvalidPathException e) {
            throw new SpotlightSparkException(settings.error("model", model, "neither a built-in model ("
                    + String.join(", ", BuiltinModel.ids()) + ") nor a valid path: " + e.getReason()));
        }
        if (!Files.exists(path)) {
            throw new SpotlightSparkException(settings.error("model", model, "no such path on " + where()
                    + " and not a built-in model (" + String.join(", ", BuiltinModel.ids()) + "); a path must be"
                    + " readable on every executor, or ship it with the job and name it " + SPARK_FILES + "NAME"));
        }
        return readable(settings, path);
    }

    private static String shipped(StageSettings settings, String name) {
        if (name.isEmpty() || name.contains("/") || name.contains("\\")) {
            throw new SpotlightSparkException(settings.error("model", settings.model(),
                    "expected " + SPARK_FILES + "NAME with NAME the file or folder name given to SparkContext.addFile"));
        }
        if (SparkEnv.get() == null) {
            throw new SpotlightSparkException(settings.error("model", settings.model(),
                    "no Spark environment in this JVM, so no files shipped with a job"));
        }
        Path path = Path.of(SparkFiles.get(name));
        if (!Files.exists(path)) {
            throw new SpotlightSparkException(settings.error("model", settings.model(), "not shipped with the job: "
                    + path + " does not exist on " + where() + " (add it with SparkContext.addFile(path, recursive)"
                    + " or spark-submit's files option)"));
        }
        return readable(settings, path);
    }

    private static String readable(StageSettings settings, Path path) {
        if (!Files.isReadable(path)) {
            throw new SpotlightSparkException(settings.error("model", settings.model(), path + " exists on " + where()
                    + " but is not readable by the executor's user"));
        }
        return path.toString();
    }

    /** "executor 3 on host-7": where an error happened, for a driver's log. */
    static String where() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "an unnamed host";
        }
        SparkEnv env = SparkEnv.get();
        return env == null ? "host " + host : "executor " + env.executorId() + " on host " + host;
    }
}
