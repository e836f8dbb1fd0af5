package dev.spotlight.tokenizers.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotlight.tokenizers.Tokenizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The orchestration (added tokens, truncation, post-processors, padding, decode) against the Rust
 * library: each case is a small tokenizer.json and a request answered by npm tokenizers@0.23.2,
 * recorded by goldens/unit/orchestration.mjs into goldens/unit/orchestration.jsonl.
 */
class OrchestrationParityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, JsonNode> CASES = load();

    private static Map<String, JsonNode> load() {
        Map<String, JsonNode> cases = new LinkedHashMap<>();
        try (var in = OrchestrationParityTest.class.getResourceAsStream("/goldens/unit/orchestration.jsonl");
             var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                JsonNode c = JSON.readTree(line);
                cases.put(c.get("name").asText(), c);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return cases;
    }

    static void assertMatchesRust(String name) {
        JsonNode c = CASES.get(name);
        assertTrue(c != null, "no recorded case " + name);
        Tokenizer tokenizer = Tokenizer.fromJson(c.get("tokenizer").toString(), name + ".json");
        String response = TokenizeProtocol.handle(tokenizer, c.get("request").toString());
        try {
            assertEquals(c.get("response").toPrettyString(), JSON.readTree(response).toPrettyString(), name);
        } catch (IOException e) {
            throw new AssertionError(name + ": response is not JSON: " + response, e);
        }
    }

    @Test
    void everyRecordedCaseMatchesRust() {
        assertTrue(CASES.size() >= 30);
        CASES.keySet().forEach(OrchestrationParityTest::assertMatchesRust);
    }

    @Test
    void bertProcessingWrapsSinglesAndPairs() {
        assertMatchesRust("bert_single_texts");
        assertMatchesRust("bert_pairs");
        assertMatchesRust("bert_without_special_tokens");
    }

    @Test
    void offsetsAreCodePointsForAstralCharacters() {
        assertMatchesRust("unknown_words_and_astral_offsets");
    }

    @Test
    void paddingRightPutsPadsAfterTokens() {
        assertMatchesRust("padding_right_batch_longest");
    }

    @Test
    void paddingLeftPutsPadsBeforeTokensAndShiftsSequenceIds() {
        assertMatchesRust("padding_left_batch_longest");
        assertMatchesRust("padding_pairs_left");
    }

    @Test
    void padToMultipleOfRoundsTheBatchLength() {
        assertMatchesRust("padding_pad_to_multiple_of");
    }

    @Test
    void fixedPaddingNeverTruncates() {
        assertMatchesRust("padding_fixed_shorter_than_text");
    }

    @Test
    void truncationWithStrideMakesOverflowingWindowsFromEitherEnd() {
        assertMatchesRust("truncation_right_stride_overflow");
        assertMatchesRust("truncation_left_stride_overflow");
        assertMatchesRust("truncation_without_special_tokens");
    }

    @Test
    void paddingAlsoPadsOverflowingEncodings() {
        assertMatchesRust("truncation_with_padding_pads_overflowing");
    }

    @Test
    void pairTruncationStrategiesCutTheRightSequence() {
        assertMatchesRust("truncation_pairs_longest_first");
        assertMatchesRust("truncation_pairs_longest_first_stride");
        assertMatchesRust("truncation_pairs_only_first");
        assertMatchesRust("truncation_pairs_only_second_left");
    }

    @Test
    void truncationErrorsAreRustsMessages() {
        assertMatchesRust("truncation_only_second_too_short");
        assertMatchesRust("truncation_only_second_without_pair");
    }

    @Test
    void maxLengthBelowTheSpecialTokensKeepsWhatTokenizationStoppedAt() {
        assertMatchesRust("truncation_max_length_below_special_tokens");
    }

    @Test
    void fileSettingsApplyUnlessTheRequestDisablesThem() {
        assertMatchesRust("file_padding_and_truncation");
        assertMatchesRust("file_settings_disabled_by_null");
    }

    @Test
    void pairsWithoutPostProcessorAreConcatenated() {
        assertMatchesRust("no_post_processor_pairs");
    }

    @Test
    void templateProcessingSetsTypeIdsAndMultiTokenSpecials() {
        assertMatchesRust("template_single_and_pair");
        assertMatchesRust("template_single");
        assertMatchesRust("template_pairs_overflow");
    }

    @Test
    void robertaAndByteLevelTrimOffsets() {
        assertMatchesRust("roberta_pairs");
        assertMatchesRust("roberta_no_trim");
        assertMatchesRust("bytelevel_trim_offsets");
        assertMatchesRust("bytelevel_pairs");
        assertMatchesRust("sequence_bytelevel_then_template");
    }

    @Test
    void addedTokenFlagsSingleWordStripNormalizedAndLongestMatch() {
        assertMatchesRust("added_tokens_flags");
        assertMatchesRust("added_tokens_pairs_special_mask");
    }

    @Test
    void addedTokenIdsComeFromTheVocabularyNotTheFile() {
        assertMatchesRust("added_token_ids_are_rederived");
    }
}
