package dev.amend.data;

import dev.amend.AmendException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Reads images from comma-separated text: one example per line, the label (a class number
 * 0..{@value #MAX_CLASSES}-1) first, then the pixel values.
 *
 * <ul>
 *   <li>Header: the first non-blank line is a header, and skipped, if one of its fields is
 *       not a number. A first line with a NaN is data (and an error), not a header.</li>
 *   <li>Shape: with P pixel values per line, the images are grey side x side if P = side^2,
 *       else RGB 3 x side x side if P = 3 * side^2, the values ordered as three planes (all
 *       red, then all green, then all blue, each row-major) like CIFAR-10. Since 3 * side^2
 *       is never a square, the rule is unambiguous. Any other P is an error.</li>
 *   <li>Scale: if the largest pixel value in the data read together (both files for a
 *       train/test pair) is above 1, all values are taken as 0..255 and divided by 255;
 *       otherwise they are taken as already in [0, 1]. Negative values, values above 255,
 *       NaN and infinities are errors.</li>
 *   <li>Classes: "0".."k-1" with k = 1 + the largest label in the data read together.</li>
 *   <li>Rows: row r is the r-th data line (0-based; header and blank lines not counted).
 *       Error messages name the 1-based line number in the file.</li>
 * </ul>
 */
public final class CsvReader {
    public static final int MAX_CLASSES = 1000;

    private CsvReader() {
    }

    /** A training file and a test file, read with one scale and one set of classes. */
    public static LoadedData read(Path train, Path test) {
        Parsed a = parse(train);
        Parsed b = parse(test);
        if (a.pixelsPerRow != b.pixelsPerRow) {
            throw new AmendException(test + " has " + b.pixelsPerRow + " pixel values per line but " + train + " has "
                    + a.pixelsPerRow);
        }
        boolean bytes = Math.max(a.max, b.max) > 1f;
        List<String> classes = ReaderSupport.classesOfParts(Arrays.copyOf(a.labels, a.count), train.toString(),
                Arrays.copyOf(b.labels, b.count), test.toString());
        return new LoadedData("csv:" + train + "," + test, a.toDataset(bytes, classes), b.toDataset(bytes, classes),
                LoadedData.CUSTOM);
    }

    /** One file on its own: scale and classes are decided from this file alone. */
    public static Dataset read(Path file) {
        Parsed p = parse(file);
        return p.toDataset(p.max > 1f, ReaderSupport.numberedClassesCovering(p.labels));
    }

    private static Parsed parse(Path file) {
        return ReaderSupport.read(file, in -> {
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
            return parse(file.toString(), reader);
        });
    }

    private static Parsed parse(String name, BufferedReader reader) throws IOException {
        Parsed p = new Parsed(name);
        boolean first = true;
        int lineNumber = 0;
        String line;
        while ((line = reader.readLine()) != null) {
            lineNumber++;
            if (first && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split(",", -1);
            if (first) {
                first = false;
                if (isHeader(fields)) {
                    continue;
                }
            }
            p.add(fields, lineNumber);
        }
        if (p.count == 0) {
            throw new AmendException(name + " has no data lines");
        }
        return p;
    }

    private static boolean isHeader(String[] fields) {
        for (String field : fields) {
            try {
                Float.parseFloat(field);
            } catch (NumberFormatException e) {
                return true;
            }
        }
        return false;
    }

    /** The numbers of one file before the scale is decided (it may depend on the other file). */
    private static final class Parsed {
        final String name;
        float[] values = new float[1 << 16];
        int[] labels = new int[1 << 10];
        int count;
        int pixelsPerRow = -1;
        float max;

        Parsed(String name) {
            this.name = name;
        }

        void add(String[] fields, int line) {
            int p = fields.length - 1;
            if (pixelsPerRow < 0) {
                if (p < 1) {
                    throw new AmendException(name + " line " + line + " has no pixel values after the label");
                }
                pixelsPerRow = p;
            } else if (p != pixelsPerRow) {
                throw new AmendException(name + " line " + line + " has " + p + " pixel values, earlier lines have "
                        + pixelsPerRow);
            }
            if (count == labels.length) {
                labels = Arrays.copyOf(labels, 2 * count);
            }
            labels[count] = label(fields[0], line);
            int offset = count * pixelsPerRow;
            if (offset + pixelsPerRow > values.length) {
                long grown = Math.max(2L * values.length, (long) offset + pixelsPerRow);
                if (grown > Integer.MAX_VALUE - 8) {
                    throw new AmendException(name + " holds more pixel values than amend can hold in one array");
                }
                values = Arrays.copyOf(values, (int) grown);
            }
            for (int k = 0; k < pixelsPerRow; k++) {
                float v = number(fields[k + 1], line, k + 2);
                if (v < 0f || v > 255f) {
                    throw new AmendException(name + " line " + line + " column " + (k + 2) + ": pixel value " + v
                            + " is outside 0..255");
                }
                values[offset + k] = v;
                max = Math.max(max, v);
            }
            count++;
        }

        private int label(String field, int line) {
            float v = number(field, line, 1);
            if (v != Math.rint(v) || v < 0 || v >= MAX_CLASSES) {
                throw new AmendException(name + " line " + line + ": label " + field.strip()
                        + " is not a class number 0.." + (MAX_CLASSES - 1));
            }
            return (int) v;
        }

        private float number(String field, int line, int column) {
            float v;
            try {
                v = Float.parseFloat(field);
            } catch (NumberFormatException e) {
                throw new AmendException(name + " line " + line + " column " + column + ": '" + field.strip()
                        + "' is not a number");
            }
            if (!Float.isFinite(v)) {
                throw new AmendException(name + " line " + line + " column " + column + ": " + field.strip()
                        + " is not a finite number");
            }
            return v;
        }

        Dataset toDataset(boolean bytes, List<String> classes) {
            int channels;
            int side = (int) Math.round(Math.sqrt(pixelsPerRow));
            if (side * side == pixelsPerRow) {
                channels = 1;
            } else {
                side = (int) Math.round(Math.sqrt(pixelsPerRow / 3.0));
                if (pixelsPerRow % 3 != 0 || 3 * side * side != pixelsPerRow) {
                    throw new AmendException(name + " has " + pixelsPerRow + " pixel values per line, which is neither"
                            + " side*side (grey) nor 3*side*side (RGB planes)");
                }
                channels = 3;
            }
            float[] pixels = Arrays.copyOf(values, count * pixelsPerRow);
            if (bytes) {
                for (int i = 0; i < pixels.length; i++) {
                    pixels[i] /= 255f;
                }
            }
            return Dataset.of(pixels, Arrays.copyOf(labels, count), channels, side, side, classes);
        }
    }
}
