package dev.amend.data;

import dev.amend.AmendException;
import dev.amend.util.FileChecks;
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
        FileChecks.requireFile(file);
    }

    static void requireFolder(Path dir) {
        FileChecks.requireFolder(dir);
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

    /**
     * The largest image side amend reads, in pixels. The paper's data are 28 or 32 pixels wide;
     * a header announcing more than this is far more likely damaged than meant.
     */
    static final int MAX_IMAGE_SIDE = 4096;

    /** Refuses image dimensions announced by a file before anything is allocated for them. */
    static void checkImageSize(String name, long height, long width) {
        if (height > MAX_IMAGE_SIDE || width > MAX_IMAGE_SIDE) {
            throw new AmendException(name + " announces images of " + height + "x" + width + " pixels; amend reads"
                    + " images of at most " + MAX_IMAGE_SIDE + "x" + MAX_IMAGE_SIDE);
        }
    }

    /**
     * Refuses to allocate {@code bytes} for {@code what} when they would not fit in half of the
     * Java heap: a one-line message now instead of running out of memory later.
     */
    static void checkHeap(String name, long bytes, String what) {
        long max = Runtime.getRuntime().maxMemory();
        if (bytes > max / 2) {
            throw new AmendException(String.format(java.util.Locale.ROOT,
                    "%s announces %s, which needs %.1f GB; the Java heap may grow to %.1f GB"
                            + " (give Java more with JAVA_TOOL_OPTIONS=-Xmx<size>, or use less data)",
                    name, what, bytes / 1e9, max / 1e9));
        }
    }

    /**
     * The classes of a training part and a test part read together: "0".."k-1" with k = 1 + the
     * largest label of either. At least half of these classes must have a training example: a
     * class number far above the others (a label 255 among digits 0..9, say) is a damaged label,
     * not a class to learn, and would silently make a 256-class problem (docs/errors.md).
     */
    static List<String> classesOfParts(int[] train, String trainName, int[] test, String testName) {
        List<String> classes = numberedClassesCovering(train, test);
        if (train.length == 0) {
            return classes; // the empty part itself is reported, by the caller
        }
        int k = classes.size();
        boolean[] seen = new boolean[k];
        int used = 0;
        for (int y : train) {
            if (!seen[y]) {
                seen[y] = true;
                used++;
            }
        }
        if (2 * used < k) {
            int max = -1;
            String where = trainName;
            int at = -1;
            for (int i = 0; i < train.length; i++) {
                if (train[i] > max) {
                    max = train[i];
                    at = i;
                }
            }
            for (int i = 0; i < test.length; i++) {
                if (test[i] > max) {
                    max = test[i];
                    where = testName;
                    at = i;
                }
            }
            throw new AmendException("the labels imply " + k + " classes (0.." + (k - 1) + ", from the largest label "
                    + max + " in row " + at + " of " + where + ") but only " + used + " of them have a training"
                    + " example; a damaged or stray label?");
        }
        return classes;
    }

    /** Class names "0".."k-1" with k = 1 + the largest label in any of the label sets. */
    static List<String> numberedClassesCovering(int[]... labelSets) {
        int max = 0;
        for (int[] labels : labelSets) {
            for (int y : labels) {
                max = Math.max(max, y);
            }
        }
        return ExampleSet.numberedClasses(max + 1);
    }
}
