package dev.spotlight.view;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The mark every file Spotlight writes carries (an HTML generator meta tag, an SVG comment, a PNG
 * {@code Software} text chunk), so that a later run may replace its own output but never a file
 * the user made.
 */
public final class OutputMark {
    /** In the HTML viewer's head. */
    public static final String HTML = "<meta name=\"generator\" content=\"spotlight\">";
    /** Right after the SVG's XML declaration. */
    public static final String SVG = "<!-- generator: spotlight -->";
    /** The PNG text chunk's keyword and text. */
    public static final String PNG_KEYWORD = "Software";
    public static final String PNG_TEXT = "spotlight";

    /** Where the writers put the mark: within the first bytes of the file. */
    private static final int HEAD_BYTES = 16 * 1024;
    private static final byte[][] MARKS = {
            HTML.getBytes(StandardCharsets.US_ASCII),
            SVG.getBytes(StandardCharsets.US_ASCII),
            ("tEXt" + PNG_KEYWORD + "\0" + PNG_TEXT).getBytes(StandardCharsets.US_ASCII),
    };

    private OutputMark() {
    }

    /** Whether {@code file} begins like a file Spotlight wrote. */
    public static boolean isSpotlightOutput(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(HEAD_BYTES);
        }
        for (byte[] mark : MARKS) {
            if (indexOf(head, mark) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
