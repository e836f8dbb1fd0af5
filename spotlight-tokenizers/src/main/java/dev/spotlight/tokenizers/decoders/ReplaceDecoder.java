package dev.spotlight.tokenizers.decoders;

import dev.spotlight.tokenizers.NormalizedString;
import java.util.ArrayList;
import java.util.List;

/** Replaces every match of a pattern in each token by {@code content}. */
record ReplaceDecoder(NormalizedString.Pattern pattern, String content) implements Decoder {
    @Override
    public List<String> decodeChain(List<String> tokens) {
        List<String> out = new ArrayList<>(tokens.size());
        NormalizedString.Matches matches = new NormalizedString.Matches();
        for (String token : tokens) {
            matches.clear();
            pattern.findMatches(token, matches);
            StringBuilder sb = new StringBuilder(token.length());
            int last = 0;
            for (int i = 0; i < matches.size(); i++) {
                sb.append(token, last, matches.start(i)).append(content);
                last = matches.end(i);
            }
            out.add(sb.append(token, last, token.length()).toString());
        }
        return out;
    }
}
