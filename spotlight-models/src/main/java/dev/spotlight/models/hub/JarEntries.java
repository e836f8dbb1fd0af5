package dev.spotlight.models.hub;

import dev.spotlight.models.ModelFormatException;
import dev.spotlight.models.weights.OnnxWeights;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads model files out of jars. The ONNX files are deflated inside the jars (90–133 MB), so they
 * cannot be mapped in place. Each is inflated once into a cache file
 * ({@code ~/.cache/spotlight/onnx/<stem>-<crc32>-<size>.onnx}, keyed by the entry's CRC-32 and
 * size from the zip directory, so a new jar version gets a new file and nothing has to hash 90 MB)
 * and memory-mapped from there: later loads cost a map instead of ~0.5 s of inflating, and the
 * weights stay off the Java heap. The inflated bytes' CRC is checked against the jar's before the
 * file is moved into place, and again on every load (CRC-32 runs at several GB/s, ~20 ms here),
 * so a damaged cache file is re-inflated rather than trusted. When the cache folder cannot be
 * written, the entry is inflated into a heap array instead.
 */
final class JarEntries {
    private JarEntries() {
    }

    /** {@code SPOTLIGHT_CACHE} or {@code spotlight.cache} overrides {@code ~/.cache/spotlight}. */
    static Path cacheRoot() {
        String configured = System.getProperty("spotlight.cache", System.getenv("SPOTLIGHT_CACHE"));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "spotlight");
    }

    static OnnxWeights onnx(ZipFile jar, ZipEntry entry, String jarName) {
        String source = jarName + "!/" + entry.getName();
        String stem = entry.getName().replaceAll(".*/", "").replaceAll("\\.onnx$", "");
        String key = stem + "-" + HexFormat.of().toHexDigits((int) entry.getCrc()) + "-" + entry.getSize() + ".onnx";
        Path cached = cacheRoot().resolve("onnx").resolve(key);
        try {
            if (!intact(cached, entry)) {
                inflate(jar, entry, cached, source);
            }
            return OnnxWeights.open(cached);
        } catch (IOException | UncheckedIOException e) {
            // Read-only home or full disk: fall back to the heap rather than fail.
            return OnnxWeights.read(bytes(jar, entry, source, Integer.MAX_VALUE - 8), source);
        }
    }

    static byte[] bytes(ZipFile jar, ZipEntry entry, String source, long limit) {
        if (entry.getSize() > limit) {
            throw new ModelFormatException(source + ": entry is " + entry.getSize() + " bytes, more than the " + limit + " expected");
        }
        try (InputStream in = jar.getInputStream(entry)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ModelFormatException(source + ": cannot read from the jar: " + e.getMessage(), e);
        }
    }

    private static boolean intact(Path cached, ZipEntry entry) throws IOException {
        if (!Files.isRegularFile(cached) || Files.size(cached) != entry.getSize()) {
            return false;
        }
        CRC32 crc = new CRC32();
        // A confined arena unmaps the file as soon as the check is done, not whenever GC gets to it.
        try (FileChannel ch = FileChannel.open(cached, StandardOpenOption.READ); Arena arena = Arena.ofConfined()) {
            MemorySegment file = ch.map(FileChannel.MapMode.READ_ONLY, 0, entry.getSize(), arena);
            for (long at = 0; at < entry.getSize(); at += Integer.MAX_VALUE) {
                crc.update(file.asSlice(at, Math.min(Integer.MAX_VALUE, entry.getSize() - at)).asByteBuffer());
            }
        }
        return crc.getValue() == entry.getCrc();
    }

    private static void inflate(ZipFile jar, ZipEntry entry, Path target, String source) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".partial");
        try {
            CRC32 crc = new CRC32();
            try (InputStream in = jar.getInputStream(entry);
                 OutputStream out = new CheckedOutputStream(Files.newOutputStream(tmp), crc)) {
                in.transferTo(out);
            }
            if (crc.getValue() != entry.getCrc()) {
                throw new ModelFormatException(source + ": inflated CRC-32 " + Long.toHexString(crc.getValue())
                        + " differs from the jar's " + Long.toHexString(entry.getCrc()) + " (corrupt jar)");
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
