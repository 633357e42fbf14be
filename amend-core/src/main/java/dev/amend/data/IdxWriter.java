package dev.amend.data;

import dev.amend.AmendException;
import dev.amend.util.AtomicFiles;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes grey data sets in the IDX format that {@link IdxReader} reads (images 0x00000803,
 * labels 0x00000801), plain or gzip-compressed, atomically. A pixel value v in [0, 1] is
 * stored as the byte round(v * 255); values outside [0, 1], images with more than one
 * channel and labels above 255 cannot be stored and raise an {@link AmendException}.
 */
public final class IdxWriter {
    private IdxWriter() {
    }

    /** Writes the images and labels of a one-channel data set. */
    public static void write(ExampleSet data, Path images, Path labels, boolean gzip) {
        if (data.channels() != 1) {
            throw new AmendException("IDX holds grey images only; the data is " + data.shapeString());
        }
        writeImages(images, data.pixels(), data.size(), data.height(), data.width(), gzip);
        writeLabels(labels, data.labels(), gzip);
    }

    /** Writes {@code count} images of height x width (row-major pixels in [0, 1]). */
    public static void writeImages(Path file, float[] pixels, int count, int height, int width, boolean gzip) {
        if ((long) count * height * width != pixels.length) {
            throw new IllegalArgumentException(pixels.length + " pixels are not " + count + " images of " + height
                    + "x" + width);
        }
        byte[] bytes = new byte[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            float v = pixels[i];
            if (!(v >= 0f && v <= 1f)) {
                throw new AmendException("cannot write " + file + ": pixel value " + v + " of image " + i / (height * width)
                        + " is outside [0, 1]");
            }
            bytes[i] = (byte) Math.round(v * 255f);
        }
        write(file, gzip, out -> {
            out.writeInt(IdxReader.IMAGES_MAGIC);
            out.writeInt(count);
            out.writeInt(height);
            out.writeInt(width);
            out.write(bytes);
        });
    }

    /** Writes labels, each in 0..255. */
    public static void writeLabels(Path file, int[] labels, boolean gzip) {
        byte[] bytes = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] > 255) {
                throw new AmendException("cannot write " + file + ": label " + labels[i] + " of row " + i
                        + " does not fit in a byte");
            }
            bytes[i] = (byte) labels[i];
        }
        write(file, gzip, out -> {
            out.writeInt(IdxReader.LABELS_MAGIC);
            out.writeInt(labels.length);
            out.write(bytes);
        });
    }

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private static void write(Path file, boolean gzip, Body body) {
        AtomicFiles.write(file, raw -> {
            OutputStream target = gzip ? new GZIPOutputStream(raw, 1 << 16) : raw;
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(target, 1 << 16));
            body.write(out);
            // flush through the gzip trailer without closing the stream AtomicFiles owns
            out.flush();
            if (target instanceof GZIPOutputStream gz) {
                gz.finish();
            }
        });
    }
}
