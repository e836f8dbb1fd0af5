package dev.spotlight.tokenizers.decoders;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the Metaspace replacement character back into spaces. As in the Rust library, when a
 * prefix space was added, every replacement character of the first token is dropped.
 */
record MetaspaceDecoder(int replacement, boolean prependedSpace) implements Decoder {
    @Override
    public List<String> decodeChain(List<String> tokens) {
        List<String> out = new ArrayList<>(tokens.size());
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            StringBuilder sb = new StringBuilder(token.length());
            for (int j = 0; j < token.length(); ) {
                int cp = token.codePointAt(j);
                if (cp == replacement) {
                    if (!(i == 0 && prependedSpace)) {
                        sb.append(' ');
                    }
                } else {
                    sb.appendCodePoint(cp);
                }
                j += Character.charCount(cp);
            }
            out.add(sb.toString());
        }
        return out;
    }
}
