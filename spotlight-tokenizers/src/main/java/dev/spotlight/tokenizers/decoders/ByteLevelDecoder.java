package dev.spotlight.tokenizers.decoders;

import dev.spotlight.tokenizers.ByteLevelAlphabet;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Maps GPT-2's byte alphabet back to bytes and decodes them as UTF-8 (invalid sequences become
 * U+FFFD). A token with a character outside the alphabet (an added token) contributes its own UTF-8.
 */
record ByteLevelDecoder() implements Decoder {
    @Override
    public List<String> decodeChain(List<String> tokens) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (String token : tokens) {
            byte[] mapped = new byte[token.length()];
            int n = 0;
            boolean inAlphabet = true;
            for (int i = 0; i < token.length(); ) {
                int cp = token.codePointAt(i);
                int b = ByteLevelAlphabet.byteOf(cp);
                if (b < 0) {
                    inAlphabet = false;
                    break;
                }
                mapped[n++] = (byte) b;
                i += Character.charCount(cp);
            }
            if (inAlphabet) {
                bytes.write(mapped, 0, n);
            } else {
                bytes.writeBytes(token.getBytes(StandardCharsets.UTF_8));
            }
        }
        return List.of(Utf8.decodeLossy(bytes.toByteArray()));
    }
}
