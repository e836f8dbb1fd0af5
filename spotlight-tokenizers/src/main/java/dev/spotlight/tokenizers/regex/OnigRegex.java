package dev.spotlight.tokenizers.regex;

import dev.spotlight.tokenizers.NormalizedString;
import dev.spotlight.tokenizers.TokenizerException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * An Oniguruma pattern (what tokenizer.json regexes are written for) run by java.util.regex:
 * the syntax differences that matter are translated, and matches are iterated the way the Rust
 * {@code onig} crate does (after a non-empty match the next empty match is dropped, and an empty
 * match moves on by one code point).
 */
public final class OnigRegex implements NormalizedString.Pattern {
    // Oniguruma's \w is Java's Unicode \w without the joiners ZWNJ/ZWJ, plus the Latin-1 superscripts
    // and fractions its ISO-8859-1 ctype table marks as word chars (measured against the Rust library)
    private static final String WORD = "[\\w\\u00B2\\u00B3\\u00B9\\u00BC-\\u00BE&&[^\\u200C\\u200D]]";
    private static final String NOT_WORD = "[\\W\\u200C\\u200D&&[^\\u00B2\\u00B3\\u00B9\\u00BC-\\u00BE]]";

    private final String source;
    private final Pattern pattern;

    private OnigRegex(String source, Pattern pattern) {
        this.source = source;
        this.pattern = pattern;
    }

    /** Compiles an Oniguruma pattern; throws {@link PatternSyntaxException} when Java cannot take it. */
    public static OnigRegex compile(String onigPattern) {
        // Ruby syntax: ^ and $ work per line, and only \n ends a line
        int flags = Pattern.UNICODE_CHARACTER_CLASS | Pattern.MULTILINE | Pattern.UNIX_LINES;
        return new OnigRegex(onigPattern, Pattern.compile(translate(onigPattern), flags));
    }

    /** A literal string as a pattern (Hugging Face escapes it and compiles it with Oniguruma). */
    public static OnigRegex literal(String text) {
        return new OnigRegex(text, Pattern.compile(Pattern.quote(text)));
    }

    public String source() {
        return source;
    }

    /**
     * @throws TokenizerException when java.util.regex runs out of stack on this input (deeply
     *     nested repetition over a long text), rather than letting the error escape
     */
    @Override
    public void findMatches(String inside, NormalizedString.Matches out) {
        try {
            find(inside, out);
        } catch (StackOverflowError e) {
            throw new TokenizerException("regex \"" + abbreviated() + "\" recursed too deeply on an input of "
                    + inside.length() + " chars; split the input or simplify the pattern");
        } catch (Budgeted.Exhausted e) {
            throw new TokenizerException("regex \"" + abbreviated() + "\" backtracked more than " + Budgeted.READS_PER_CHAR
                    + " steps per character on an input of " + inside.length() + " chars (a pattern that can match the same text"
                    + " in exponentially many ways); simplify the pattern");
        }
    }

    private String abbreviated() {
        return source.length() > 80 ? source.substring(0, 77) + "..." : source;
    }

    /**
     * The text as the matcher reads it, counting the reads: Oniguruma and java.util.regex both
     * backtrack exponentially on patterns like {@code (a+)+$}, which would hang the caller; past a
     * budget far above what any linear pattern needs, the match fails with an error instead.
     */
    private static final class Budgeted implements CharSequence {
        static final long READS_PER_CHAR = 10_000;

        static final class Exhausted extends RuntimeException {
            Exhausted() {
                super(null, null, false, false);
            }
        }

        private final String text;
        private long left;

        Budgeted(String text) {
            this.text = text;
            this.left = READS_PER_CHAR * (text.length() + 64L);
        }

