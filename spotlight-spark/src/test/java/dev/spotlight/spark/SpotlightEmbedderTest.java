package dev.spotlight.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotlight.models.Capture;
import dev.spotlight.models.EncoderModel;
import dev.spotlight.tokenizers.Truncation;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

class SpotlightEmbedderTest {

    @Test
    void embeddingsAreBitwiseTheLibrarysAcrossPartitionsOfDifferentSizes() {
        List<String> texts = LocalSpark.texts(90);
        Dataset<Row> input = LocalSpark.unevenPartitions(texts);
        List<Long> sizes = input.groupBy(functions.spark_partition_id()).count().collectAsList().stream()
                .map(r -> r.getLong(1)).sorted().toList();
        assertEquals(4, sizes.size(), "partitions " + sizes);
        assertTrue(sizes.getFirst() == 1 && sizes.getLast() > 3 * sizes.get(1) / 2, "partitions of different sizes: " + sizes);

        float[][] expected = LocalSpark.model().embed(texts);
        for (int batch : new int[] {7, 64}) {
            Map<Integer, Row> rows = byId(new SpotlightEmbedder().setBatchSize(batch).transform(input));
            assertEquals(texts.size(), rows.size());
            for (int i = 0; i < texts.size(); i++) {
                double[] got = ((Vector) rows.get(i).getAs("embedding")).toArray();
                assertEquals(expected[i].length, got.length);
                for (int d = 0; d < got.length; d++) {
                    // widened float → double is exact, so the narrowing back must give the same bits
                    assertEquals(Float.floatToRawIntBits(expected[i][d]), Float.floatToRawIntBits((float) got[d]),
                            "text " + i + " dim " + d + " batch " + batch);
                    assertEquals((double) expected[i][d], got[d]);
                }
            }
        }
    }

    @Test
    void arrayColumnHoldsTheSameFloats() {
        List<String> texts = LocalSpark.texts(20);
        Map<Integer, Row> rows = byId(new SpotlightEmbedder().setVectorType("array").setBatchSize(5)
                .transform(LocalSpark.unevenPartitions(texts)));
        float[][] expected = LocalSpark.model().embed(texts);
        for (int i = 0; i < texts.size(); i++) {
            List<Float> got = rows.get(i).getList(rows.get(i).fieldIndex("embedding"));
            float[] f = new float[got.size()];
            for (int d = 0; d < f.length; d++) {
                f[d] = got.get(d);
            }
            assertArrayEquals(expected[i], f, 0f, "text " + i);
        }
    }

    @Test
    void normalizationNoneGivesThePooledVectorBeforeItsScaling() {
        List<String> texts = LocalSpark.texts(10);
        Dataset<Row> input = LocalSpark.unevenPartitions(texts);
        Map<Integer, Row> raw = byId(new SpotlightEmbedder().setNormalization("none").transform(input));
        float[][] normalised = LocalSpark.model().embed(texts); // MiniLM's own setting: unit length
        for (int i = 0; i < texts.size(); i++) {
            double[] v = ((Vector) raw.get(i).getAs("embedding")).toArray();
            double norm = Math.sqrt(Arrays.stream(v).map(x -> x * x).sum());
            assertTrue(Math.abs(norm - 1) > 1e-3, "text " + i + " is not already unit length: " + norm);
            for (int d = 0; d < v.length; d++) {
                assertEquals(normalised[i][d], v[d] / norm, 1e-6, "text " + i + " dim " + d);
            }
        }
    }

    @Test
    void nullEmptyAndOverLongTextsBehaveAsDocumented() {
        String longText = String.join(" ", LocalSpark.texts(40));   // ~1,300 tokens, the model keeps 128
        List<String> texts = Arrays.asList(null, "", longText, "short one");
        Dataset<Row> input = LocalSpark.unevenPartitions(texts);
        Map<Integer, Row> rows = byId(new SpotlightEmbedder().transform(input));
        EncoderModel model = LocalSpark.model();
        assertTrue(rows.get(0).isNullAt(rows.get(0).fieldIndex("embedding")), "null text → null embedding");
        for (int i = 1; i < texts.size(); i++) {
            float[] expected = model.embed(texts.get(i));   // "" embeds [CLS] [SEP]; the long text its first 128 tokens
            double[] got = ((Vector) rows.get(i).getAs("embedding")).toArray();
            for (int d = 0; d < got.length; d++) {
                assertEquals((double) expected[d], got[d], "text " + i + " dim " + d);
            }
        }

        Map<Integer, Row> strict = byId(new SpotlightEmbedder().setTruncate(false).setHandleInvalid("null")
                .setErrorCol("error").transform(input));
        Row over = strict.get(2);
        assertTrue(over.isNullAt(over.fieldIndex("embedding")));
        String error = over.getAs("error");
        assertTrue(error.startsWith("SpotlightEmbedder(spotlightEmbedder_") && error.contains("more than 128 tokens")
                && error.contains("truncate=false"), error);
        assertNull(strict.get(0).getAs("error"), "a null text is not an error");
        assertNull(strict.get(3).getAs("error"));
        assertEquals(rows.get(3).<Vector>getAs("embedding"), strict.get(3).<Vector>getAs("embedding"));
    }

    @Test
    void maxLengthCutsTextsAsTheLibrarysTruncation() {
        List<String> texts = LocalSpark.texts(12);
        Map<Integer, Row> rows = byId(new SpotlightEmbedder().setMaxLength(12).transform(LocalSpark.unevenPartitions(texts)));
        EncoderModel model = LocalSpark.model();
        EncoderModel.Encoded cut = model.encode(texts, null, model.options().withTruncation(Truncation.of(12)), Capture.NONE);
        float[][] expected = model.pool(cut.output());
        int shortened = 0;
        for (int i = 0; i < texts.size(); i++) {
            shortened += cut.encodings().get(i).overflowing().isEmpty() ? 0 : 1;
            double[] got = ((Vector) rows.get(i).getAs("embedding")).toArray();
            for (int d = 0; d < got.length; d++) {
                assertEquals((double) expected[i][d], got[d], "text " + i + " dim " + d);
            }
        }
        assertTrue(shortened > 5, shortened + " texts were cut");
    }

    @Test
    void eachJvmLoadsTheModelOnceForAllItsTasks() {
        List<String> texts = LocalSpark.texts(30);
        Dataset<Row> input = LocalSpark.unevenPartitions(texts).repartition(8);
        new SpotlightEmbedder().setBatchSize(3).transform(input).count();
        new SpotlightEmbedder().setBatchSize(4).transform(input).count();
        assertEquals(1, ExecutorModels.encoderLoads(SpotlightStage.DEFAULT_MODEL));
    }

    /** A list field of a row, or a list nested in one (Spark gives nested arrays as Scala sequences). */
    @SuppressWarnings("unchecked")
    static <T> List<T> list(Object value) {
        return value instanceof List<?> l ? (List<T>) l
                : (List<T>) scala.jdk.javaapi.CollectionConverters.asJava((scala.collection.Seq<?>) value);
    }

    static Map<Integer, Row> byId(Dataset<Row> result) {
        Map<Integer, Row> out = new HashMap<>();
        for (Row r : result.collectAsList()) {
            out.put(r.getInt(r.fieldIndex("id")), r);
        }
        return out;
    }
}
