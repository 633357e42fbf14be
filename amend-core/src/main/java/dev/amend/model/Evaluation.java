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
