package dev.amend.data;

import dev.amend.AmendException;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the IDX format of MNIST and Fashion-MNIST: an image file (big-endian magic
 * 0x00000803, count, height, width, then count*height*width unsigned bytes) and a label file
 * (magic 0x00000801, count, then count unsigned bytes). Either may be gzip-compressed; this
 * is detected from the content, not the file name.
 *
 * <p>Pixels are returned as byte / 255, in [0, 1]; example i has row i (0-based record
 * number in the file). Every malformed input (missing or truncated file, wrong magic
 * number, extra bytes, image/label count mismatch, label outside the classes) raises an
 * {@link AmendException} whose one-line message names the file.
 */
public final class IdxReader {
    public static final int IMAGES_MAGIC = 0x00000803;
    public static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {
    }

    /** The images of one IDX file: {@code count} grey images, pixels row-major in [0, 1]. */
    public record Images(int count, int height, int width, float[] pixels) {
    }

    /**
     * An image file and its label file as one data set.
     *
     * @param classNames the classes; null for "0".."k-1" with k = 1 + the largest label
     */
    public static ExampleSet read(Path images, Path labels, List<String> classNames) {
        return combine(readImages(images), images.toString(), readLabels(labels), labels.toString(), classNames);
    }

    public static Images readImages(Path file) {
        return ReaderSupport.read(file, in -> readImages(file.toString(), in));
    }

    /** Reads an IDX image file from a stream; {@code name} is used in error messages. */
    public static Images readImages(String name, InputStream raw) {
        try {
            DataInputStream in = new DataInputStream(ReaderSupport.gunzipIfNeeded(raw));
            checkMagic(in.readInt(), IMAGES_MAGIC, name, "image");
            int count = in.readInt();
            int height = in.readInt();
            int width = in.readInt();
            if (count < 0 || height <= 0 || width <= 0) {
                throw new AmendException(name + " has an impossible header: " + count + " images of " + height + "x"
                        + width);
            }
            ReaderSupport.checkImageSize(name, height, width);
            if (count == 0) {
                throw new AmendException(name + " holds no images");
            }
            long total = (long) count * height * width;
            if (total > Integer.MAX_VALUE - 8) {
                throw new AmendException(name + " announces " + count + " images of " + height + "x" + width
                        + ", more than amend can hold in one array");
            }
            // Bytes as read plus the float pixels made of them, before anything is allocated.
            ReaderSupport.checkHeap(name, total * (1 + Float.BYTES), count + " images of " + height + "x" + width);
            byte[] bytes = ReaderSupport.readExactly(in, (int) total, name, "pixels");
            requireEnd(in, name);
            float[] pixels = new float[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                pixels[i] = (bytes[i] & 0xff) / 255f;
            }
            return new Images(count, height, width, pixels);
        } catch (IOException e) {
            throw ReaderSupport.ioError(name, e);
        }
    }

    public static int[] readLabels(Path file) {
        return ReaderSupport.read(file, in -> readLabels(file.toString(), in));
    }

    /** Reads an IDX label file from a stream; {@code name} is used in error messages. */
    public static int[] readLabels(String name, InputStream raw) {
        try {
            DataInputStream in = new DataInputStream(ReaderSupport.gunzipIfNeeded(raw));
            checkMagic(in.readInt(), LABELS_MAGIC, name, "label");
            int count = in.readInt();
            if (count < 0) {
                throw new AmendException(name + " has an impossible header: " + count + " labels");
            }
            byte[] bytes = ReaderSupport.readExactly(in, count, name, "labels");
            requireEnd(in, name);
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = bytes[i] & 0xff;
            }
            return labels;
        } catch (IOException e) {
            throw ReaderSupport.ioError(name, e);
        }
    }

    /**
     * Pairs images with labels, checking that the counts agree and every label is a class.
     *
     * @param classNames the classes; null for "0".."k-1" with k = 1 + the largest label
     */
    public static ExampleSet combine(Images images, String imagesName, int[] labels, String labelsName,
            List<String> classNames) {
        if (images.count() != labels.length) {
            throw new AmendException(imagesName + " has " + images.count() + " images but " + labelsName + " has "
                    + labels.length + " labels");
        }
        List<String> classes = classNames != null ? classNames : ReaderSupport.numberedClassesCovering(labels);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= classes.size()) {
                throw new AmendException(labelsName + " row " + i + " has label " + labels[i] + ", expected 0.."
                        + (classes.size() - 1));
            }
        }
        return ExampleSet.of(images.pixels(), labels, 1, images.height(), images.width(), classes);
    }

    private static void checkMagic(int magic, int expected, String name, String kind) {
        if (magic == expected) {
            return;
        }
        String hint = magic == IMAGES_MAGIC ? " (that is an image file)"
                : magic == LABELS_MAGIC ? " (that is a label file)" : "";
        throw new AmendException(String.format("%s is not an IDX %s file: magic number 0x%08x%s, expected 0x%08x",
                name, kind, magic, hint, expected));
    }

    // Extra bytes mean the header does not describe the file, e.g. a wrong or edited header.
    private static void requireEnd(InputStream in, String name) throws IOException {
        if (in.read() != -1) {
            throw new AmendException(name + " is longer than its header says; the file is not a valid IDX file");
        }
    }
}
