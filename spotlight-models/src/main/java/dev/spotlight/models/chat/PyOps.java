package dev.spotlight.models.chat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Python's arithmetic operators as jinja2 evaluates them: / is true division, // and % floor, bool counts
 * as int, + joins strings and lists but never a string and a number. Python ints are unbounded; these
 * are 64-bit and a result that does not fit is an error, never a wrapped number. Strings and lists made
 * by * are bounded so a template cannot exhaust memory.
 */
final class PyOps {
    /** The longest string or list a template may build, in characters or items. */
    static final int MAX_SIZE = 16 << 20;

    private PyOps() {
    }

    static Object binary(String op, Object a, Object b) {
        if (a instanceof Undefined u) {
            throw u.fail();
        }
        if (b instanceof Undefined u) {
            throw u.fail();
        }
        return switch (op) {
            case "+" -> add(a, b);
            case "-" -> numeric(op, a, b);
            case "*" -> multiply(a, b);
            case "/" -> {
                requireNumbers(op, a, b);
                double d = PyValues.toDouble(b);
                if (d == 0) {
                    throw new TemplateError("ZeroDivisionError", "division by zero");
                }
                yield PyValues.toDouble(a) / d;
            }
            case "%" -> {
                if (a instanceof String) {
                    throw TemplateError.unsupported("printf-style string formatting with %");
                }
                yield numeric(op, a, b);
            }
            case "//", "**" -> numeric(op, a, b);
            default -> throw new IllegalStateException(op);
        };
    }

    private static Object add(Object a, Object b) {
        if (a instanceof String s && b instanceof String t) {
            return checked(s.length() + (long) t.length(), s + t);
        }
        if (a instanceof List<?> l && b instanceof List<?> m) {
            List<Object> out = new ArrayList<>(l);
            out.addAll(m);
            return out;
        }
        if (a instanceof PyTuple l && b instanceof PyTuple m) {
            List<Object> out = new ArrayList<>(l.items());
            out.addAll(m.items());
            return new PyTuple(out);
        }
        return numeric("+", a, b);
    }

    private static Object multiply(Object a, Object b) {
        if ((a instanceof String || a instanceof List<?>) && PyValues.isInteger(b)) {
            return repeat(a, PyValues.toLong(b));
        }
        if ((b instanceof String || b instanceof List<?>) && PyValues.isInteger(a)) {
            return repeat(b, PyValues.toLong(a));
        }
        return numeric("*", a, b);
    }

    private static Object repeat(Object seq, long times) {
        long n = Math.max(0, times);
        if (seq instanceof String s) {
            return checked(s.length() * n, s.repeat((int) Math.min(n, Integer.MAX_VALUE)));
        }
        List<?> l = (List<?>) seq;
        checked(l.size() * n, null);
        List<Object> out = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            out.addAll(l);
        }
        return out;
    }

    private static <T> T checked(long size, T value) {
        if (size > MAX_SIZE) {
            throw new TemplateError("MemoryError", "the template builds a value of " + size + " characters or items, more than "
                    + MAX_SIZE + " allowed");
        }
        return value;
    }

    private static void requireNumbers(String op, Object a, Object b) {
        if (!PyValues.isNumber(a) || !PyValues.isNumber(b)) {
            throw TemplateError.type("unsupported operand type(s) for " + op + ": '" + PyValues.typeName(a) + "' and '"
                    + PyValues.typeName(b) + "'");
        }
    }

    private static Object numeric(String op, Object a, Object b) {
        requireNumbers(op, a, b);
        if (a instanceof Double || b instanceof Double) {
            return floats(op, PyValues.toDouble(a), PyValues.toDouble(b));
        }
        long x = PyValues.toLong(a);
        long y = PyValues.toLong(b);
        try {
            return switch (op) {
                case "+" -> Math.addExact(x, y);
                case "-" -> Math.subtractExact(x, y);
                case "*" -> Math.multiplyExact(x, y);
                case "//" -> {
                    zero(y);
                    yield x == Long.MIN_VALUE && y == -1 ? Math.negateExact(x) : Math.floorDiv(x, y);
                }
                case "%" -> {
                    zero(y);
                    yield Math.floorMod(x, y);
                }
                case "**" -> {
                    if (y < 0) {
                        if (x == 0) {
                            throw new TemplateError("ZeroDivisionError", "0.0 cannot be raised to a negative power");
                        }
                        yield Math.pow(x, y);
                    }
                    BigInteger r = BigInteger.valueOf(x).pow((int) Math.min(y, 4096));
                    if (y > 4096 && Math.abs(x) > 1 || r.bitLength() > 63) {
                        throw new ArithmeticException();
                    }
                    yield r.longValueExact();
                }
                default -> throw new IllegalStateException(op);
            };
        } catch (ArithmeticException e) {
            throw new TemplateError("OverflowError", "integer result of " + x + " " + op + " " + y + " does not fit in 64 bits");
        }
    }

    private static void zero(long y) {
        if (y == 0) {
            throw new TemplateError("ZeroDivisionError", "integer division or modulo by zero");
        }
    }

    private static double floats(String op, double x, double y) {
        return switch (op) {
            case "+" -> x + y;
            case "-" -> x - y;
            case "*" -> x * y;
            case "//" -> {
                if (y == 0) {
                    throw new TemplateError("ZeroDivisionError", "float floor division by zero");
                }
                yield Math.floor(x / y);
            }
            case "%" -> {
                if (y == 0) {
                    throw new TemplateError("ZeroDivisionError", "float modulo");
                }
                double r = x % y;  // Python's result takes the divisor's sign
                yield r != 0 && (r < 0) != (y < 0) ? r + y : r == 0 ? Math.copySign(0.0, y) : r;
            }
            case "**" -> {
                if (x == 0 && y < 0) {
                    throw new TemplateError("ZeroDivisionError", "0.0 cannot be raised to a negative power");
                }
                if (x < 0 && y != Math.rint(y)) {
                    throw TemplateError.unsupported("a negative number to a fractional power (a complex number in Python)");
                }
                double r = Math.pow(x, y);
                if (Double.isInfinite(r) && !Double.isInfinite(x) && !Double.isInfinite(y)) {
                    throw new TemplateError("OverflowError", "(34, 'Numerical result out of range')");
                }
                yield r;
            }
            default -> throw new IllegalStateException(op);
        };
    }

    static Object negate(Object v) {
        return switch (v) {
            case null -> throw TemplateError.type("bad operand type for unary -: 'NoneType'");
            case Double d -> -d;
            case Long l when l != Long.MIN_VALUE -> -l;
            case Boolean b -> b ? -1L : 0L;
            case Undefined u -> throw u.fail();
            default -> throw TemplateError.type("bad operand type for unary -: '" + PyValues.typeName(v) + "'");
        };
    }

    static Object plus(Object v) {
        return switch (v) {
            case null -> throw TemplateError.type("bad operand type for unary +: 'NoneType'");
            case Double d -> d;
            case Long l -> l;
            case Boolean b -> b ? 1L : 0L;
            case Undefined u -> throw u.fail();
            default -> throw TemplateError.type("bad operand type for unary +: '" + PyValues.typeName(v) + "'");
        };
    }
}
