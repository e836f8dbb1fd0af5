package dev.spotlight.tokenizers.decoders;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns runs of {@code <0xNN>} tokens into the text their bytes spell; a run that is not valid
 * UTF-8 becomes one U+FFFD per byte, as the Rust library does.
 */
record ByteFallbackDecoder() implements Decoder {
    @Override
    public List<String> decodeChain(List<String> tokens) {
        List<String> out = new ArrayList<>(tokens.size());
        ByteArrayOutputStream run = new ByteArrayOutputStream();
        for (String token : tokens) {
            int b = byteOf(token);
            if (b >= 0) {
                run.write(b);
                continue;
            }
            flush(run, out);
            out.add(token);
        }
        flush(run, out);
        return out;
    }

    private static void flush(ByteArrayOutputStream run, List<String> out) {
        if (run.size() == 0) {
            return;
        }
        byte[] bytes = run.toByteArray();
        String text = Utf8.decodeStrict(bytes);
        out.add(text != null ? text : "\uFFFD".repeat(bytes.length));
        run.reset();
    }

    private static int byteOf(String token) {
        if (token.length() != 6 || !token.startsWith("<0x") || token.charAt(5) != '>') {
            return -1;
        }
        // Rust parses the two characters with u8::from_str_radix: ASCII hex digits only, and a
        // leading '+' is accepted ("<0x+F>" is byte 15)
        int lo = hexDigit(token.charAt(4));
        if (token.charAt(3) == '+') {
            return lo;
        }
        int hi = hexDigit(token.charAt(3));
        return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
    }

    private static int hexDigit(char c) {
        return c < 0x80 ? Character.digit(c, 16) : -1;
    }
}
