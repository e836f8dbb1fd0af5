package dev.spotlight.models.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Python's str behaviour where it differs from Java's String: lengths, indices and slices count code
 * points (an emoji is one character), whitespace is what str.isspace() accepts (no-break spaces
 * included), repr() quotes and escapes as CPython does.
 */
final class PyStrings {
    private PyStrings() {
    }

    /** str.isspace() for one character: the Unicode whitespace CPython's Py_UNICODE_ISSPACE lists. */
    static boolean isSpace(int c) {
        return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680
                || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
    }

    static List<Object> codePoints(String s) {
        List<Object> out = new ArrayList<>(s.length());
        s.codePoints().forEach(c -> out.add(new String(Character.toChars(c))));
        return out;
    }

    private static boolean bmpOnly(String s) {
        return s.length() == s.codePointCount(0, s.length());
    }

    static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    /** s[index] with Python's negative indices; null when out of range. */
    static String charAt(String s, long index) {
        int n = length(s);
        long i = index < 0 ? index + n : index;
        if (i < 0 || i >= n) {
            return null;
        }
        int at = s.offsetByCodePoints(0, (int) i);
        return new String(Character.toChars(s.codePointAt(at)));
    }

    /** s[start:stop:step] by code point. */
    static String slice(String s, Slice slice) {
        if (bmpOnly(s) && slice.step() == 1) {
            int[] r = slice.indices(s.length());
            return r[0] >= r[1] ? "" : s.substring(r[0], r[1]);
        }
        int[] cps = s.codePoints().toArray();
        int[] r = slice.indices(cps.length);
        StringBuilder sb = new StringBuilder();
        for (long i = r[0]; r[2] > 0 ? i < r[1] : i > r[1]; i += r[2]) {
            sb.appendCodePoint(cps[(int) i]);
        }
        return sb.toString();
    }

    static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /** str.strip(chars): chars null means whitespace. */
    static String strip(String s, String chars) {
        return rstrip(lstrip(s, chars), chars);
    }

    static String lstrip(String s, String chars) {
        int i = 0;
        while (i < s.length()) {
            int c = s.codePointAt(i);
            if (!strippable(c, chars)) {
                break;
            }
            i += Character.charCount(c);
        }
        return s.substring(i);
    }

    static String rstrip(String s, String chars) {
        int end = s.length();
        while (end > 0) {
            int c = s.codePointBefore(end);
            if (!strippable(c, chars)) {
                break;
            }
            end -= Character.charCount(c);
        }
        return s.substring(0, end);
    }

    private static boolean strippable(int c, String chars) {
        return chars == null ? isSpace(c) : chars.codePoints().anyMatch(x -> x == c);
    }

    /** str.split(sep, maxsplit); sep null splits on runs of whitespace and drops empty parts. */
    static List<Object> split(String s, String sep, long maxsplit) {
        List<Object> out = new ArrayList<>();
        if (sep == null) {
            int i = 0;
            while (i < s.length()) {
                while (i < s.length() && isSpace(s.charAt(i))) {
                    i++;
                }
                if (i == s.length()) {
                    break;
                }
                if (maxsplit >= 0 && out.size() == maxsplit) {
                    out.add(rstrip(s.substring(i), null));
                    return out;
                }
                int j = i;
                while (j < s.length() && !isSpace(s.charAt(j))) {
                    j++;
                }
                out.add(s.substring(i, j));
                i = j;
            }
            return out;
        }
        if (sep.isEmpty()) {
            throw TemplateError.value("empty separator");
        }
        int start = 0;
        int at;
        while ((maxsplit < 0 || out.size() < maxsplit) && (at = s.indexOf(sep, start)) >= 0) {
            out.add(s.substring(start, at));
            start = at + sep.length();
        }
        out.add(s.substring(start));
        return out;
    }

    /** str.rsplit(sep, maxsplit). */
    static List<Object> rsplit(String s, String sep, long maxsplit) {
        if (maxsplit < 0) {
            return split(s, sep, -1);
        }
        String reversed = new StringBuilder(s).reverse().toString();
        List<Object> parts = split(reversed, sep == null ? null : new StringBuilder(sep).reverse().toString(), maxsplit);
        List<Object> out = new ArrayList<>();
        for (int i = parts.size() - 1; i >= 0; i--) {
            out.add(new StringBuilder((String) parts.get(i)).reverse().toString());
        }
        return out;
    }

