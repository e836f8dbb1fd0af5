package dev.spotlight.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotlight.tokenizers.Direction;
import dev.spotlight.tokenizers.EncodeOptions;
import dev.spotlight.tokenizers.Encoding;
import dev.spotlight.tokenizers.Padding;
import dev.spotlight.tokenizers.Tokenizer;
import dev.spotlight.tokenizers.Truncation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpotlightTokenizerTest {

    @Test
    void tokenColumnsAreTheLibrarysEncodeBatchAcrossPartitionsOfDifferentSizes() {
        List<String> texts = LocalSpark.texts(80);
        Tokenizer tokenizer = LocalSpark.model().tokenizer();
        // MiniLM's tokenizer.json pads every text to 128 (Fixed) and truncates at 128: the library's defaults
        List<Encoding> expected = tokenizer.encodeBatch(texts, tokenizer.defaults());
        for (int batch : new int[] {1, 9, 256}) {
            Map<Integer, Row> rows = SpotlightEmbedderTest.byId(new SpotlightTokenizer().setBatchSize(batch)
                    .transform(LocalSpark.unevenPartitions(texts)));
            for (int i = 0; i < texts.size(); i++) {
                assertSame(expected.get(i), rows.get(i).getStruct(rows.get(i).fieldIndex("encoding")), "text " + i + " batch " + batch);
            }
        }
    }

    @Test
    void pairsLeftPaddingAndMaxLengthAreTheLibrarysOptions() {
        List<String> texts = LocalSpark.texts(30);
        List<String> pairs = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            pairs.add(i % 4 == 0 ? null : texts.get(texts.size() - 1 - i));
            rows.add(RowFactory.create(i, texts.get(i), pairs.get(i)));
        }
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("text", DataTypes.StringType)
                .add("pair", DataTypes.StringType);
        Dataset<Row> input = LocalSpark.session().createDataFrame(rows, schema).repartition(3);
        Map<Integer, Row> got = SpotlightEmbedderTest.byId(new SpotlightTokenizer().setPairCol("pair").setMaxLength(24)
                .setPadding("max_length").setPaddingSide("left").transform(input));
        Tokenizer tokenizer = LocalSpark.model().tokenizer();
        EncodeOptions options = new EncodeOptions(true, Padding.batchLongest().withFixed(24).withDirection(Direction.Left),
                Truncation.of(24));
        List<Encoding> expected = tokenizer.encodeBatch(texts, pairs, options);
        int leftPadded = 0;
        for (int i = 0; i < texts.size(); i++) {
            Row encoding = got.get(i).getStruct(got.get(i).fieldIndex("encoding"));
            assertSame(expected.get(i), encoding, "row " + i);
            assertEquals(24, encoding.getList(0).size());
            leftPadded += encoding.<Integer>getList(1).getFirst() == 0 ? 1 : 0;
        }
        assertTrue(leftPadded > 0, "some rows are shorter than 24 tokens and padded on the left");
        Row withPair = got.get(1).getStruct(got.get(1).fieldIndex("encoding"));
        assertTrue(withPair.<Integer>getList(2).contains(1), "the pair's tokens have type id 1");
    }

    @Test
    void noPaddingAndATokenizerJsonFileAsModel(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("tokenizer.json");
        try (ZipFile jar = new ZipFile(LocalSpark.builtinJar().toFile())) {
            Files.write(json, jar.getInputStream(jar.stream().filter(e -> e.getName().endsWith("tokenizer.json"))
                    .findFirst().orElseThrow()).readAllBytes());
        }
        List<String> texts = Arrays.asList("Hello, world!", null, "", "naïve café — 東京 🚀");
        Map<Integer, Row> got = SpotlightEmbedderTest.byId(new SpotlightTokenizer().setModel(json.toString())
                .setPadding("none").transform(LocalSpark.unevenPartitions(texts)));
        Tokenizer tokenizer = Tokenizer.fromFile(json);
        assertTrue(got.get(1).isNullAt(got.get(1).fieldIndex("encoding")), "null text → null struct");
        for (int i : new int[] {0, 2, 3}) {
            Encoding expected = tokenizer.encodeBatch(List.of(texts.get(i)), tokenizer.defaults().withPadding(null)).getFirst();
            assertSame(expected, got.get(i).getStruct(got.get(i).fieldIndex("encoding")), "text " + i);
        }
        Row hello = got.get(0).getStruct(got.get(0).fieldIndex("encoding"));
        assertEquals(List.of("[CLS]", "hello", ",", "world", "!", "[SEP]"), hello.getList(4));
        assertEquals(List.of(101, 7592, 1010, 2088, 999, 102), hello.getList(0));
    }

    /** Every field of the stage's struct against the library's encoding. */
    static void assertSame(Encoding expected, Row encoding, String what) {
        assertArrayEquals(expected.ids(), ints(encoding.getList(0)), what + " input_ids");
        assertArrayEquals(expected.attentionMask(), ints(encoding.getList(1)), what + " attention_mask");
        assertArrayEquals(expected.typeIds(), ints(encoding.getList(2)), what + " token_type_ids");
        List<Object> offsets = encoding.getList(3);
        int[] flat = new int[2 * offsets.size()];
        for (int t = 0; t < offsets.size(); t++) {
            List<Integer> pair = SpotlightEmbedderTest.list(offsets.get(t));
            flat[2 * t] = pair.get(0);
            flat[2 * t + 1] = pair.get(1);
        }
        assertArrayEquals(expected.offsets(), flat, what + " offsets");
        assertEquals(expected.tokens(), encoding.getList(4), what + " tokens");
        assertArrayEquals(expected.specialTokensMask(), ints(encoding.getList(5)), what + " special_tokens_mask");
    }

    private static int[] ints(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }
}
