package dev.amend.treat;

import dev.amend.AmendException;
import dev.amend.data.ExampleSet;
import dev.amend.data.Splits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A trusted clean set D_c (docs/methods.md 5): examples whose labels are known to be right, kept
 * apart from the training data D and the test set T. {@link #split} divides it into a part the
 * retain treatment trains on ({@code fit}, D_c_fit) and a part its early stopping watches
 * ({@code validation}, D_c_val).
 *
 * @param fit D_c_fit
 * @param validation D_c_val
 */
public record CleanSet(ExampleSet fit, ExampleSet validation) {
    /** The share of each class that goes to D_c_val. */
    public static final double VALIDATION_FRACTION = 0.2;

    public CleanSet {
        if (fit.size() == 0 || validation.size() == 0) {
            throw new AmendException("the clean set needs examples to train on and to stop on; one part is empty");
        }
    }

    /**
     * Splits {@code clean} 80/20 within every class (seeded): a class with n >= 2 examples puts
     * max(1, round(0.2 n)) of them into D_c_val, a class with one example puts it into D_c_fit.
     *
     * @throws AmendException if the set is empty or too small to give both parts an example
     */
    public static CleanSet split(ExampleSet clean, long seed) {
        if (clean.size() == 0) {
            throw new AmendException("the clean set is empty");
        }
        int[] counts = clean.classCounts();
        List<Integer> fit = new ArrayList<>();
        List<Integer> val = new ArrayList<>();
        for (int c = 0; c < counts.length; c++) {
            final int cls = c;
            int[] members = java.util.stream.IntStream.range(0, clean.size()).filter(i -> clean.label(i) == cls)
                    .toArray();
            int[] order = Splits.permutation(members.length, seed * 31 + c);
            int nVal = members.length < 2 ? 0 : Math.max(1, (int) Math.round(VALIDATION_FRACTION * members.length));
            for (int j = 0; j < members.length; j++) {
                (j < nVal ? val : fit).add(members[order[j]]);
            }
        }
        if (val.isEmpty() || fit.isEmpty()) {
            throw new AmendException("the clean set of " + clean.size() + " examples is too small to split into a part to"
                    + " train on and a part to stop on: it needs two examples of at least one class");
        }
        return new CleanSet(clean.subset(sorted(fit)), clean.subset(sorted(val)));
    }

    /** |D_c|. */
    public int size() {
        return fit.size() + validation.size();
    }

    private static int[] sorted(List<Integer> positions) {
        int[] a = positions.stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(a);
        return a;
    }
}
