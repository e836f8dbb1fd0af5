package dev.spotlight.models.chat;

import java.time.LocalDateTime;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * Python's {@code datetime.now().strftime(format)} in the C locale, for transformers' strftime_now (Llama 3.x
 * templates print today's date with it). A naive local time, so %Z and %z are empty, as in Python.
 */
final class Strftime {
    /** glibc's other conversions, modifiers and flags: real directives this class does not compute. */
    private static final String GLIBC = "cCDgGklPrRsUVWxXEO+_-0^#";

    private Strftime() {
    }

    static String format(LocalDateTime t, String format) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                sb.append(c);
                continue;
            }
            char d = format.charAt(++i);
            sb.append(switch (d) {
                case 'a' -> t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.US);
                case 'A' -> t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.US);
                case 'b', 'h' -> t.getMonth().getDisplayName(TextStyle.SHORT, Locale.US);
                case 'B' -> t.getMonth().getDisplayName(TextStyle.FULL, Locale.US);
                case 'd' -> two(t.getDayOfMonth());
                case 'e' -> String.format("%2d", t.getDayOfMonth());
                case 'H' -> two(t.getHour());
                case 'I' -> two(t.getHour() % 12 == 0 ? 12 : t.getHour() % 12);
                case 'j' -> String.format("%03d", t.getDayOfYear());
                case 'm' -> two(t.getMonthValue());
                case 'M' -> two(t.getMinute());
                case 'p' -> t.getHour() < 12 ? "AM" : "PM";
                case 'S' -> two(t.getSecond());
                case 'y' -> two(t.getYear() % 100);
                case 'Y' -> String.valueOf(t.getYear());
                case 'F' -> t.getYear() + "-" + two(t.getMonthValue()) + "-" + two(t.getDayOfMonth());
                case 'T' -> two(t.getHour()) + ":" + two(t.getMinute()) + ":" + two(t.getSecond());
                case 'u' -> String.valueOf(t.getDayOfWeek().getValue());
                case 'w' -> String.valueOf(t.getDayOfWeek().getValue() % 7);
                case 'Z', 'z' -> "";
                case 'f' -> String.format("%06d", t.getNano() / 1000);
                case 'n' -> "\n";
                case 't' -> "\t";
                case '%' -> "%";
                default -> {
                    if (GLIBC.indexOf(d) >= 0 || Character.isDigit(d)) {
                        throw TemplateError.unsupported("the strftime directive %" + d);
                    }
                    yield "%" + d;  // glibc (so Python on Linux) copies an unknown conversion as written
                }
            });
        }
        return sb.toString();
    }

    private static String two(int v) {
        return v < 10 ? "0" + v : String.valueOf(v);
    }
}
