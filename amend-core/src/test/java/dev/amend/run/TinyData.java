package dev.amend.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** A small learnable data set as a pair of CSV files: class c brightens the first two pixels of row c of a grey image. */
public final class TinyData {
    public static final int CLASSES = 3;

    private TinyData() {
    }

    /** Writes train.csv (n rows) and test.csv (m rows) into {@code dir}; returns the --data spec. */
    public static String csv(Path dir, int n, int m, long seed) {
        return csv(dir, n, m, 6, seed);
    }

    /** The same with side x side images (side >= {@value #CLASSES}). */
    public static String csv(Path dir, int n, int m, int side, long seed) {
        Random random = new Random(seed);
        try {
            Files.createDirectories(dir);
            Path train = Files.writeString(dir.resolve("train.csv"), rows(n, side, random));
            Path test = Files.writeString(dir.resolve("test.csv"), rows(m, side, random));
            return "csv:" + train + "," + test;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String rows(int n, int side, Random random) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int label = random.nextInt(CLASSES);
            text.append(label);
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    boolean block = y == label && x < 2;
                    // Overlapping noise keeps the task from being trivially separable, so some test examples fail.
                    int value = (block ? 130 : 0) + random.nextInt(120);
                    text.append(',').append(value);
                }
            }
            text.append('\n');
        }
        return text.toString();
    }
}
