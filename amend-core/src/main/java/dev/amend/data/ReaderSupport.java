package dev.amend.data;

import dev.amend.AmendException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** What the loaders share: opening files with one-line errors, gzip detection, class numbering. */
final class ReaderSupport {
    private static final int BUFFER = 1 << 16;

    private ReaderSupport() {
    }

    /** Reads from an input stream; I/O errors are turned into one-line messages by the caller. */
    @FunctionalInterface
    interface StreamReader<T> {
        T read(InputStream in) throws IOException;
    }

    /** Opens {@code file}, checks that it is a readable file, and hands the stream to {@code reader}. */
    static <T> T read(Path file, StreamReader<T> reader) {
        requireFile(file);
        try (InputStream in = Files.newInputStream(file)) {
            return reader.read(in);
        } catch (IOException e) {
            throw ioError(file.toString(), e);
        }
    }

    static void requireFile(Path file) {
        if (Files.isDirectory(file)) {
            throw new AmendException(file + " is a folder, expected a file");
        }
        if (!Files.isRegularFile(file)) {
            throw new AmendException("file not found: " + file);
        }
    }

    static void requireFolder(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new AmendException(Files.exists(dir) ? dir + " is a file, expected a folder" : "folder not found: " + dir);
        }
    }

    /** A one-line message for an I/O failure while reading {@code name}. */
    static AmendException ioError(String name, IOException e) {
        if (e instanceof EOFException) {
            return new AmendException(name + " is truncated: it ends before the data its header announces", e);
        }
        if (e instanceof ZipException) {
            return new AmendException(name + " is not a valid gzip file: " + e.getMessage(), e);
        }
        return new AmendException("cannot read " + name + ": " + e.getMessage(), e);
    }

    /**
     * The stream's content, decompressed if it starts with the gzip magic bytes 1f 8b. The
     * content decides, not the file name: downloads are often renamed or unpacked in place.
     */
    static InputStream gunzipIfNeeded(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            return new BufferedInputStream(new GZIPInputStream(in, BUFFER), BUFFER);
        }
        return in;
    }

    /** Reads exactly {@code n} bytes, or reports {@code name} as truncated. */
    static byte[] readExactly(InputStream in, int n, String name, String what) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) {
            throw new AmendException(name + " is truncated: expected " + n + " bytes of " + what + ", found "
                    + bytes.length);
        }
        return bytes;
    }

    /** Class names "0".."k-1" with k = 1 + the largest label in any of the label sets. */
    static List<String> numberedClassesCovering(int[]... labelSets) {
        int max = 0;
        for (int[] labels : labelSets) {
            for (int y : labels) {
                max = Math.max(max, y);
            }
        }
        return Dataset.numberedClasses(max + 1);
    }
}
