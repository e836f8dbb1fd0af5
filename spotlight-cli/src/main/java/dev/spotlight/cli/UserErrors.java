package dev.spotlight.cli;

import dev.spotlight.explain.ExplainException;
import dev.spotlight.models.ModelException;
import dev.spotlight.tokenizers.TokenizerException;
import dev.spotlight.view.ViewException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one line a failed command prints. Messages written for the user (the modules' exceptions,
 * and anything a Spotlight class threw with a message) pass through; the JDK's own terse ones
 * ({@code "Input length = 1"}, a bare path, {@code "Index 1 out of bounds for length 1"}) become a
 * sentence that says what went wrong. Control characters are escaped, so a NUL in a file name
 * can neither cut the line nor make the terminal (or a filter) take it for binary data.
 */
final class UserErrors {

    private UserErrors() {
    }

    static String message(Throwable error) {
        return printable(describe(unwrap(error)));
    }

    /**
     * The exception worth describing: the cause of a concurrent wrapper, and the cause of an
     * {@code UncheckedIOException} whose own message adds nothing to it ({@code "PATH: PATH"}) or
     * that the JDK wrote.
     */
    private static Throwable unwrap(Throwable e) {
        while ((e instanceof ExecutionException || e instanceof CompletionException
                || (e instanceof UncheckedIOException && (!thrownByUs(e) || e.getCause() instanceof FileSystemException
                || e.getCause() instanceof CharacterCodingException))) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static String describe(Throwable e) {
        if (e instanceof TokenizerException || e instanceof ModelException || e instanceof ExplainException
                || e instanceof ViewException) {
            return e.getMessage();
        }
        return switch (e) {
            case NoSuchFileException f -> f.getFile() + ": no such file or directory";
            case FileAlreadyExistsException f -> f.getFile() + ": already exists";
            case AccessDeniedException f -> f.getFile() + ": permission denied";
            case NotDirectoryException f -> f.getFile() + ": not a directory";
            case FileSystemException f -> f.getFile() + ": " + (f.getReason() == null ? "cannot be accessed" : f.getReason());
            case CharacterCodingException c -> "the input is not UTF-8 text";
            case InvalidPathException p -> "\"" + p.getInput() + "\" is not a valid path: " + p.getReason();
            case OutOfMemoryError o -> String.format(Locale.ROOT, "out of memory: the Java heap (%d MB) is too small for this"
                    + " input; give it more with SPOTLIGHT_JAVA_OPTS=-Xmx16g, or pass fewer or shorter texts",
                    Runtime.getRuntime().maxMemory() >> 20);
            case StackOverflowError s -> "the input nests too deeply to process (stack overflow)";
            case Throwable t when thrownByUs(t) -> t.getMessage();
            case IOException io when io.getMessage() != null -> "input/output error: " + io.getMessage();
            default -> "unexpected " + e.getClass().getSimpleName() + where(e) + "; this is a bug in spotlight: run again with"
                    + " SPOTLIGHT_DEBUG=1 and report the trace it prints";
        };
    }

    /**
     * Thrown by a Spotlight class with a message: that message was written for the user. The JVM's
     * implicit exceptions (a null dereference, an index out of bounds) are bugs even when they
     * start in our code, and their messages are not sentences.
     */
    private static boolean thrownByUs(Throwable e) {
        StackTraceElement[] trace = e.getStackTrace();
        return e.getMessage() != null && trace.length > 0 && trace[0].getClassName().startsWith("dev.spotlight.")
                && !(e instanceof NullPointerException || e instanceof IndexOutOfBoundsException
                || e instanceof ArithmeticException || e instanceof ClassCastException
                || e instanceof NegativeArraySizeException || e instanceof ArrayStoreException);
    }

    private static String where(Throwable e) {
        for (StackTraceElement frame : e.getStackTrace()) {
            if (frame.getClassName().startsWith("dev.spotlight.")) {
                String simple = frame.getClassName().substring(frame.getClassName().lastIndexOf('.') + 1);
                return " in " + simple + "." + frame.getMethodName();
            }
        }
        return "";
    }

    /** Control characters (NUL, escape, newlines) as {@code \\uXXXX}: the message stays one printable line. */
    static String printable(String s) {
        if (s == null) {
            return "unknown error";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
