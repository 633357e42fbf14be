package dev.amend.model;

import java.util.ArrayList;
import java.util.List;

/** Per-example losses -log p(y|x) and argmax predictions of a model on a data set. */
public record Evaluation(double[] loss, int[] predictions, int[] labels) {

    public int size() {
        return labels.length;
    }

    /** Fraction of examples whose prediction equals the label (NaN for an empty set). */
    public double accuracy() {
        if (labels.length == 0) {
            return Double.NaN;
        }
        int ok = 0;
        for (int i = 0; i < labels.length; i++) {
            ok += predictions[i] == labels[i] ? 1 : 0;
        }
        return (double) ok / labels.length;
    }

    /** Mean loss (NaN for an empty set). */
    public double meanLoss() {
        double s = 0;
        for (double l : loss) {
            s += l;
        }
        return labels.length == 0 ? Double.NaN : s / labels.length;
    }

    /** The evaluation of the examples at {@code positions}, in that order. */
    public Evaluation subset(int[] positions) {
        double[] l = new double[positions.length];
        int[] p = new int[positions.length];
        int[] y = new int[positions.length];
        for (int j = 0; j < positions.length; j++) {
            l[j] = loss[positions[j]];
            p[j] = predictions[positions[j]];
            y[j] = labels[positions[j]];
        }
        return new Evaluation(l, p, y);
    }

    /** This evaluation followed by {@code other}'s, as if their data sets had been joined. */
    public Evaluation concat(Evaluation other) {
        double[] l = java.util.Arrays.copyOf(loss, loss.length + other.loss.length);
        System.arraycopy(other.loss, 0, l, loss.length, other.loss.length);
        int[] p = java.util.Arrays.copyOf(predictions, predictions.length + other.predictions.length);
        System.arraycopy(other.predictions, 0, p, predictions.length, other.predictions.length);
        int[] y = java.util.Arrays.copyOf(labels, labels.length + other.labels.length);
        System.arraycopy(other.labels, 0, y, labels.length, other.labels.length);
        return new Evaluation(l, p, y);
    }

    /** Positions of misclassified examples, ascending: the failure set F of docs/methods.md 1. */
    public int[] misclassified() {
        List<Integer> f = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            if (predictions[i] != labels[i]) {
                f.add(i);
            }
        }
        return f.stream().mapToInt(Integer::intValue).toArray();
    }
}
