package dev.spotlight.spark;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A ready job for spark-submit: embeds a text file (one text per line, blank lines included) and writes
 * Parquet rows (line, text, embedding, attention summary when asked), and saves the pipeline beside
 * them so another job can {@code PipelineModel.load} it.
 * <pre>
 * spark-submit --class dev.spotlight.spark.EmbedTextsJob --jars MODEL.jar spotlight-spark-VERSION-all.jar \
 *     --input texts.txt --output out [--model all-minilm-l6-v2] [--attention true] [--batch-size 64]
 * </pre>
 */
public final class EmbedTextsJob {
    private static final Set<String> KNOWN = Set.of("--input", "--output", "--model", "--attention", "--batch-size");
    private EmbedTextsJob() {
    }

    public static void main(String[] args) throws java.io.IOException {
        Map<String, String> options = new TreeMap<>(Map.of("--model", SpotlightStage.DEFAULT_MODEL, "--attention", "false",
                "--batch-size", "64"));
        for (int i = 0; i < args.length; i++) {
            if (!KNOWN.contains(args[i]) || i + 1 == args.length) {
                throw new IllegalArgumentException("EmbedTextsJob: unexpected argument '" + args[i]
                        + "'; expected --input FILE --output DIR [--model NAME|PATH] [--attention true|false] [--batch-size N]");
            }
            options.put(args[i], args[++i]);
        }
        if (!options.containsKey("--input") || !options.containsKey("--output")) {
            throw new IllegalArgumentException("EmbedTextsJob: --input FILE and --output DIR are required");
        }
        SparkSession spark = SparkSession.builder().appName("spotlight embed").getOrCreate();
        Dataset<Row> texts = spark.read().text(options.get("--input")).withColumnRenamed("value", "text")
                .withColumn("line", org.apache.spark.sql.functions.monotonically_increasing_id());
        SpotlightEmbedder embedder = new SpotlightEmbedder().setModel(options.get("--model"))
                .setBatchSize(Integer.parseInt(options.get("--batch-size")));
        PipelineStage[] stages = Boolean.parseBoolean(options.get("--attention"))
                ? new PipelineStage[] {embedder, new SpotlightAttentionSummary().setModel(options.get("--model"))}
                : new PipelineStage[] {embedder};
        PipelineModel pipeline = new Pipeline().setStages(stages).fit(texts);
        String out = options.get("--output");
        pipeline.transform(texts).write().mode("overwrite").parquet(out + "/rows.parquet");
        pipeline.write().overwrite().save(out + "/pipeline");
        spark.stop();
    }
}