        @Override
        public char charAt(int index) {
            if (--left < 0) {
                throw new Exhausted();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    private void find(String inside, NormalizedString.Matches out) {
        int len = inside.length();
        Matcher m = pattern.matcher(new Budgeted(inside));
        int from = 0;
        boolean skipNextEmpty = false;
        while (from <= len && m.find(from)) {
            int s = m.start();
            int e = m.end();
            from = e;
            if (s == e) {
                from += e < len ? Character.charCount(inside.codePointAt(e)) : 1;
                if (skipNextEmpty) {
                    skipNextEmpty = false;
                    continue;
                }
            } else {
                skipNextEmpty = true;
            }
            out.add(s, e);
        }
    }

    /** Rewrites the Oniguruma constructs whose meaning differs in java.util.regex. */
    static String translate(String p) {
        StringBuilder out = new StringBuilder(p.length() + 16);
        int depth = 0; // inside a character class when > 0
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '\\' && i + 1 < p.length()) {
                char n = p.charAt(i + 1);
                switch (n) {
                    case 'w' -> out.append(WORD);
                    case 'W' -> out.append(NOT_WORD);
                    case 'h' -> out.append(depth > 0 ? "0-9a-fA-F" : "[0-9a-fA-F]");
                    case 'H' -> out.append("[^0-9a-fA-F]");
                    case 'p', 'P' -> {
                        int close = p.indexOf('}', i);
                        if (i + 2 < p.length() && p.charAt(i + 2) == '{' && close > 0) {
                            String name = p.substring(i + 3, close);
                            boolean negate = name.startsWith("^");
                            if (negate) {
                                name = name.substring(1);
                            }
                            char kind = (n == 'P') != negate ? 'P' : 'p';
                            out.append('\\').append(kind).append('{').append(javaProperty(name)).append('}');
                            i = close;
                            continue;
                        }
                        out.append(c).append(n);
                    }
                    default -> out.append(c).append(n);
                }
                i++;
                continue;
            }
            if (c == '[' && depth > 0 && p.startsWith("[:", i)) {
                int close = p.indexOf(":]", i + 2);
                if (close > 0) {
                    String cls = posixClass(p.substring(i + 2, close));
                    if (cls == null) { // Java would read it as a set of letters: refuse rather than match differently
                        throw new PatternSyntaxException("unsupported POSIX bracket " + p.substring(i, close + 2), p, i);
                    }
                    out.append(cls);
                    i = close + 1;
                    continue;
                }
            }
            if (c == '(' && depth == 0 && p.startsWith("(?", i)) {
                i = inlineFlags(p, i, out);
                continue;
            }
            if (c == '[') {
                depth++;
            } else if (c == ']' && depth > 0) {
                depth--;
            }
            out.append(c);
        }
        return out.toString();
    }

    /**
     * Copies an inline option group {@code (?imx-imx)} or {@code (?imx-imx:} starting at {@code i}:
     * Ruby's {@code m} (dot matches newline) is Java's {@code s}. Returns the index of its last char.
     */
    private static int inlineFlags(String p, int i, StringBuilder out) {
        int j = i + 2;
        while (j < p.length() && "imx-".indexOf(p.charAt(j)) >= 0) {
            j++;
        }
        boolean optionGroup = j > i + 2 && j < p.length() && (p.charAt(j) == ')' || p.charAt(j) == ':');
        if (!optionGroup) {
            out.append('(');
            return i;
        }
        out.append("(?").append(p, i + 2, j + 1 - 1).append(p.charAt(j));
        int start = out.length() - (j - i - 2) - 1;
        for (int k = start; k < out.length() - 1; k++) {
            if (out.charAt(k) == 'm') {
                out.setCharAt(k, 's');
            }
        }
        return j;
    }

    /**
     * An Oniguruma POSIX bracket ({@code [:alpha:]} inside a class) as a Java class; the
     * definitions were measured against the Rust library over all code points (UnicodeSweepTest).
     */
    private static String posixClass(String name) {
        boolean negate = name.startsWith("^");
        String body = switch (negate ? name.substring(1) : name) {
            case "alnum" -> "\\p{IsAlphabetic}\\p{Nd}";
            case "alpha" -> "\\p{IsAlphabetic}";
            case "blank" -> "\\p{Zs}\\t";
            case "cntrl" -> "\\p{Cc}";
            case "digit" -> "\\p{Nd}";
            case "lower" -> "\\p{IsLowercase}";
            case "upper" -> "\\p{IsUppercase}";
            case "punct" -> "\\p{P}\\p{S}";
            case "space" -> "\\s";
            case "word" -> "\\w&&[^\\u200C\\u200D]"; // unlike \w, without the Latin-1 superscripts
            case "xdigit" -> "0-9a-fA-F";
            default -> null;
        };
        if (body == null) {
            return null;
        }
        return negate ? "[^" + body + "]" : "[" + body + "]";
    }

    private static String javaProperty(String name) {
        if (name.startsWith("In") || name.startsWith("Is") || name.contains("=")) {
            return name;
        }
        return "Is" + name;
    }

    @Override
    public String toString() {
        return "OnigRegex[" + source + "]";
    }
}
