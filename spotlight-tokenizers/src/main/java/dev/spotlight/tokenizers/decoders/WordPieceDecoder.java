package dev.spotlight.tokenizers.decoders;

import java.util.ArrayList;
import java.util.List;

/** Joins WordPiece tokens: continuation pieces lose their prefix, other tokens get a space before them. */
record WordPieceDecoder(String prefix, boolean cleanup) implements Decoder {
    @Override
    public List<String> decodeChain(List<String> tokens) {
        List<String> out = new ArrayList<>(tokens.size());
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (i != 0) {
                token = token.startsWith(prefix) ? token.substring(prefix.length()) : " " + token;
            }
            out.add(cleanup ? cleanup(token) : token);
        }
        return out;
    }

    /** The Rust library's clean-up of tokenization spaces, in its order. */
    static String cleanup(String s) {
        return s.replace(" .", ".")
                .replace(" ?", "?")
                .replace(" !", "!")
                .replace(" ,", ",")
                .replace(" ' ", "'")
                .replace(" n't", "n't")
                .replace(" 'm", "'m")
                .replace(" do not", " don't")
                .replace(" 's", "'s")
                .replace(" 've", "'ve")
                .replace(" 're", "'re");
    }
}
