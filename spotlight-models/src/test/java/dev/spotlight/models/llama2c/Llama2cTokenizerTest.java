package dev.spotlight.models.llama2c;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotlight.models.ModelFormatException;
import dev.spotlight.tokenizers.Tokenizer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tok512.bin against the fixture's hf/tokenizer.json (made independently, and checked there against
 * HF tokenizers and transformers.js) and the parity goldens; and corrupt files.
 */
class Llama2cTokenizerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void tokenizerJsonIsTheFixturesToTheByte() throws IOException {
        Llama2cTokenizer t = Llama2cTokenizer.read(Stories260K.file("llama2c/tok512.bin"), 512);
        String fixture = Files.readString(Stories260K.file("hf/tokenizer.json"));
        String mine = t.tokenizerJson();
        assertEquals(JSON.readTree(fixture), JSON.readTree(mine), "same JSON tree");
        assertEquals(JSON.readTree(fixture).at("/model/merges"), JSON.readTree(mine).at("/model/merges"), "merges in order");
        assertEquals(165, JSON.readTree(mine).at("/model/merges").size());
        assertEquals(fixture, mine, "same text");
    }

    @Test
    void tokenizerConfigJsonIsTheFixtures() throws IOException {
        Llama2cTokenizer t = Llama2cTokenizer.read(Stories260K.file("llama2c/tok512.bin"), 512);
        assertEquals(Files.readString(Stories260K.file("hf/tokenizer_config.json")), t.tokenizerConfigJson(512));
    }

    @Test
    void encodesEveryParityStringToTheHfIdsAndDecodesToHfDecode() throws IOException {
        Llama2cTokenizer t = Llama2cTokenizer.read(Stories260K.file("llama2c/tok512.bin"), 512);
        Tokenizer tokenizer = Tokenizer.fromJson(t.tokenizerJson(), "tok512.bin as tokenizer.json");
        JsonNode cases = JSON.readTree(Stories260K.file("goldens/tokenizer-parity.json").toFile()).get("cases");
        assertEquals(31, cases.size());
        int agreeWithRunC = 0;
        for (JsonNode c : cases) {
            String text = c.get("text").asText();
            int[] expected = ints(c.get("hf_tokenizers_ids"));
            int[] ids = tokenizer.encode(text).ids();
            assertArrayEquals(expected, ids, text);
            assertEquals(c.get("hf_decode").asText(), tokenizer.decode(ids, true), text);
            if (java.util.Arrays.equals(ints(c.get("runc_ids")), ids)) {
                agreeWithRunC++;
            }
        }
        assertEquals(29, agreeWithRunC, "llama2.c's encode() differs only on literal specials and a literal ▁ (README)");
    }

    @Test
    void exposesPiecesAndScoresAsStored() {
        Llama2cTokenizer t = Llama2cTokenizer.read(Stories260K.file("llama2c/tok512.bin"), 512);
        assertEquals(7, t.maxTokenLength());
        assertEquals("\n<s>\n", t.piece(1));
        assertEquals("<s>", t.hfToken(1));
        assertEquals(" ", t.piece(410));
        assertEquals("\u2581", t.hfToken(410));
        assertEquals(-(300 - 259), t.score(300));
    }

    // ---- corrupt files ----

    @Test
    void corruptFilesGiveOneLineErrors() throws IOException {
        byte[] good = Files.readAllBytes(Stories260K.file("llama2c/tok512.bin"));
        assertRejected(good, 100, "vocab_size 100 is too small: llama2.c's layout has 3 special and 256 byte tokens (259)");
        assertRejected(new byte[2], 512, "file is 2 bytes, too short for the 4-byte max_token_length");
        assertRejected(withInt(good, 0, 0), 512, "max_token_length 0 must be in 1..65536");
        assertRejected(withInt(good, 0, -7), 512, "max_token_length -7 must be in 1..65536");
        assertRejected(java.util.Arrays.copyOf(good, 100), 512, "file ends at byte 100 in the entry of id 7, expected vocab_size 512 entries");
        assertRejected(java.util.Arrays.copyOf(good, good.length - 2), 512, "file ends at byte 6225 inside the 3 bytes of id 511");
        assertRejected(java.util.Arrays.copyOf(good, good.length + 3), 512,
                "3 bytes follow the 512 entries of vocab_size 512 (a tokenizer for a larger vocabulary?)");
        assertRejected(good, 300, "file is 6227 bytes, more than vocab_size 300 entries of at most max_token_length 7 bytes can fill (4504)");
        // id 0: score at byte 4, length at 8, "<unk>" at 12..16
        assertRejected(withInt(good, 8, 9), 512, "id 0 has byte length 9, expected 1..max_token_length 7");
        assertRejected(withInt(good, 8, -1), 512, "id 0 has byte length -1, expected 1..max_token_length 7");
        assertRejected(withInt(good, 4, Float.floatToRawIntBits(Float.NaN)), 512, "id 0 has score NaN, expected a finite number");
        byte[] notUtf8 = good.clone();
        notUtf8[12] = (byte) 0xC3;
        assertRejected(notUtf8, 512, "id 0 (bytes at 12) is not valid UTF-8");
        byte[] wrongUnk = good.clone();
        wrongUnk[13] = 'U';
        assertRejected(wrongUnk, 512, "id 0 is \"<Unk>\", expected \"<unk>\" (llama2.c's layout: <unk>, BOS, EOS, then the byte tokens <0x00>..<0xFF>)");
    }

    @Test
    void aPieceTwiceIsRejectedBecauseHfVocabIsAMap() throws IOException {
        Llama2cTokenizer good = Llama2cTokenizer.read(Stories260K.file("llama2c/tok512.bin"), 512);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(le(good.maxTokenLength()));
        for (int id = 0; id < 512; id++) {
            byte[] piece = (id == 300 ? good.piece(299) : good.piece(id)).getBytes(StandardCharsets.UTF_8);
            out.write(le(Float.floatToRawIntBits(good.score(id))));
            out.write(le(piece.length));
            out.write(piece);
        }
        String p299 = PythonJson.quote(good.piece(299));
        assertRejected(out.toByteArray(), 512, "id 300 " + p299 + " repeats id 299 " + p299);
    }

    private void assertRejected(byte[] content, int vocabSize, String expected) throws IOException {
        Path file = Files.write(tmp.resolve("tok" + Math.abs(java.util.Arrays.hashCode(content)) + "-" + vocabSize + ".bin"), content);
        var e = assertThrows(ModelFormatException.class, () -> Llama2cTokenizer.read(file, vocabSize));
        assertEquals(file + ": " + expected, e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    private static byte[] withInt(byte[] b, int offset, int value) {
        byte[] out = b.clone();
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(offset, value);
        return out;
    }

    private static byte[] le(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
