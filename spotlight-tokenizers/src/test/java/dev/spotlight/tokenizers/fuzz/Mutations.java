package dev.spotlight.tokenizers.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * How the fuzzer changes a seed. {@link #BYTES} applies one to four byte-level edits (bit flips,
 * interesting integers written little-endian, inserted, deleted, duplicated or spliced ranges,
 * digit runs replaced by extreme numbers); {@link #JSON} edits the parsed tree instead (a value
 * replaced by an extreme number, a long or control-character string, another type; a key removed
 * or a subtree duplicated) and falls back to byte edits one time in four, to reach the parser too.
 */
public interface Mutations {

    byte[] mutate(byte[] seed, List<byte[]> all, Random random);

    /** Integers that find off-by-one and overflow bugs in sizes and offsets. */
    long[] INTERESTING = {0, 1, -1, 2, 7, 8, 63, 64, 127, 128, 255, 256, 1023, 1024, 4095, 4096, 65535, 65536,
            Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE - 8, 1L << 31, 1L << 32, (1L << 32) - 1, Long.MAX_VALUE,
            Long.MIN_VALUE, 1L << 40, 1L << 53, -(1L << 31)};

    /** Texts that number fields, strings and names are replaced by. */
    String[] TEXTS = {"", " ", "\u0000", "a\u0000b", "\u001b[31m", "../x", "/", "\\", "\uD800", "\uFFFF", "😀", "中文",
            "NaN", "1e309", "-0", "00000000000000000000001", "99999999999999999999999", "%s%n", "\"", "{", "[", "null"};

