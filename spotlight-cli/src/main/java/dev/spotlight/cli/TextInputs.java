package dev.spotlight.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
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

    /** One object per input with the text under {@code field}. */
    static List<ObjectNode> read(Path file, String field) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException("--input " + file + " is a directory; give a .txt or .jsonl file");
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException("--input " + file + ": no such file");
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<ObjectNode> rows = new ArrayList<>(lines.size());
        boolean jsonl = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jsonl");
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

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
