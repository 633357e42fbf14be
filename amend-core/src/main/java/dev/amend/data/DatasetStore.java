package dev.amend.data;

import dev.amend.AmendException;
import dev.amend.util.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * Saves a {@link ExampleSet} losslessly (pixels as float32 bits, labels, source rows, shape and
 * class names) in one gzip-compressed file, and loads it back. Runs store their corrupted
 * training data this way: input noise and poisoning change pixels, and poisoning depends on
 * trained victim models, so the corruption cannot be cheaply re-derived from the user's files.
 *
 * <p>Layout inside the gzip stream, big-endian: the magic bytes {@code AMENDDS1}, an int
 * format version ({@value #VERSION}), ints N, C, H, W and K, K class names (Java modified
 * UTF-8, {@link DataOutputStream#writeUTF}), N int labels, N int rows, N*C*H*W float pixels,
 * then the magic again, which proves the file was not cut short.
 */
public final class DatasetStore {
    static final byte[] MAGIC = {'A', 'M', 'E', 'N', 'D', 'D', 'S', '1'};
    static final int VERSION = 1;
    private static final int CHUNK = 1 << 16;

    private DatasetStore() {
    }

    /** Writes {@code data} to {@code file} atomically. */
    public static void save(ExampleSet data, Path file) {
        AtomicFiles.write(file, out -> write(data, out));
    }

    /** Reads a file written by {@link #save}; a missing, foreign or damaged file is a one-line {@link AmendException}. */
    public static ExampleSet load(Path file) {
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(file)), CHUNK)) {
            return read(new DataInputStream(in), file);
        } catch (NoSuchFileException e) {
            throw new AmendException("no such file: " + file, e);
        } catch (EOFException e) {
            throw new AmendException(file + " is truncated", e);
        } catch (ZipException e) {
            throw new AmendException(file + " is not an amend data file (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new AmendException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void write(ExampleSet data, OutputStream target) throws IOException {
        // Level 1: pixels of noisy images hardly compress, and level 6 would triple the write time for a few percent.
        GZIPOutputStream gzip = new GZIPOutputStream(target, CHUNK) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        };
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(gzip, CHUNK));
        out.write(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(data.size());
        out.writeInt(data.channels());
        out.writeInt(data.height());
        out.writeInt(data.width());
        out.writeInt(data.numClasses());
        for (String name : data.classNames()) {
            out.writeUTF(name);
        }
        for (int i = 0; i < data.size(); i++) {
            out.writeInt(data.label(i));
        }
        for (int i = 0; i < data.size(); i++) {
            out.writeInt(data.row(i));
        }
        float[] pixels = data.pixels();
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK * Float.BYTES);
        for (int from = 0; from < pixels.length; from += CHUNK) {
            int n = Math.min(CHUNK, pixels.length - from);
            buffer.clear();
            buffer.asFloatBuffer().put(pixels, from, n);
            out.write(buffer.array(), 0, n * Float.BYTES);
        }
        out.write(MAGIC);
        out.flush();
        gzip.finish();
    }

    private static ExampleSet read(DataInputStream in, Path file) throws IOException {
        checkMagic(in, file, "does not start with");
        int version = in.readInt();
        if (version != VERSION) {
            throw new AmendException(file + " is an amend data file of format " + version + "; this amend reads format "
                    + VERSION);
        }
        int n = in.readInt();
        int c = in.readInt();
        int h = in.readInt();
        int w = in.readInt();
        int k = in.readInt();
        long values = (long) n * c * h * w;
        if (n < 0 || c <= 0 || h <= 0 || w <= 0 || k <= 0 || values > Integer.MAX_VALUE) {
            throw new AmendException(file + " has an impossible header: " + n + " images of " + c + "x" + h + "x" + w
                    + ", " + k + " classes");
        }
        List<String> classes = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            classes.add(in.readUTF());
        }
        int[] labels = readInts(in, n);
        int[] rows = readInts(in, n);
        float[] pixels = new float[(int) values];
        byte[] bytes = new byte[CHUNK * Float.BYTES];
        for (int from = 0; from < pixels.length; from += CHUNK) {
            int m = Math.min(CHUNK, pixels.length - from);
            in.readFully(bytes, 0, m * Float.BYTES);
            ByteBuffer.wrap(bytes, 0, m * Float.BYTES).asFloatBuffer().get(pixels, from, m);
        }
        checkMagic(in, file, "does not end with");
        if (in.read() != -1) {
            throw new AmendException(file + " has bytes after its end marker; it is not an amend data file");
        }
        return new ExampleSet(pixels, labels, rows, c, h, w, classes);
    }

    private static int[] readInts(DataInputStream in, int n) throws IOException {
        int[] values = new int[n];
        for (int i = 0; i < n; i++) {
            values[i] = in.readInt();
        }
        return values;
    }

    private static void checkMagic(DataInputStream in, Path file, String where) throws IOException {
        byte[] magic = new byte[MAGIC.length];
        in.readFully(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new AmendException(file + " " + where + " the marker of an amend data file");
        }
    }
}
