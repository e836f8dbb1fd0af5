package dev.spotlight.models.chat;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Python's float text: repr() and float() parsing, which tojson and {{ }} both use. */
final class PyFloat {
    private PyFloat() {
    }

    /**
     * CPython's repr(float): the shortest digits that round-trip (Java's Double.toString gives the same
     * shortest digits since JDK 19), laid out as {@code float_repr_style = 'short'} does: fixed notation
     * when the decimal exponent is in [-4, 16), else {@code d.ddde±XX}.
     */
    static String repr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0.0" : "0.0";
        }
        BigDecimal exact = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        if (exact.precision() == 2) {
            // Java prints at least two digits (4.9E-324) where one may already round-trip (Python: 5e-324)
            BigDecimal one = new BigDecimal(Math.abs(d)).round(new java.math.MathContext(1, RoundingMode.HALF_EVEN));
            if (Double.parseDouble(one.toString()) == Math.abs(d)) {
                exact = one.stripTrailingZeros();
            }
        }
        String digits = exact.unscaledValue().toString();
        int decpt = digits.length() - exact.scale();  // value = 0.<digits> × 10^decpt
        String sign = d < 0 ? "-" : "";
        if (decpt <= -4 || decpt > 16) {
            int exp = decpt - 1;
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
        }
        if (decpt <= 0) {
            return sign + "0." + "0".repeat(-decpt) + digits;
        }
        if (decpt >= digits.length()) {
            return sign + digits + "0".repeat(decpt - digits.length()) + ".0";
        }
        return sign + digits.substring(0, decpt) + "." + digits.substring(decpt);
    }

    /** Python's round(x, ndigits) for floats: the exact binary value rounded half to even. */
    static double round(double x, long ndigits) {
        if (Double.isNaN(x) || Double.isInfinite(x) || ndigits > 308) {
            return x;
        }
        if (ndigits < -308) {
            return 0.0 * Math.signum(x);
        }
        return new BigDecimal(x).setScale((int) ndigits, RoundingMode.HALF_EVEN).doubleValue();
    }

    /** Python's float(str): surrounding whitespace, underscores between digits, inf and nan; else null. */
    static Double parse(String text) {
        String s = PyStrings.strip(text, null).replace("_", "");
        if (s.matches("[+-]?(inf|infinity|nan)") || s.matches("(?i)[+-]?(inf|infinity|nan)")) {
            String l = s.toLowerCase(java.util.Locale.ROOT);
            return l.contains("nan") ? Double.NaN : l.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (!s.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?") || text.contains("__")) {
            return null;
        }
        return Double.parseDouble(s);
    }
}
