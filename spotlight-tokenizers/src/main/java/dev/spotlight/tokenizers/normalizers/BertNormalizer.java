package dev.spotlight.tokenizers.normalizers;

import dev.spotlight.tokenizers.NormalizedString;
import dev.spotlight.tokenizers.unicode.CharClasses;

/**
 * BERT's text cleanup: drop control chars and map whitespace to spaces ({@code clean_text}), put
 * spaces around CJK ideographs, strip accents (NFD then drop Mn; {@code strip_accents: null}
 * follows {@code lowercase}), and lowercase per char.
 */
public record BertNormalizer(boolean cleanText, boolean handleChineseChars, Boolean stripAccents, boolean lowercase)
        implements Normalizer {

    @Override
    public void normalize(NormalizedString s) {
        if (cleanText) {
            s.filter(c -> !(c == 0 || c == 0xFFFD || isControl(c)));
            s.map(c -> isBertWhitespace(c) ? ' ' : c);
        }
        if (handleChineseChars) {
            spaceChineseChars(s);
        }
        if (stripAccents != null ? stripAccents : lowercase) {
            s.nfd();
            s.filter(c -> !CharClasses.isMarkNonspacing(c));
        }
        if (lowercase) {
            s.lowercase();
        }
    }

    private static boolean isBertWhitespace(int c) {
        return c == '\t' || c == '\n' || c == '\r' || CharClasses.isWhitespace(c);
    }

    private static boolean isControl(int c) {
        return c != '\t' && c != '\n' && c != '\r' && CharClasses.isOther(c);
    }

    private static void spaceChineseChars(NormalizedString s) {
        String text = s.normalized();
        boolean any = false;
        for (int i = 0; i < text.length() && !any; i++) {
            char c = text.charAt(i);
            any = c >= 0x3400 && (Character.isSurrogate(c) || CharClasses.isChineseChar(c));
        }
        if (!any) {
            return;
        }
        NormalizedString.Edit edit = new NormalizedString.Edit(text.length() + text.length() / 2);
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (CharClasses.isChineseChar(cp)) {
                edit.add(' ', 0).add(cp, 1).add(' ', 1);
            } else {
                edit.add(cp, 0);
            }
            i += Character.charCount(cp);
        }
        s.transform(edit, 0);
    }
}
