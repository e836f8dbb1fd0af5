package dev.spotlight.tokenizers;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotlight.tokenizers.normalizers.Normalizers;
import dev.spotlight.tokenizers.pretokenizers.PreTokenizers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad normalizer and pre_tokenizer blocks fail with a message naming the path, the value and what was expected. */
class ComponentJsonErrorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"type\":\"Fancy\"}|$.normalizer.type|unknown normalizer type \"Fancy\"",
        "{\"type\":\"Strip\",\"strip_left\":true}|$.normalizer.strip_right|is missing",
        "{\"type\":\"BertNormalizer\",\"clean_text\":\"yes\",\"handle_chinese_chars\":true,\"lowercase\":true}|$.normalizer.clean_text|expected true or false, found \"yes\"",
        "{\"type\":\"Replace\",\"pattern\":{\"Regex\":\"(a\"},\"content\":\"\"}|$.normalizer.pattern.Regex|cannot compile regex \"(a\"",
        "{\"type\":\"Replace\",\"pattern\":{\"Glob\":\"*\"},\"content\":\"\"}|$.normalizer.pattern|expected {\"String\": ...} or {\"Regex\": ...}",
        "{\"type\":\"Precompiled\",\"precompiled_charsmap\":\"@@@\"}|$.normalizer.precompiled_charsmap|expected base64",
        "{\"type\":\"Precompiled\",\"precompiled_charsmap\":\"AAEAAA==\"}|$.normalizer.precompiled_charsmap|exceeds the blob",
        "{\"type\":\"Sequence\",\"normalizers\":[{\"type\":\"NFC\"},{\"type\":\"NFX\"}]}|$.normalizer.normalizers[1].type|unknown normalizer type \"NFX\"",
    })
    void badNormalizerBlocksNameTheirPath(String block, String path, String message) throws Exception {
        TokenizerException e = assertThrows(TokenizerException.class,
                () -> Normalizers.fromJson(new JsonView(JSON.readTree(block), "tokenizer.json", "$.normalizer")));
        assertTrue(e.getMessage().startsWith("tokenizer.json: " + path + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"type\":\"Fancy\"}|$.pre_tokenizer.type|expected one of [BertPreTokenizer",
        "{\"type\":\"ByteLevel\",\"add_prefix_space\":true}|$.pre_tokenizer.trim_offsets|is missing",
        "{\"type\":\"Split\",\"pattern\":{\"String\":\" \"},\"behavior\":\"Dropped\",\"invert\":false}|$.pre_tokenizer.behavior|unknown behavior \"Dropped\"",
        "{\"type\":\"Split\",\"pattern\":{\"Regex\":\"[\"},\"behavior\":\"Removed\",\"invert\":false}|$.pre_tokenizer.pattern.Regex|cannot compile regex",
        "{\"type\":\"Split\",\"pattern\":{\"Regex\":\"[[:graph:]]\"},\"behavior\":\"Removed\",\"invert\":false}|$.pre_tokenizer.pattern.Regex|unsupported POSIX bracket [:graph:]",
        "{\"type\":\"Metaspace\",\"replacement\":\"ab\"}|$.pre_tokenizer.replacement|expected a single character, found \"ab\"",
        "{\"type\":\"Metaspace\",\"replacement\":\"_\",\"add_prefix_space\":false,\"prepend_scheme\":\"always\"}|$.pre_tokenizer.add_prefix_space|does not match prepend_scheme",
        "{\"type\":\"Metaspace\",\"replacement\":\"_\",\"prepend_scheme\":\"sometimes\"}|$.pre_tokenizer.prepend_scheme|unknown prepend_scheme \"sometimes\"",
        "{\"type\":\"CharDelimiterSplit\",\"delimiter\":\"\"}|$.pre_tokenizer.delimiter|expected a single character",
        "{\"type\":\"FixedLength\",\"length\":0}|$.pre_tokenizer.length|at least 1",
        "{\"type\":\"Digits\"}|$.pre_tokenizer.individual_digits|is missing",
        "{\"type\":\"Sequence\",\"pretokenizers\":{}}|$.pre_tokenizer.pretokenizers|expected an array",
        "[1]|$.pre_tokenizer|expected an object",
    })
    void badPreTokenizerBlocksNameTheirPath(String block, String path, String message) throws Exception {
        TokenizerException e = assertThrows(TokenizerException.class,
                () -> PreTokenizers.fromJson(new JsonView(JSON.readTree(block), "tokenizer.json", "$.pre_tokenizer")));
        assertTrue(e.getMessage().startsWith("tokenizer.json: " + path + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
