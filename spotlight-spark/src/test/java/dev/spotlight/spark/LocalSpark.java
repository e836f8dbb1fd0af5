package dev.spotlight.spark;

import dev.spotlight.models.EncoderModel;
import dev.spotlight.models.Spotlight;
import dev.spotlight.models.bench.EncodeBenchmark;
import dev.spotlight.models.hub.BuiltinModel;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * One local[2] Spark session and one in-process model for every test class of this JVM (starting Spark
 * costs ~4 s). Spark binds to the loopback address only.
 */
final class LocalSpark {
    private static SparkSession spark;
    private static EncoderModel model;

    private LocalSpark() {
    }

    static synchronized SparkSession session() {
        if (spark == null) {
            spark = SparkSession.builder().master("local[2]").appName("spotlight-spark-tests")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.adaptive.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                    .getOrCreate();
        }
        return spark;
    }

    /** The library's own model, loaded in the test, for the reference values. */
    static synchronized EncoderModel model() {
        if (model == null) {
            model = Spotlight.load(SpotlightStage.DEFAULT_MODEL);
        }
        return model;
    }

    /** The built-in model's jar file, as a job would ship it. */
    static Path builtinJar() throws Exception {
        URL onnx = LocalSpark.class.getClassLoader().getResource(BuiltinModel.DEFAULT.onnxResource());
        return Path.of(((JarURLConnection) onnx.openConnection()).getJarFileURL().toURI());
    }

    /** The encoder benchmark's first {@code n} sentences, then texts that stress a tokenizer. */
    static List<String> texts(int n) {
        List<String> out = new ArrayList<>(EncodeBenchmark.corpus().subList(0, n));
        out.add("naïve café — 東京 🚀 e\u0301");
        out.add("   leading and trailing spaces   ");
        out.add("Hello, world!");
        return out;
    }

    /**
     * Rows (id, text) split into partitions of very different sizes (1, a third of the rest in two,
     * the remaining in one): a union keeps its inputs' partitions.
     */
    static Dataset<Row> unevenPartitions(List<String> texts) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            rows.add(RowFactory.create(i, texts.get(i)));
        }
        return unevenPartitions(new StructType().add("id", DataTypes.IntegerType, false).add("text", DataTypes.StringType, true),
                rows);
    }

    /** Rows (an int "id" first, then any columns) split as {@link #unevenPartitions(List)} splits texts. */
    static Dataset<Row> unevenPartitions(StructType schema, List<Row> rows) {
        int third = 1 + (rows.size() - 1) / 3;
        return session().createDataFrame(rows.subList(0, 1), schema).repartition(1)
                .union(session().createDataFrame(rows.subList(1, third), schema).repartition(2))
                .union(session().createDataFrame(rows.subList(third, rows.size()), schema).coalesce(1));
    }
}
