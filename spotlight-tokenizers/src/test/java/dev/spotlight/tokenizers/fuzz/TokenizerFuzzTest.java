package dev.spotlight.tokenizers.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotlight.tokenizers.Direction;
import dev.spotlight.tokenizers.EncodeOptions;
import dev.spotlight.tokenizers.Encoding;
import dev.spotlight.tokenizers.Padding;
import dev.spotlight.tokenizers.Tokenizer;
import dev.spotlight.tokenizers.TokenizerException;
import dev.spotlight.tokenizers.Truncation;
import dev.spotlight.tokenizers.protocol.TokenizeProtocol;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes tokenizer.json, the encode options and the JSONL protocol: every input ends in a result or
 * a {@link TokenizerException}, never another exception, an error or a hang. CI runs the small
 * budget below; a long run: {@code ./build test -pl spotlight-tokenizers -Dtest=TokenizerFuzzTest
 * -Dspotlight.fuzz.cases=200000 -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class TokenizerFuzzTest {
    private static final Path SEEDS = Path.of("src/test/resources/fuzz-seeds/tokenizer");
    private static final List<String> TEXTS = List.of("The cat sat on the mat.", "", "  a  b ", "中文 😀 the cats", "x".repeat(300));

    static List<byte[]> seeds() {
        try (var files = Files.list(SEEDS)) {
            List<byte[]> out = new ArrayList<>();
            for (Path p : files.sorted().toList()) {
                out.add(Files.readAllBytes(p));
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Tokenizer seedTokenizer(String file) {
        try {
            return Tokenizer.fromFile(SEEDS.resolve(file));
        } catch (TokenizerException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void report(MutationFuzzer.Report r) {
        System.out.println(r.summary());
        assertTrue(r.failures().isEmpty(), r.summary() + "\n" + String.join("\n", r.failures()));
    }

    @Test
    void tokenizerJsonEndsInATokenizerOrATokenizerException() {
        report(new MutationFuzzer("tokenizer-json", seeds(), e -> e instanceof TokenizerException, input -> {
            Tokenizer t = Tokenizer.fromJson(new String(input, StandardCharsets.UTF_8), "t.json");
            List<Encoding> batch = t.encodeBatch(TEXTS);
            t.encode("the cat", "sat on");
            for (Encoding e : batch) {
                t.decode(e.ids(), true);
            }
        }).mutations(Mutations.JSON).run(MutationFuzzer.cases(600)));
    }

    /** The input's first 16 bytes choose padding and truncation (extreme values included), the rest are texts. */
    @Test
    void encodeOptionsEndInEncodingsOrATokenizerException() {
        List<Tokenizer> tokenizers = List.of(seedTokenizer("wordpiece.json"), seedTokenizer("metaspace-unigram.json"),
                seedTokenizer("sentencepiece-bpe.json"));
        List<byte[]> seeds = List.of(options(0, 12, 2, 16, 8, "the cat\u0000sat on the mat"),
                options(1, 5, 1, -1, 0, "😀😀😀 the\u0000中文中文中文"), options(2, 3, 0, 4, 3, "a\u0000b\u0000c"),
                options(0, 0, 0, 0, 0, "x".repeat(2000) + "\u0000" + "the ".repeat(500)));
        report(new MutationFuzzer("encode-options", seeds, e -> e instanceof TokenizerException,
                input -> encodeWithOptions(tokenizers, input)).run(MutationFuzzer.cases(150)));
    }

    static void encodeWithOptions(List<Tokenizer> tokenizers, byte[] input) {
        byte[] bytes = input.length >= 16 ? input : java.util.Arrays.copyOf(input, 16);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int flags = b.get(0);
        Tokenizer t = tokenizers.get(Math.floorMod(flags, tokenizers.size()));
        int maxLength = b.getInt(1);
        int stride = b.get(5) & 0xFF;
        int fixed = b.getInt(6);
        int multiple = b.getShort(10) & 0xFFFF;
        Truncation truncation = maxLength < 0 ? null : new Truncation(maxLength, Truncation.Strategy.values()[Math.floorMod(flags >> 2, 3)],
                (flags & 16) != 0 ? Direction.Left : Direction.Right, stride);
        Padding padding = fixed == -1 ? null : new Padding(fixed < 0 ? Padding.BATCH_LONGEST : fixed,
                (flags & 32) != 0 ? Direction.Left : Direction.Right, multiple, 0, 0, "[PAD]");
        EncodeOptions options = new EncodeOptions((flags & 64) != 0, padding, truncation);
        String[] texts = new String(bytes, 16, bytes.length - 16, StandardCharsets.UTF_8).split("\u0000", -1);
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        for (int i = 0; i + 1 < texts.length; i += 2) {
            first.add(texts[i]);
            second.add(texts[i + 1]);
        }
        t.encodeBatch(List.of(texts), options);
        t.encodeBatch(first, second, options);
    }

    private static final Pattern RAW_EXCEPTION = Pattern.compile("^\\{\"error\":\"[A-Za-z.]*(Exception|Error): ");

    @Test
    void protocolRequestsEndInAResponseOrAOneLineError() {
        Tokenizer t = seedTokenizer("wordpiece.json");
        List<byte[]> seeds = List.of("{\"texts\": [\"the cat\", \"sat\"]}", "{\"pairs\": [[\"the cat\", \"on the mat\"]], \"add_special_tokens\": false}",
                "{\"texts\": [\"a b c d e f g h\"], \"padding\": {\"strategy\": {\"Fixed\": 20}, \"pad_to_multiple_of\": 8},"
                        + " \"truncation\": {\"max_length\": 6, \"stride\": 2, \"strategy\": \"LongestFirst\", \"direction\": \"Left\"}}",
                "{\"pairs\": [[\"a b c d e f g\", \"h i j k l m\"]], \"truncation\": {\"max_length\": 8, \"stride\": 1}, \"padding\": null}")
                .stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
        report(new MutationFuzzer("tokenize-protocol", seeds, e -> false, input -> {
            String response = TokenizeProtocol.handle(t, new String(input, StandardCharsets.UTF_8));
            if (RAW_EXCEPTION.matcher(response).find()) {
                throw new AssertionError("a raw exception in the response: " + response.substring(0, Math.min(200, response.length())));
            }
        }).mutations(Mutations.JSON).run(MutationFuzzer.cases(1000)));
    }

    private static byte[] options(int flags, int maxLength, int stride, int fixed, int multiple, String texts) {
        byte[] text = texts.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(16 + text.length);
        b.put((byte) flags).putInt(maxLength).put((byte) stride).putInt(fixed).putShort((short) multiple).putInt(0).put(text);
        return b.array();
    }
}
