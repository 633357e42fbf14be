package dev.amend.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A confusion matrix: {@code counts[t][p]} examples of true class t predicted as p. It is how
 * a user finds the class pair a model mixes up most, the pair a label-flip experiment targets
 * (docs/scenarios.md).
 *
 * @param classNames the names of the classes, one per row and column
 * @param counts the counts, classes x classes
 */
public record Confusion(List<String> classNames, int[][] counts) {

    /**
     * One off-diagonal cell.
     *
     * @param trueClass the label
     * @param predicted the prediction
     * @param count examples of {@code trueClass} predicted as {@code predicted}
     * @param rate count over the examples of {@code trueClass}
     */
    public record Pair(int trueClass, int predicted, int count, double rate) {
    }

    public Confusion {
        classNames = List.copyOf(classNames);
        Objects.requireNonNull(counts, "counts");
        if (counts.length != classNames.size()) {
            throw new IllegalArgumentException("counts has " + counts.length + " rows for " + classNames.size()
                    + " classes");
        }
    }

    /** The confusion matrix of an evaluation over {@code classNames.size()} classes. */
    public static Confusion of(Evaluation evaluation, List<String> classNames) {
        int k = classNames.size();
        int[][] counts = new int[k][k];
        int[] labels = evaluation.labels();
        int[] predictions = evaluation.predictions();
        for (int i = 0; i < labels.length; i++) {
            counts[labels[i]][predictions[i]]++;
        }
        return new Confusion(classNames, counts);
    }

    /** Examples of class {@code c}. */
    public int support(int c) {
        int n = 0;
        for (int v : counts[c]) {
            n += v;
        }
        return n;
    }

    /**
     * The {@code n} off-diagonal cells with the most examples, largest first (ties: by true
     * class, then prediction).
     */
    public List<Pair> mostConfused(int n) {
        List<Pair> pairs = new ArrayList<>();
        for (int t = 0; t < counts.length; t++) {
            int support = support(t);
            for (int p = 0; p < counts.length; p++) {
                if (p != t && counts[t][p] > 0) {
                    pairs.add(new Pair(t, p, counts[t][p], (double) counts[t][p] / support));
                }
            }
        }
        pairs.sort(Comparator.comparingInt(Pair::count).reversed().thenComparingInt(Pair::trueClass)
                .thenComparingInt(Pair::predicted));
        return List.copyOf(pairs.subList(0, Math.min(n, pairs.size())));
    }
}