    /** str.splitlines(): every line boundary Python knows, \r\n as one. */
    static List<String> splitlines(String s) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            boolean boundary = c == '\n' || c == '\r' || c == 0x0B || c == 0x0C || (c >= 0x1C && c <= 0x1E) || c == 0x85
                    || c == 0x2028 || c == 0x2029;
            if (boundary) {
                out.add(s.substring(start, i));
                i += c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n' ? 2 : 1;
                start = i;
            } else {
                i++;
            }
        }
        if (start < s.length()) {
            out.add(s.substring(start));
        }
        return out;
    }

    /** str.replace(old, new, count); an empty {@code old} inserts between characters as Python does. */
    static String replace(String s, String old, String replacement, long count) {
        if (count < 0) {
            count = Long.MAX_VALUE;
        }
        StringBuilder sb = new StringBuilder();
        if (old.isEmpty()) {
            List<Object> cps = codePoints(s);
            long done = 0;
            for (Object c : cps) {
                if (done++ < count) {
                    sb.append(replacement);
                }
                sb.append(c);
            }
            if (done < count) {
                sb.append(replacement);
            }
            return sb.toString();
        }
        int start = 0;
        int at;
        long done = 0;
        while (done < count && (at = s.indexOf(old, start)) >= 0) {
            sb.append(s, start, at).append(replacement);
            start = at + old.length();
            done++;
        }
        return sb.append(s.substring(start)).toString();
    }

    /** str.title(): a cased character after an uncased one is title-cased, the others lower-cased. */
    static String title(String s) {
        StringBuilder sb = new StringBuilder();
        boolean previousCased = false;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            boolean cased = Character.isUpperCase(c) || Character.isLowerCase(c) || Character.isTitleCase(c);
            sb.appendCodePoint(!cased ? c : previousCased ? Character.toLowerCase(c) : Character.toTitleCase(c));
            previousCased = cased;
        }
        return sb.toString();
    }

    /** str.capitalize(): the first character title-cased, the rest lower-cased. */
    static String capitalize(String s) {
        if (s.isEmpty()) {
            return s;
        }
        int first = s.codePointAt(0);
        return new String(Character.toChars(Character.toTitleCase(first)))
                + s.substring(Character.charCount(first)).toLowerCase(Locale.ROOT);
    }

    /** str.islower() / isupper(): at least one cased character and all cased characters of that case. */
    static boolean isCase(String s, boolean upper) {
        boolean any = false;
        for (int c : s.codePoints().toArray()) {
            if (Character.isUpperCase(c) || Character.isTitleCase(c)) {
                if (!upper) {
                    return false;
                }
                any = true;
            } else if (Character.isLowerCase(c)) {
                if (upper) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }

    /** CPython's repr(str): single quotes unless the text has ' and no ", escapes for the rest. */
    static String repr(String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder sb = new StringBuilder().append(quote);
        s.codePoints().forEach(c -> {
            if (c == quote || c == '\\') {
                sb.append('\\').appendCodePoint(c);
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c < 0x20 || c == 0x7F) {
                sb.append(String.format("\\x%02x", c));
            } else if (c < 0x7F || printable(c)) {
                sb.appendCodePoint(c);
            } else {
                escape(sb, c);
            }
        });
        return sb.append(quote).toString();
    }

    /** Python's escape of a character above 0x7F: \xhh, \\uhhhh or \Uhhhhhhhh, in lower case. */
    static void escape(StringBuilder sb, int c) {
        sb.append(c <= 0xFF ? String.format("\\x%02x", c) : c <= 0xFFFF ? String.format("\\u%04x", c) : String.format("\\U%08x", c));
    }

    /** str.isprintable() for one character: not a control, format, surrogate, private, unassigned or separator. */
    private static boolean printable(int c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
                 Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SPACE_SEPARATOR -> false;
            default -> true;
        };
    }

    /** A Python slice value, s[start:stop:step]; nulls are omitted bounds. */
    record Slice(Long start, Long stop, Long stepOrNull) {
        long step() {
            return stepOrNull == null ? 1 : stepOrNull;
        }

        /** slice.indices(length): the clamped {start, stop, step}. */
        int[] indices(int length) {
            long step = step();
            if (step == 0) {
                throw TemplateError.value("slice step cannot be zero");
            }
            long lower = step < 0 ? -1 : 0;
            long upper = step < 0 ? length - 1 : length;
            long from = start == null ? (step < 0 ? upper : lower) : clamp(start, length, lower, upper);
            long to = stop == null ? (step < 0 ? lower : upper) : clamp(stop, length, lower, upper);
            return new int[] {(int) from, (int) to, (int) Math.max(Math.min(step, Integer.MAX_VALUE), Integer.MIN_VALUE)};
        }

        private static long clamp(long i, int length, long lower, long upper) {
            if (i < 0) {
                i += length;
                return Math.max(i, lower);
            }
            return Math.min(i, upper);
        }

        <T> List<T> apply(List<T> items) {
            int[] r = indices(items.size());
            List<T> out = new ArrayList<>();
            for (long i = r[0]; r[2] > 0 ? i < r[1] : i > r[1]; i += r[2]) {
                out.add(items.get((int) i));
            }
            return out;
        }
    }
}
