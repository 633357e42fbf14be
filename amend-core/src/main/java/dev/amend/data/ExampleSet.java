package dev.amend.data;

import dev.amend.AmendException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Labelled images held in memory: {@code images} is N x C x H x W in row-major order (pixel
 * values as loaded, usually in [0, 1]), {@code labels} are class indices in
 * [0, classNames.size()), and {@code rows} gives for every example its row number in the
 * user's file, so that every index amend writes refers to the user's data and survives
 * subsetting.
 */
public final class ExampleSet {
    private final float[] images;
    private final int[] labels;
    private final int[] rows;
    private final int channels;
    private final int height;
    private final int width;
    private final List<String> classNames;

    public ExampleSet(float[] images, int[] labels, int[] rows, int channels, int height, int width,
            List<String> classNames) {
        this.images = Objects.requireNonNull(images, "images");
        this.labels = Objects.requireNonNull(labels, "labels");
        this.rows = Objects.requireNonNull(rows, "rows");
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.classNames = List.copyOf(classNames);
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new AmendException("image shape must be positive, got " + channels + "x" + height + "x" + width);
        }
        if ((long) labels.length * imageSize() != images.length) {
            throw new AmendException("data has " + labels.length + " labels but " + images.length / Math.max(1, imageSize())
                    + " images of " + channels + "x" + height + "x" + width);
        }
        if (rows.length != labels.length) {
            throw new IllegalArgumentException("rows and labels differ in length");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= this.classNames.size()) {
                throw new AmendException("label " + labels[i] + " of row " + rows[i] + " is not one of the "
                        + this.classNames.size() + " classes");
            }
        }
    }

    /** A data set whose rows are numbered 0..N-1 in the order given. */
    public static ExampleSet of(float[] images, int[] labels, int channels, int height, int width, List<String> classNames) {
        int[] rows = new int[labels.length];
        Arrays.setAll(rows, i -> i);
        return new ExampleSet(images, labels, rows, channels, height, width, classNames);
    }

    /** Class names "0", "1", ..., "k-1". */
    public static List<String> numberedClasses(int k) {
        String[] names = new String[k];
        Arrays.setAll(names, Integer::toString);
        return List.of(names);
    }

    public int size() {
        return labels.length;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** Values per image: C * H * W. */
    public int imageSize() {
        return channels * height * width;
    }

    public int numClasses() {
        return classNames.size();
    }

    public List<String> classNames() {
        return classNames;
    }

    /** The label of example i. */
    public int label(int i) {
        return labels[i];
    }

    /** The row of example i in the user's file. */
    public int row(int i) {
        return rows[i];
    }

    /** The backing pixel array (N x C x H x W); read-only by contract. */
    public float[] pixels() {
        return images;
    }

    /** A copy of all labels. */
    public int[] labels() {
        return labels.clone();
    }

    /** A copy of all source rows. */
    public int[] rows() {
        return rows.clone();
    }

    /** A copy of the pixels of example i. */
    public float[] image(int i) {
        return Arrays.copyOfRange(images, i * imageSize(), (i + 1) * imageSize());
    }

    /** The examples at the given positions, in that order (rows are kept). */
    public ExampleSet subset(int[] indices) {
        int d = imageSize();
        float[] x = new float[indices.length * d];
        int[] y = new int[indices.length];
        int[] r = new int[indices.length];
        for (int j = 0; j < indices.length; j++) {
            int i = indices[j];
            System.arraycopy(images, i * d, x, j * d, d);
            y[j] = labels[i];
            r[j] = rows[i];
        }
        return new ExampleSet(x, y, r, channels, height, width, classNames);
    }

    /** This set followed by {@code other} (same shape and classes; rows are kept). */
    public ExampleSet concat(ExampleSet other) {
        if (!sameShapeAs(other)) {
            throw new IllegalArgumentException("cannot join a " + shapeString() + " set with a " + other.shapeString()
                    + " set or different classes");
        }
        float[] x = Arrays.copyOf(images, images.length + other.images.length);
        System.arraycopy(other.images, 0, x, images.length, other.images.length);
        int[] y = Arrays.copyOf(labels, labels.length + other.labels.length);
        System.arraycopy(other.labels, 0, y, labels.length, other.labels.length);
        int[] r = Arrays.copyOf(rows, rows.length + other.rows.length);
        System.arraycopy(other.rows, 0, r, rows.length, other.rows.length);
        return new ExampleSet(x, y, r, channels, height, width, classNames);
    }

    /** The same images with other labels (used by label-noise scenarios). */
    public ExampleSet withLabels(int[] newLabels) {
        return new ExampleSet(images, newLabels.clone(), rows, channels, height, width, classNames);
    }

    /** The same labels with other pixels (used by input-noise and poisoning scenarios). */
    public ExampleSet withImages(float[] newImages) {
        return new ExampleSet(newImages, labels, rows, channels, height, width, classNames);
    }

    /** Number of examples per class. */
    public int[] classCounts() {
        int[] counts = new int[numClasses()];
        for (int y : labels) {
            counts[y]++;
        }
        return counts;
    }

    /** Whether another data set has the same image shape and classes. */
    public boolean sameShapeAs(ExampleSet other) {
        return channels == other.channels && height == other.height && width == other.width
                && classNames.equals(other.classNames);
    }

    /** "C x H x W" for messages. */
    public String shapeString() {
        return channels + "x" + height + "x" + width;
    }
}
