package dev.spotlight.view.html;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spotlight.view.ViewException;
import java.util.Base64;

/**
 * A non-negative array in the viewer's JSON: {@code {"shape": [...], "scale": s, "u16": base64}}.
 * Each value is stored row-major as a little-endian unsigned 16-bit integer
 * {@code q = round(v / scale · 65535)} and read back as {@code q / 65535 · scale}, where {@code scale}
 * is the array's maximum (1 when all are 0). Why: twelve 512×512 maps per layer as JSON numbers take
 * ~10 bytes a value; u16 in base64 takes 2.7, with an error of at most {@code scale / 131070}
 * (7.6e-6 for attention).
 */
record PackedArray(int[] shape, double scale, byte[] littleEndianU16) {
    static final int LEVELS = 65535;
    /**
     * Most values one array may hold: 2^26 is 128 MiB of u16 and ~180 MB of base64, about what a browser
     * still parses comfortably (12 layers × 12 heads × 512² is 37.7 M values).
     */
    static final long MAX_VALUES = 1L << 26;

    /** {@code [layer][head][query][key]} or {@code [layer][head][token][hidden]}. */
    static PackedArray of(float[][][][] values) {
        int a = values.length, b = values[0].length, c = values[0][0].length, d = values[0][0][0].length;
        float[] flat = new float[checkedSize(a, b, c, d)];
        int k = 0;
        for (float[][][] x : values) {
            for (float[][] y : x) {
                for (float[] z : y) {
                    for (float v : z) {
                        flat[k++] = v;
                    }
                }
            }
        }
        return pack(flat, a, b, c, d);
    }

    static PackedArray of(float[][][] values) {
        int a = values.length, b = values[0].length, c = values[0][0].length;
        float[] flat = new float[checkedSize(a, b, c)];
        int k = 0;
        for (float[][] x : values) {
            for (float[] y : x) {
                for (float v : y) {
                    flat[k++] = v;
                }
            }
        }
        return pack(flat, a, b, c);
    }

    static PackedArray of(double[][][] values) {
        int a = values.length, b = values[0].length, c = values[0][0].length;
        float[] flat = new float[checkedSize(a, b, c)];
        int k = 0;
        for (double[][] x : values) {
            for (double[] y : x) {
                for (double v : y) {
                    flat[k++] = (float) v;
                }
            }
        }
        return pack(flat, a, b, c);
    }

    static PackedArray of(double[][] values) {
        return of(new double[][][] {values}).reshaped(values.length, values[0].length);
    }

    private static int checkedSize(int... shape) {
        long size = 1;
        for (int d : shape) {
            size *= d;
        }
        if (size > MAX_VALUES) {
            throw new ViewException("viewer data: an array of shape " + java.util.Arrays.toString(shape) + " has " + size
                    + " values, more than the " + MAX_VALUES + " one HTML page can embed; draw one head with"
                    + " --format png --layer L --head H, or use a shorter input");
        }
        return (int) size;
    }

    private PackedArray reshaped(int... newShape) {
        return new PackedArray(newShape, scale, littleEndianU16);
    }

    // Flattened to float, not double: the largest capture is 64 M values, and half the memory matters more
    // than precision beyond the u16 quantisation.
    private static PackedArray pack(float[] values, int... shape) {
        double max = 0;
        for (float v : values) {
            max = Math.max(max, v);
        }
        double scale = max > 0 ? max : 1;
        byte[] bytes = new byte[values.length * 2];
        for (int i = 0; i < values.length; i++) {
            int q = (int) Math.round(Math.clamp(values[i] / scale, 0.0, 1.0) * LEVELS);
            bytes[2 * i] = (byte) q;
            bytes[2 * i + 1] = (byte) (q >>> 8);
        }
        return new PackedArray(shape, scale, bytes);
    }

    /** The value at flat (row-major) index {@code i}, as the viewer decodes it. */
    double get(int i) {
        int q = (littleEndianU16[2 * i] & 0xff) | (littleEndianU16[2 * i + 1] & 0xff) << 8;
        return q / (double) LEVELS * scale;
    }

    ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        var shapeNode = node.putArray("shape");
        for (int d : shape) {
            shapeNode.add(d);
        }
        node.put("scale", scale);
        node.put("u16", Base64.getEncoder().encodeToString(littleEndianU16));
        return node;
    }
}
