package dev.amend.data;

import dev.amend.AmendException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads labelled examples from comma-separated text: one example per line, a label (a class
 * number 0..{@value #MAX_CLASSES}-1) and the values of the example.
 *
 * <ul>
 *   <li>Header: the first non-blank line is a header, and skipped, if one of its fields is
 *       not a number. A first line with a NaN is data (and an error), not a header.</li>
 *   <li>Label column: the header's column named {@code label} (in any case), else the first
 *       column. Every other column is a value of the example, in file order.</li>
 *   <li>Layout ({@link Layout}), given as an option of the data spec:
 *     <ul>
 *       <li>none (square images): with P values per line, the images are grey side x side if
 *           P = side^2, else RGB 3 x side x side if P = 3 * side^2, the values ordered as three
 *           planes (all red, then all green, then all blue, each row-major) like CIFAR-10.
 *           Since 3 * side^2 is never a square, the rule is unambiguous. Any other P is an
 *           error.</li>
 *       <li>{@code shape=CxHxW} (or {@code shape=HxW} for one channel): images of any size
 *           and channel count, C planes of H rows of W values; P must be C * H * W.</li>
 *       <li>{@code features}: feature vectors (tabular rows). P features become a P x 1 x 1
 *           example, one channel per feature, so that the per-channel mean amend subtracts
 *           before a model (docs/methods.md 4.1) centres each feature on its own, and {@code mlp}
 *           and {@code logreg} see the P features in file order. Values are taken as they are:
 *           any finite number, no scaling. At most {@value #MAX_FEATURES} features.</li>
 *     </ul></li>
 *   <li>Scale of images: if the largest pixel value in the data read together (both files for
 *       a train/test pair) is above 1, all values are taken as 0..255 and divided by 255;
 *       otherwise they are taken as already in [0, 1]. Negative values and values above 255
 *       are errors. NaN and infinities are errors in every layout.</li>
 *   <li>Classes: "0".."k-1" with k = 1 + the largest label in the data read together.</li>
 *   <li>Rows: row r is the r-th data line (0-based; header and blank lines not counted).
 *       Error messages name the 1-based line number in the file.</li>
 * </ul>
 */
public final class CsvReader {
    public static final int MAX_CLASSES = 1000;
    /** The most features a line may hold in the {@code features} layout. */
    public static final int MAX_FEATURES = 65536;
    /** The most channels of a declared image shape. */
    public static final int MAX_CHANNELS = 64;

    private CsvReader() {
    }

    /**
     * How the values after the label form an example.
     *
     * @param kind square images (the shape follows from the count), images of a declared shape,
     *     or feature vectors
     * @param channels C of a declared shape (0 otherwise)
     * @param height H of a declared shape (0 otherwise)
     * @param width W of a declared shape (0 otherwise)
     */
    public record Layout(Kind kind, int channels, int height, int width) {
        /** The three layouts. */
        public enum Kind {
            SQUARE_IMAGES, IMAGES, FEATURES
        }

        /** Square grey or RGB images, the shape following from the number of values. */
        public static final Layout SQUARE = new Layout(Kind.SQUARE_IMAGES, 0, 0, 0);
        /** Feature vectors: P values become a P x 1 x 1 example. */
        public static final Layout FEATURES = new Layout(Kind.FEATURES, 0, 0, 0);
        static final String FEATURES_OPTION = "features";
        static final String SHAPE_OPTION = "shape=";

        public Layout {
            if (kind == Kind.IMAGES && (channels < 1 || channels > MAX_CHANNELS || height < 1 || width < 1
                    || height > ReaderSupport.MAX_IMAGE_SIDE || width > ReaderSupport.MAX_IMAGE_SIDE)) {
                throw new AmendException("the image shape " + channels + "x" + height + "x" + width + " is impossible"
                        + " (1.." + MAX_CHANNELS + " channels of at most " + ReaderSupport.MAX_IMAGE_SIDE + "x"
                        + ReaderSupport.MAX_IMAGE_SIDE + " pixels)");
            }
        }

        /** Images of a declared shape, C x H x W. */
        public static Layout shape(int channels, int height, int width) {
            return new Layout(Kind.IMAGES, channels, height, width);
        }

        /**
         * Parses an option of a csv data spec: {@code shape=CxHxW}, {@code shape=HxW} (one
         * channel) or {@code features}.
         */
        public static Layout parse(String option) {
            String o = option.strip().toLowerCase(Locale.ROOT);
            if (o.equals(FEATURES_OPTION)) {
                return FEATURES;
            }
            if (o.startsWith(SHAPE_OPTION)) {
                String[] parts = o.substring(SHAPE_OPTION.length()).split("x", -1);
                if (parts.length == 2 || parts.length == 3) {
                    try {
                        int[] n = Arrays.stream(parts).mapToInt(t -> Integer.parseInt(t.strip())).toArray();
                        return n.length == 2 ? shape(1, n[0], n[1]) : shape(n[0], n[1], n[2]);
                    } catch (NumberFormatException e) {
                        // reported below
                    }
                }
                throw new AmendException("csv option '" + option.strip() + "' is not a shape: use shape=CxHxW"
                        + " (channels x height x width, e.g. shape=3x32x32) or shape=HxW for grey images");
            }
            throw new AmendException("unknown csv option '" + option.strip() + "'; valid: shape=CxHxW, shape=HxW,"
                    + " features");
        }

        /** The option text that {@link #parse} reads back, or null for {@link #SQUARE}. */
        public String option() {
            return switch (kind) {
                case SQUARE_IMAGES -> null;
                case IMAGES -> SHAPE_OPTION + channels + "x" + height + "x" + width;
                case FEATURES -> FEATURES_OPTION;
            };
        }

        boolean images() {
            return kind != Kind.FEATURES;
        }
    }

    /** A training file and a test file of square images, read with one scale and one set of classes. */
    public static LoadedData read(Path train, Path test) {
        return read(train, test, Layout.SQUARE);
    }

    /** A training file and a test file, read with one layout, one scale and one set of classes. */
    public static LoadedData read(Path train, Path test, Layout layout) {
        Parsed a = parse(train, layout);
        Parsed b = parse(test, layout);
        if (a.pixelsPerRow != b.pixelsPerRow) {
            throw new AmendException(test + " has " + b.pixelsPerRow + (layout.images() ? " pixel values" : " features")
                    + " per line but " + train + " has " + a.pixelsPerRow);
        }
        boolean bytes = Math.max(a.max, b.max) > 1f;
        List<String> classes = ReaderSupport.classesOfParts(Arrays.copyOf(a.labels, a.count), train.toString(),
                Arrays.copyOf(b.labels, b.count), test.toString());
        String option = layout.option();
        if (classes.size() < 2) {
            throw new AmendException("csv:" + train + "," + test + ": every label is 0, so the data have one class;"
                    + " a classifier needs at least 2. " + a.labelColumnText() + " (docs/data.md, \"CSV\")");
        }
        return new LoadedData("csv:" + train + "," + test + (option == null ? "" : "," + option),
                a.toDataset(bytes, classes), b.toDataset(bytes, classes), LoadedData.CUSTOM);
    }

    /** One file of square images on its own: scale and classes are decided from this file alone. */
    public static ExampleSet read(Path file) {
        return read(file, Layout.SQUARE);
    }

    /** One file on its own: scale and classes are decided from this file alone. */
    public static ExampleSet read(Path file, Layout layout) {
        Parsed p = parse(file, layout);
        return p.toDataset(p.max > 1f, ReaderSupport.numberedClassesCovering(Arrays.copyOf(p.labels, p.count)));
    }

    private static Parsed parse(Path file, Layout layout) {
        return ReaderSupport.read(file, in -> {
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
            return parse(file.toString(), reader, layout);
        });
    }

    private static Parsed parse(String name, BufferedReader reader, Layout layout) throws IOException {
        Parsed p = new Parsed(name, layout);
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
                    p.labelColumn = labelColumn(fields);
                    p.header = fields;
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

    // The header's column named "label", else the first.
    private static int labelColumn(String[] header) {
        for (int c = 0; c < header.length; c++) {
            if (columnName(header[c]).equalsIgnoreCase("label")) {
                return c;
            }
        }
        return 0;
    }

    private static String columnName(String field) {
        String name = field.strip();
        if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
            name = name.substring(1, name.length() - 1).strip();
        }
        return name;
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
        final Layout layout;
        int labelColumn;
        /** The header's fields, or null when the file has none. */
        String[] header;
        float[] values = new float[1 << 16];
        int[] labels = new int[1 << 10];
        int count;
        int pixelsPerRow = -1;
        float max;

        Parsed(String name, Layout layout) {
            this.name = name;
            this.layout = layout;
        }

        /** Which column of this file was read as the label, and why: for messages about the labels. */
        String labelColumnText() {
            if (header == null) {
                return "The label is the first column of " + name + ", which has no header";
            }
            String column = columnName(header[labelColumn]);
            if (column.equalsIgnoreCase("label")) {
                return "The label is the column '" + column + "' of " + name;
            }
            return "The label is the first column of " + name + ", '" + column + "', since its header has no column"
                    + " named 'label': name the label column 'label'";
        }

        void add(String[] fields, int line) {
            String what = layout.images() ? "pixel values" : "features";
            int p = fields.length - 1;
            if (labelColumn >= fields.length) {
                throw new AmendException(name + " line " + line + " has " + fields.length + " fields, too few for the"
                        + " label in column " + (labelColumn + 1));
            }
            if (pixelsPerRow < 0) {
                if (p < 1) {
                    throw new AmendException(name + " line " + line + " has no " + what + " besides the label");
                }
                checkCount(p, line);
                pixelsPerRow = p;
            } else if (p != pixelsPerRow) {
                throw new AmendException(name + " line " + line + " has " + p + " " + what + ", earlier lines have "
                        + pixelsPerRow);
            }
            if (count == labels.length) {
                labels = Arrays.copyOf(labels, 2 * count);
            }
            labels[count] = label(fields[labelColumn], line, labelColumn + 1);
            int offset = count * pixelsPerRow;
            if (offset + pixelsPerRow > values.length) {
                long grown = Math.max(2L * values.length, (long) offset + pixelsPerRow);
                if (grown > Integer.MAX_VALUE - 8) {
                    throw new AmendException(name + " holds more " + what + " than amend can hold in one array");
                }
                values = Arrays.copyOf(values, (int) grown);
            }
            int k = offset;
            for (int c = 0; c < fields.length; c++) {
                if (c == labelColumn) {
                    continue;
                }
                float v = number(fields[c], line, c + 1);
                if (layout.images() && (v < 0f || v > 255f)) {
                    throw new AmendException(name + " line " + line + " column " + (c + 1) + ": pixel value " + v
                            + " is outside 0..255");
                }
                values[k++] = v;
                max = Math.max(max, v);
            }
            count++;
        }

        // The layout's demands on the number of values, checked on the first data line.
        private void checkCount(int p, int line) {
            if (layout.kind() == Layout.Kind.IMAGES) {
                long needed = (long) layout.channels() * layout.height() * layout.width();
                if (p != needed) {
                    throw new AmendException(name + " line " + line + " has " + p + " pixel values but images of "
                            + layout.channels() + "x" + layout.height() + "x" + layout.width() + " have " + needed);
                }
            } else if (layout.kind() == Layout.Kind.FEATURES && p > MAX_FEATURES) {
                throw new AmendException(name + " line " + line + " has " + p + " features; amend reads at most "
                        + MAX_FEATURES);
            }
        }

        private int label(String field, int line, int column) {
            float v = number(field, line, column);
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

        ExampleSet toDataset(boolean bytes, List<String> classes) {
            float[] pixels = Arrays.copyOf(values, count * pixelsPerRow);
            int[] y = Arrays.copyOf(labels, count);
            if (layout.kind() == Layout.Kind.FEATURES) {
                return ExampleSet.of(pixels, y, pixelsPerRow, 1, 1, classes);
            }
            if (bytes) {
                for (int i = 0; i < pixels.length; i++) {
                    pixels[i] /= 255f;
                }
            }
            if (layout.kind() == Layout.Kind.IMAGES) {
                return ExampleSet.of(pixels, y, layout.channels(), layout.height(), layout.width(), classes);
            }
            int channels;
            int side = (int) Math.round(Math.sqrt(pixelsPerRow));
            if (side * side == pixelsPerRow) {
                channels = 1;
            } else {
                side = (int) Math.round(Math.sqrt(pixelsPerRow / 3.0));
                if (pixelsPerRow % 3 != 0 || 3 * side * side != pixelsPerRow) {
                    throw new AmendException(name + " has " + pixelsPerRow + " pixel values per line, which is neither"
                            + " side*side (grey) nor 3*side*side (RGB planes); declare the shape (csv option"
                            + " shape=CxHxW) or read the values as features (csv option features)");
                }
                channels = 3;
            }
            return ExampleSet.of(pixels, y, channels, side, side, classes);
        }
    }
}
