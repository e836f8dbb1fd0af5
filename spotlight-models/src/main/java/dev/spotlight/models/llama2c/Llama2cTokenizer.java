package dev.spotlight.models.llama2c;

import dev.spotlight.models.ModelFormatException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A llama2.c tokenizer file ({@code tokenizer.bin}, {@code tok512.bin}): int32
 * {@code max_token_length}, then per id a float32 score, an int32 byte length and that many UTF-8
 * bytes. The vocabulary size is not in the file (run.c takes it from the checkpoint), so
 * {@link #read} needs it. The layout is SentencePiece's as llama2.c's {@code tokenizer.py} exports
 * it: id 0 {@code <unk>}, id 1 {@code "\n<s>\n"} (BOS), id 2 {@code "\n</s>\n"} (EOS), ids 3..258
 * the byte-fallback tokens {@code <0x00>..<0xFF>} (run.c encodes byte b as id b + 3), then pieces
 * whose spaces are plain {@code ' '}.
 *
 * <p>{@link #tokenizerJson()} writes the equivalent Hugging Face tokenizer (see
 * {@link HfTokenizerJson}).
 */
public final class Llama2cTokenizer {
    /** Three special tokens and 256 byte tokens come first. */
    static final int FIRST_PIECE = 3 + 256;
    /** A generous cap on {@code max_token_length}; Llama 2's own tokenizer.bin has 27. */
    static final int MAX_TOKEN_LENGTH = 1 << 16;
    private static final String[] SPECIALS = {"<unk>", "\n<s>\n", "\n</s>\n"};

    private final String source;
    private final int maxTokenLength;
    private final String[] pieces;
    private final float[] scores;

    private Llama2cTokenizer(String source, int maxTokenLength, String[] pieces, float[] scores) {
        this.source = source;
        this.maxTokenLength = maxTokenLength;
        this.pieces = pieces;
        this.scores = scores;
    }

    /**
     * Reads and validates {@code tokBin} for a model of {@code vocabSize} tokens: every length is
     * bounded before it is used, every piece must be UTF-8, the special and byte tokens must be where
     * run.c expects them, and the file must end after the last id.
     */
    public static Llama2cTokenizer read(Path tokBin, int vocabSize) {
        String where = tokBin.toString();
        if (vocabSize < FIRST_PIECE) {
            throw new ModelFormatException(where + ": vocab_size " + vocabSize + " is too small: llama2.c's layout has "
                    + "3 special and 256 byte tokens (" + FIRST_PIECE + ")");
        }
        ByteBuffer b;
        try {
            long size = Files.size(tokBin);
            if (size < 4) {
                throw new ModelFormatException(where + ": file is " + size + " bytes, too short for the 4-byte max_token_length");
            }
            int maxLength;
            try (var in = Files.newInputStream(tokBin)) {
                maxLength = ByteBuffer.wrap(in.readNBytes(4)).order(ByteOrder.LITTLE_ENDIAN).getInt();
            }
            if (maxLength < 1 || maxLength > MAX_TOKEN_LENGTH) {
                throw new ModelFormatException(where + ": max_token_length " + maxLength + " must be in 1.." + MAX_TOKEN_LENGTH);
            }
            long largest = 4 + (long) vocabSize * (8 + maxLength);
            if (size > largest) {
                throw new ModelFormatException(where + ": file is " + size + " bytes, more than vocab_size " + vocabSize
                        + " entries of at most max_token_length " + maxLength + " bytes can fill (" + largest + ")");
            }
            b = ByteBuffer.wrap(Files.readAllBytes(tokBin)).order(ByteOrder.LITTLE_ENDIAN);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ModelFormatException(where + ": no such file", e);
        } catch (IOException e) {
            throw new UncheckedIOException(where + ": " + e.getMessage(), e);
        }
        return parse(b, vocabSize, where);
    }

    private static Llama2cTokenizer parse(ByteBuffer b, int vocabSize, String where) {
        int maxLength = b.getInt(0);
        var utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        String[] pieces = new String[vocabSize];
        float[] scores = new float[vocabSize];
        int at = 4;
        for (int id = 0; id < vocabSize; id++) {
            if (b.limit() - at < 8) {
                throw new ModelFormatException(where + ": file ends at byte " + b.limit() + " in the entry of id " + id
                        + ", expected vocab_size " + vocabSize + " entries");
            }
            float score = b.getFloat(at);
            int length = b.getInt(at + 4);
            at += 8;
            if (!Float.isFinite(score)) {
                throw new ModelFormatException(where + ": id " + id + " has score " + score + ", expected a finite number");
            }
            if (length < 1 || length > maxLength) {
                throw new ModelFormatException(where + ": id " + id + " has byte length " + length
                        + ", expected 1..max_token_length " + maxLength);
            }
            if (b.limit() - at < length) {
                throw new ModelFormatException(where + ": file ends at byte " + b.limit() + " inside the " + length
                        + " bytes of id " + id);
            }
            try {
                pieces[id] = utf8.decode(b.slice(at, length)).toString();
            } catch (CharacterCodingException e) {
                throw new ModelFormatException(where + ": id " + id + " (bytes at " + at + ") is not valid UTF-8", e);
            }
            scores[id] = score;
            at += length;
        }
        if (at != b.limit()) {
            throw new ModelFormatException(where + ": " + (b.limit() - at) + " bytes follow the " + vocabSize
                    + " entries of vocab_size " + vocabSize + " (a tokenizer for a larger vocabulary?)");
        }
        checkLayout(pieces, where);
        return new Llama2cTokenizer(where, maxLength, pieces, scores);
    }

    /** The ids run.c hard-codes: BOS 1, EOS 2, byte b at b + 3; and no piece twice (HF's vocab is a map). */
    private static void checkLayout(String[] pieces, String where) {
        for (int id = 0; id < FIRST_PIECE; id++) {
            String expected = id < 3 ? SPECIALS[id] : String.format("<0x%02X>", id - 3);
            if (!pieces[id].equals(expected)) {
                throw new ModelFormatException(where + ": id " + id + " is " + PythonJson.quote(pieces[id]) + ", expected "
                        + PythonJson.quote(expected) + " (llama2.c's layout: <unk>, BOS, EOS, then the byte tokens <0x00>..<0xFF>)");
            }
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int id = 0; id < pieces.length; id++) {
            Integer before = seen.putIfAbsent(hfToken(pieces, id), id);
            if (before != null) {
                throw new ModelFormatException(where + ": id " + id + " " + PythonJson.quote(pieces[id]) + " repeats id " + before
                        + " " + PythonJson.quote(pieces[before]));
            }
        }
    }

    public int vocabSize() {
        return pieces.length;
    }

    /** The file it was read from, for messages. */
    public String source() {
        return source;
    }

    public int maxTokenLength() {
        return maxTokenLength;
    }

    /** The piece of {@code id} as stored (spaces as ' ', BOS as {@code "\n<s>\n"}). */
    public String piece(int id) {
        return pieces[id];
    }

    public float score(int id) {
        return scores[id];
    }

    /** The Hugging Face token of {@code id}: {@code <s>} and {@code </s>} for BOS and EOS, spaces as '▁'. */
    public String hfToken(int id) {
        return hfToken(pieces, id);
    }

    private static String hfToken(String[] pieces, int id) {
        return switch (id) {
            case 1 -> "<s>";
            case 2 -> "</s>";
            default -> pieces[id].replace(' ', HfTokenizerJson.SPACE);
        };
    }

    /** The equivalent Hugging Face tokenizer.json (compact JSON, as the tokenizers library saves it). */
    public String tokenizerJson() {
        return HfTokenizerJson.write(this);
    }

    /**
     * tokenizer_config.json for a {@code LlamaTokenizer} that adds BOS. llama2.c has no pad token;
     * pad {@code <unk>} with left padding is the choice batched generation needs (and the fixture's).
     */
    public String tokenizerConfigJson(int modelMaxLength) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("tokenizer_class", "LlamaTokenizer");
        c.put("add_bos_token", true);
        c.put("add_eos_token", false);
        c.put("bos_token", "<s>");
        c.put("eos_token", "</s>");
        c.put("unk_token", "<unk>");
        c.put("pad_token", "<unk>");
        c.put("padding_side", "left");
        c.put("clean_up_tokenization_spaces", false);
        c.put("legacy", true);
        c.put("model_max_length", modelMaxLength);
        return PythonJson.object(c);
    }

    @Override
    public String toString() {
        return "Llama2cTokenizer[" + source + ", " + pieces.length + " tokens]";
    }
}
