package dev.spotlight.tokenizers.decoders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spotlight.tokenizers.TokenizerException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Decoder behaviours the real tokenizers in GoldenParityTest do not all reach, and bad decoder blocks. */
class DecodersTest {
    @Test
    void byteFallbackDecodesRunsAndReplacesEachInvalidByte() {
        Decoder d = decoder("{\"type\":\"ByteFallback\"}");
        assertEquals(List.of("a", "é", "b", "\uFFFD\uFFFD"), d.decodeChain(List.of("a", "<0xC3>", "<0xA9>", "b", "<0xC3>", "<0xC3>")));
    }

    @Test
    void wordPieceJoinsContinuationsAndCleansSpaces() {
        Decoder d = decoder("{\"type\":\"WordPiece\",\"prefix\":\"##\",\"cleanup\":true}");
        assertEquals("unaffable, isn ' t it?", d.decode(List.of("un", "##aff", "##able", ",", "isn", "'", "t", "it", "?")));
    }

    @Test
    void ctcCollapsesRepeatsAndDropsPads() {
        Decoder d = decoder("{\"type\":\"CTC\",\"pad_token\":\"<pad>\",\"word_delimiter_token\":\"|\",\"cleanup\":true}");
        assertEquals("hello world", d.decode(List.of("h", "e", "l", "l", "<pad>", "l", "o", "|", "w", "o", "r", "l", "d")));
    }

    @Test
    void sequenceChainsReplaceFuseAndStrip() {
        Decoder d = decoder("{\"type\":\"Sequence\",\"decoders\":[{\"type\":\"Replace\",\"pattern\":{\"String\":\"▁\"},\"content\":\" \"},"
                + "{\"type\":\"Fuse\"},{\"type\":\"Strip\",\"content\":\" \",\"start\":1,\"stop\":0}]}");
        assertEquals("Hello world", d.decode(List.of("▁Hello", "▁world")));
    }

    @Test
    void unknownDecoderTypeIsNamed() {
        var e = assertThrows(TokenizerException.class, () -> decoder("{\"type\":\"Morse\"}"));
        assertEquals("tokenizer.json: $.type: unknown decoder type \"Morse\", expected one of [WordPiece, ByteLevel, Metaspace, "
                + "BPEDecoder, ByteFallback, Fuse, Strip, Replace, CTC, Sequence]", e.getMessage());
    }

    private static Decoder decoder(String json) {
        return Decoders.fromJson(dev.spotlight.tokenizers.models.ModelsTest.view(json));
    }
}
