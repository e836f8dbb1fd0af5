package dev.spotlight.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The texts of an {@code --input} file: a .txt file gives one per line (blank lines too, so output
 * line i belongs to input line i); a .jsonl file gives one object per line with a string field, whose
 * other fields are kept for the output. Every bad line is reported by file and line number.
 */
final class TextInputs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TextInputs() {
    }

    /** What {@code --input -} reads: standard input, as a .txt file (one text per line); {@code --output -} writes standard output. */
    static final Path STDIN = Path.of("-");

    /** One object per input with the text under {@code field}; {@link #STDIN} reads standard input. */
    static List<ObjectNode> read(Path file, String field) throws IOException {
        return read(file, field, System.in);
    }

    static List<ObjectNode> read(Path file, String field, InputStream stdin) throws IOException {
        byte[] bytes;
        if (file.equals(STDIN)) {
            bytes = stdin.readAllBytes();
        } else if (Files.isDirectory(file)) {
            throw new IOException("--input " + file + " is a directory; give a .txt or .jsonl file");
        } else if (!Files.isRegularFile(file)) {
            throw new IOException("--input " + file + ": no such file");
        } else {
            bytes = Files.readAllBytes(file);
        }
        List<String> lines = utf8Lines(bytes, file.equals(STDIN) ? "standard input" : file.toString()).lines().toList();
        List<ObjectNode> rows = new ArrayList<>(lines.size());
        boolean jsonl = !file.equals(STDIN) && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jsonl");
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!jsonl) {
                rows.add(JSON.createObjectNode().put(field, line));
                continue;
            }
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IOException(file + ":" + (i + 1) + ": not valid JSON: " + e.getOriginalMessage());
            }
            if (!(node instanceof ObjectNode object) || !object.path(field).isTextual()) {
                throw new IOException(file + ":" + (i + 1) + ": expected an object with a string \"" + field + "\", found "
                        + abbreviate(line));
            }
            rows.add(object);
        }
        return rows;
    }

    /** The bytes as UTF-8 text; otherwise an error naming the line and byte where decoding fails. */
    static String utf8Lines(byte[] bytes, String name) throws IOException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int at = in.position();
            int line = 1;
            for (int i = 0; i < at; i++) {
                line += bytes[i] == '\n' ? 1 : 0;
            }
            throw new IOException(String.format(Locale.ROOT, "--input %s: line %d is not UTF-8 text (byte 0x%02X at offset %d);"
                    + " convert it first, e.g. iconv -f latin1 -t utf-8", name, line, bytes[at] & 0xFF, at));
        }
        return out.flip().toString();
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