    Mutations BYTES = (seed, all, random) -> {
        byte[] data = seed.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            data = ByteEdits.apply(data, all, random);
        }
        return data;
    };

    Mutations JSON = new Mutations() {
        private final ObjectMapper mapper = new ObjectMapper();

        @Override
        public byte[] mutate(byte[] seed, List<byte[]> all, Random random) {
            if (random.nextInt(4) == 0) {
                return BYTES.mutate(seed, all, random);
            }
            try {
                JsonNode root = mapper.readTree(seed);
                int edits = 1 + random.nextInt(3);
                for (int e = 0; e < edits; e++) {
                    root = JsonEdits.apply(root, random);
                }
                return mapper.writeValueAsBytes(root);
            } catch (Exception e) {
                return BYTES.mutate(seed, all, random);
            }
        }
    };

    /** Byte-level edits. */
    final class ByteEdits {
        private ByteEdits() {
        }

        static byte[] apply(byte[] data, List<byte[]> all, Random random) {
            int n = data.length;
            switch (random.nextInt(9)) {
                case 0 -> {   // flip a bit
                    if (n > 0) {
                        data[random.nextInt(n)] ^= (byte) (1 << random.nextInt(8));
                    }
                }
                case 1 -> {   // an interesting byte
                    if (n > 0) {
                        data[random.nextInt(n)] = (byte) new int[] {0, 0xFF, 0x7F, 0x80, '"', '{', '[', '\\', 0xC3, 0xE2}[random.nextInt(10)];
                    }
                }
                case 2 -> {   // an interesting integer, little-endian (binary headers, lengths, offsets)
                    if (n >= 8) {
                        long v = INTERESTING[random.nextInt(INTERESTING.length)];
                        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
                        int at = random.nextInt(n - 7);
                        if (random.nextBoolean()) {
                            b.putInt(at, (int) v);
                        } else {
                            b.putLong(at, v);
                        }
                    }
                }
                case 3 -> {   // insert random bytes
                    byte[] extra = new byte[1 + random.nextInt(16)];
                    random.nextBytes(extra);
                    return splice(data, random.nextInt(n + 1), 0, extra);
                }
                case 4 -> {   // delete a range
                    if (n > 0) {
                        int at = random.nextInt(n);
                        return splice(data, at, Math.min(n - at, 1 + random.nextInt(Math.max(1, n / 8))), new byte[0]);
                    }
                }
                case 5 -> {   // duplicate a range
                    if (n > 0) {
                        int at = random.nextInt(n);
                        int len = Math.min(n - at, 1 + random.nextInt(64));
                        return splice(data, random.nextInt(n + 1), 0, Arrays.copyOfRange(data, at, at + len));
                    }
                }
                case 6 -> {   // splice in a piece of another seed
                    byte[] other = all.get(random.nextInt(all.size()));
                    if (other.length > 0) {
                        int at = random.nextInt(other.length);
                        int len = Math.min(other.length - at, 1 + random.nextInt(256));
                        return splice(data, random.nextInt(n + 1), 0, Arrays.copyOfRange(other, at, at + len));
                    }
                }
                case 7 -> {   // a run of digits becomes an extreme number
                    int start = random.nextInt(n + 1);
                    while (start < n && !Character.isDigit(data[start])) {
                        start++;
                    }
                    int end = start;
                    while (end < n && Character.isDigit(data[end])) {
                        end++;
                    }
                    if (end > start) {
                        String number = random.nextBoolean() ? Long.toString(INTERESTING[random.nextInt(INTERESTING.length)])
                                : TEXTS[random.nextInt(TEXTS.length)];
                        return splice(data, start, end - start, number.getBytes(StandardCharsets.UTF_8));
                    }
                }
                default -> {  // truncate
                    return Arrays.copyOf(data, random.nextInt(n + 1));
                }
            }
            return data;
        }

        static byte[] splice(byte[] data, int at, int remove, byte[] insert) {
            byte[] out = new byte[data.length - remove + insert.length];
            System.arraycopy(data, 0, out, 0, at);
            System.arraycopy(insert, 0, out, at, insert.length);
            System.arraycopy(data, at + remove, out, at + insert.length, data.length - at - remove);
            return out;
        }
    }

    /** Tree-level edits of a JSON document. */
    final class JsonEdits {
        private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

        private JsonEdits() {
        }

        static JsonNode apply(JsonNode root, Random random) {
            List<JsonNode> containers = new ArrayList<>();
            collect(root, containers);
            if (containers.isEmpty()) {
                return replacement(random, root);
            }
            JsonNode parent = containers.get(random.nextInt(containers.size()));
            if (parent instanceof ObjectNode object && !object.isEmpty()) {
                List<String> keys = new ArrayList<>();
                object.fieldNames().forEachRemaining(keys::add);
                String key = keys.get(random.nextInt(keys.size()));
                switch (random.nextInt(5)) {
                    case 0 -> object.remove(key);
                    case 1 -> object.set(key + (random.nextBoolean() ? "" : "_"), object.get(key).deepCopy());
                    default -> object.set(key, replacement(random, object.get(key)));
                }
            } else if (parent instanceof ArrayNode array && !array.isEmpty()) {
                int i = random.nextInt(array.size());
                switch (random.nextInt(5)) {
                    case 0 -> array.remove(i);
                    case 1 -> array.insert(i, array.get(i).deepCopy());
                    default -> array.set(i, replacement(random, array.get(i)));
                }
            }
            return root;
        }

        private static void collect(JsonNode node, List<JsonNode> out) {
            if (node.isContainerNode()) {
                out.add(node);
                node.forEach(child -> collect(child, out));
            }
        }

        private static JsonNode replacement(Random random, JsonNode old) {
            return switch (random.nextInt(10)) {
                case 0, 1, 2 -> NODES.numberNode(INTERESTING[random.nextInt(INTERESTING.length)]);
                case 3 -> NODES.numberNode(new double[] {-0.0, 1e-300, 1e300, 0.5, -1.5, Double.MIN_VALUE}[random.nextInt(6)]);
                case 4 -> NODES.textNode(TEXTS[random.nextInt(TEXTS.length)]);
                case 5 -> NODES.textNode("x".repeat(random.nextBoolean() ? 1000 : 100_000));
                case 6 -> NODES.nullNode();
                case 7 -> NODES.booleanNode(random.nextBoolean());
                case 8 -> random.nextBoolean() ? NODES.arrayNode().add(old.deepCopy()) : NODES.objectNode().set("x", old.deepCopy());
                default -> old.isNumber() ? NODES.numberNode(old.asLong() + (random.nextBoolean() ? 1 : -1)) : NODES.textNode(old.asText() + "x");
            };
        }
    }
}
