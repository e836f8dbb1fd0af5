package dev.spotlight.tokenizers.decoders;

import java.util.ArrayList;
import java.util.List;

/** CTC output: repeated tokens collapse, pad tokens vanish, the word delimiter becomes a space. */
record CtcDecoder(String padToken, String wordDelimiter, boolean cleanup) implements Decoder {
    @Override
    public List<String> decodeChain(List<String> tokens) {
        List<String> out = new ArrayList<>(tokens.size());
        String previous = null;
        for (String token : tokens) {
            if (token.equals(previous)) {
                continue;
            }
            previous = token;
            String replaced = token.replace(padToken, "");
            if (cleanup) {
                replaced = WordPieceDecoder.cleanup(replaced).replace(wordDelimiter, " ");
            }
            if (!replaced.isEmpty()) {
                out.add(replaced);
            }
        }
        return out;
    }
}
