package dev.spotlight.view;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Writes one output file (a viewer, a heatmap, embeddings): its missing directories first, and every failure in words. */
public final class OutputFiles {

    /** Writes the file at the path it is given. */
    @FunctionalInterface
    public interface Writer {
        void write(Path out) throws IOException;
    }

    private OutputFiles() {
    }

    /**
     * Creates {@code out}'s missing parent directories, then runs {@code writer}.
     *
     * @param what what the file is, for messages ("PNG", "the HTML viewer")
     * @throws ViewException "out: cannot write what: reason", naming the path at fault
     */
    public static void write(Path out, String what, Writer writer) {
        Path parent = out.toAbsolutePath().getParent();
        // the nearest existing ancestor must be a directory; createDirectories only says "Not a directory"
        for (Path p = parent; p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    throw new ViewException(out + ": cannot write " + what + ": " + p + " is a file, not a directory");
                }
                break;
            }
        }
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
            writer.write(out);
        } catch (IOException e) {
            String reason = switch (e) {
                case AccessDeniedException a -> "permission denied on " + a.getFile();
                case NoSuchFileException n -> "no such file or directory: " + n.getFile();
                case FileSystemException f when f.getReason() != null -> f.getFile() + ": " + f.getReason();
                default -> e.getMessage();
            };
            throw new ViewException(out + ": cannot write " + what + ": " + reason, e);
        }
    }
}
