package dev.amend.data.scenario;

import dev.amend.AmendException;
import dev.amend.data.ExampleSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The shared choice of input noise and poisoning: exactly round(fraction * n_c) examples of
 * each target class c, drawn without replacement ([T22] Section 4.1; docs/methods.md 4.2).
 */
final class TargetSelection {
    private TargetSelection() {
    }

    /**
     * A mask of the chosen examples. Classes are visited in the given order and, within a class,
     * a partial Fisher-Yates shuffle of its positions (ascending) picks the first k; so the
     * choice depends only on the labels, the classes, the fraction and {@code rng}.
     */
    static boolean[] choose(ExampleSet data, List<Integer> classes, double fraction, SplittableRandom rng) {
        boolean[] chosen = new boolean[data.size()];
        for (int c : classes) {
            int[] members = IntStream.range(0, data.size()).filter(i -> data.label(i) == c).toArray();
            int k = perClass(members.length, fraction);
            for (int j = 0; j < k; j++) {
                int r = j + rng.nextInt(members.length - j);
                int t = members[j];
                members[j] = members[r];
                members[r] = t;
                chosen[members[j]] = true;
            }
        }
        return chosen;
    }

    /** round(fraction * n), halves rounded up, as {@link Math#round(double)} does. */
    static int perClass(int n, double fraction) {
        return (int) Math.round(fraction * n);
    }

    /** Rejects target classes the data does not have (the spec was parsed for other data). */
    static void checkClasses(List<Integer> classes, ExampleSet data) {
        for (int c : classes) {
            if (c >= data.numClasses()) {
                throw new AmendException("class " + c + " is not one of the " + data.numClasses() + " classes of the data");
            }
        }
    }
}
