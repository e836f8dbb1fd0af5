package dev.spotlight.tokenizers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Reads the golden files under src/test/resources/goldens (see the .js generator next to each). */
public final class NormalizerGoldens {
    private static final ObjectMapper JSON = new ObjectMapper();

    private NormalizerGoldens() {
    }

    public static List<JsonNode> lines(String name) {
        List<JsonNode> out = new ArrayList<>();
        InputStream in = open(name);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(name.endsWith(".gz") ? new GZIPInputStream(in) : in,
                StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                out.add(JSON.readTree(line));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** A component config, with {@code precompiled_charsmap_file} references (at any depth) replaced by the charsmap. */
    public static JsonView config(JsonNode config) {
        return JsonView.root(resolve(config), "golden");
    }

    private static JsonNode resolve(JsonNode node) {
        if (node.has("precompiled_charsmap_file")) {
            try (InputStream in = new GZIPInputStream(open(node.get("precompiled_charsmap_file").asText()))) {
                return JSON.readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (node.isObject()) {
            ObjectNode copy = ((ObjectNode) node).deepCopy();
            node.properties().forEach(e -> copy.set(e.getKey(), resolve(e.getValue())));
            return copy;
        }
        if (node.isArray()) {
            com.fasterxml.jackson.databind.node.ArrayNode copy = JSON.createArrayNode();
            node.forEach(e -> copy.add(resolve(e)));
            return copy;
        }
        return node;
    }

    private static InputStream open(String name) {
        InputStream in = NormalizerGoldens.class.getResourceAsStream("/goldens/" + name);
        if (in == null) {
            throw new IllegalStateException("missing golden file " + name);
        }
        return in;
    }

    /** 32-bit FNV-1a over UTF-16 code units, as the generators compute it. */
    public static String fnv(CharSequence s) {
        int h = 0x811c9dc5;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x01000193;
        }
        return String.format("%08x", h);
    }

    /** For each UTF-16 index of {@code s} (and its length), the code point index. */
    public static int[] codePointIndex(String s) {
        int[] idx = new int[s.length() + 1];
        int cp = 0;
        for (int i = 0; i < s.length(); i++) {
            boolean second = i > 0 && Character.isLowSurrogate(s.charAt(i)) && Character.isHighSurrogate(s.charAt(i - 1));
            idx[i] = second ? cp - 1 : cp++;
        }
        idx[s.length()] = cp;
        return idx;
    }
}
