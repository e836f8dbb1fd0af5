package dev.spotlight.cli;

import dev.spotlight.view.OutputMark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** The rules every command that writes a viewer or heatmap file follows. */
final class ViewerOutput {
    private ViewerOutput() {
    }

    /**
     * Running the same command again replaces its own output; a file spotlight did not write (no
     * {@link OutputMark}) is the user's, and is kept unless --force says otherwise. Checked before any
     * model loads.
     *
     * @param option the option that names the file, for the message
     */
    static void checkOverwrite(CommandLine command, Path target, boolean force, String option) {
        if (force || !Files.exists(target)) {
            return;
        }
        if (Files.isDirectory(target)) {
            throw new ParameterException(command, target + " is a directory; give " + option + " a file name");
        }
        boolean ours;
        try {
            ours = OutputMark.isSpotlightOutput(target);
        } catch (IOException e) {
            throw new ParameterException(command, target + ": cannot read it to check who wrote it ("
                    + e.getMessage() + "); pass --force to overwrite it or " + option + " to choose another file");
        }
        if (!ours) {
            throw new ParameterException(command, target + " exists and was not written by spotlight;"
                    + " pass --force to overwrite it or " + option + " to choose another file");
        }
    }

    /**
     * An option that writes the HTML viewer takes a .html or .htm name: {@code --view out.png} wrote a
     * web page into a file every program then opens as a broken image.
     */
    static void checkHtmlName(CommandLine command, Path target, String option) {
        String name = target.getFileName() == null ? "" : target.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!Files.isDirectory(target) && !name.endsWith(".html") && !name.endsWith(".htm")) {
            throw new ParameterException(command, option + " " + target + ": the viewer is an HTML page; give a file name"
                    + " ending in .html");
        }
    }

    static String size(Path file) {
        try {
            long bytes = Files.size(file);
            return bytes >= 1 << 20 ? String.format(Locale.ROOT, "%.1f MB", bytes / 1e6) : (bytes / 1024) + " KB";
        } catch (IOException e) {
            return "size unknown";
        }
    }
}
