package dev.amend.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** A small learnable CSV data set: class c (of 3) brightens the first two pixels of row c of a 6x6 grey image. */
final class TinyCsv {
    private TinyCsv() {
    }

    /** Writes train.csv (n rows) and test.csv (m rows) into {@code dir}; returns the --data spec. */
    static String write(Path dir, int n, int m, long seed) {
        Random random = new Random(seed);
        try {
            Files.createDirectories(dir);
            Path train = Files.writeString(dir.resolve("train.csv"), rows(n, random));
            Path test = Files.writeString(dir.resolve("test.csv"), rows(m, random));
            return "csv:" + train + "," + test;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String rows(int n, Random random) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int label = random.nextInt(3);
            text.append(label);
            for (int y = 0; y < 6; y++) {
                for (int x = 0; x < 6; x++) {
                    // Noise overlapping the signal, so that some test examples fail.
                    text.append(',').append((y == label && x < 2 ? 130 : 0) + random.nextInt(120));
                }
            }
            text.append('\n');
        }
        return text.toString();
    }
}
