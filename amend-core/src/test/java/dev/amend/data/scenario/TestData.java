package dev.amend.data.scenario;

import dev.amend.data.ExampleSet;
import java.util.Arrays;

/** Synthetic data sets for the scenario tests: no files, exact control over labels and pixels. */
final class TestData {
    private TestData() {
    }

    /** {@code counts[c]} examples of class c (in class order), every pixel equal to {@code value}. */
    static ExampleSet constant(int[] counts, int channels, int height, int width, float value) {
        int n = Arrays.stream(counts).sum();
        int[] labels = new int[n];
        int i = 0;
        for (int c = 0; c < counts.length; c++) {
            for (int k = 0; k < counts[c]; k++) {
                labels[i++] = c;
            }
        }
        float[] images = new float[n * channels * height * width];
        Arrays.fill(images, value);
        return ExampleSet.of(images, labels, channels, height, width, ExampleSet.numberedClasses(counts.length));
    }

    /** {@code perClass} examples of each of {@code numClasses} classes, interleaved, with distinct pixel values in (0, 1). */
    static ExampleSet varied(int numClasses, int perClass, int channels, int height, int width) {
        int n = numClasses * perClass;
        int d = channels * height * width;
        int[] labels = new int[n];
        float[] images = new float[n * d];
        for (int i = 0; i < n; i++) {
            labels[i] = i % numClasses;
            for (int j = 0; j < d; j++) {
                images[i * d + j] = 0.05f + 0.9f * ((i * 31 + j * 7) % 97) / 96f;
            }
        }
        return ExampleSet.of(images, labels, channels, height, width, ExampleSet.numberedClasses(numClasses));
    }
}
