package dev.amend.run;

import dev.amend.AmendException;
import dev.amend.data.ExampleSet;
import dev.amend.data.Splits;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Where a trusted clean set D_c comes from (docs/methods.md 5): drawn per class from a run's test
 * set T, which then loses those examples, or brought by the user and checked against the model
 * and the data.
 */
public final class CleanData {
    /** Examples per class of a drawn clean set (docs/methods.md 5). */
    public static final int DEFAULT_PER_CLASS = 20;

    private CleanData() {
    }

    /**
     * A clean set drawn out of T and what is left of the repair's input.
     *
     * @param input the input with T \ D_c as its test set and the failure sets restricted to it
     * @param clean D_c, in the order of T
     */
    public record Drawn(RepairInput input, ExampleSet clean) {
    }

    /**
     * Draws {@code perClass} examples of every class from T, uniformly (seeded) within each class,
     * and removes them from T and from F, F_q, F_h and T\F: a clean example is never also an
     * evaluation example. T's labels are the true ones, and T is disjoint from D by construction.
     *
     * @throws AmendException if {@code perClass < 2} (nothing would be left to stop on) or T has too few
     *     examples of a class
     */
    public static Drawn perClass(RepairInput input, int perClass, long seed) {
        if (perClass < 2) {
            throw new AmendException("the clean set needs at least 2 examples per class (one to train on, one to stop"
                    + " on), got " + perClass);
        }
        ExampleSet test = input.test();
        boolean[] drawn = new boolean[test.size()];
        for (int c = 0; c < test.numClasses(); c++) {
            final int cls = c;
            int[] members = IntStream.range(0, test.size()).filter(i -> test.label(i) == cls).toArray();
            if (members.length <= perClass) {
                throw new AmendException("the test set has " + members.length + " examples of class "
                        + test.classNames().get(c) + ": too few to draw " + perClass + " clean ones and keep some for"
                        + " testing");
            }
            int[] order = Splits.permutation(members.length, seed * 1_000_003L + c);
            for (int j = 0; j < perClass; j++) {
                drawn[members[order[j]]] = true;
            }
        }
        int[] clean = IntStream.range(0, test.size()).filter(i -> drawn[i]).toArray();
        int[] kept = IntStream.range(0, test.size()).filter(i -> !drawn[i]).toArray();
        int[] newPosition = new int[test.size()];
        Arrays.fill(newPosition, -1);
        for (int j = 0; j < kept.length; j++) {
            newPosition[kept[j]] = j;
        }
        FailureSets f = input.failures();
        FailureSets remapped = new FailureSets(remap(f.failures(), newPosition), remap(f.query(), newPosition),
                remap(f.holdout(), newPosition), remap(f.remaining(), newPosition), remap(f.otherFailures(), newPosition),
                f.classes());
        if (remapped.query().length == 0) {
            throw new AmendException("drawing the clean set left no failures in F_q");
        }
        return new Drawn(input.withTest(test.subset(kept), remapped), test.subset(clean));
    }

    private static int[] remap(int[] positions, int[] newPosition) {
        return Arrays.stream(positions).map(i -> newPosition[i]).filter(i -> i >= 0).toArray();
    }

    /**
     * Checks a user's clean set before any work: not empty, images the model takes, the model's
     * classes, and no image that is also in the training data (D and its validation part) or the
     * test set, compared by content (the pixel values, not the row numbers).
     *
     * @throws AmendException naming the first problem found
     */
    public static void check(ExampleSet clean, RepairInput input) {
        if (clean.size() == 0) {
            throw new AmendException("the clean set is empty");
        }
        input.model().spec().checkCompatible(clean, "the clean set");
        if (!clean.classNames().equals(input.train().classNames())) {
            throw new AmendException("the clean set's classes " + clean.classNames() + " are not the model's "
                    + input.train().classNames());
        }
        Map<Key, Integer> train = index(input.train());
        if (input.validation() != null) {
            train.putAll(index(input.validation()));
        }
        Map<Key, Integer> test = index(input.test());
        for (int i = 0; i < clean.size(); i++) {
            Key k = new Key(clean.image(i));
            if (train.containsKey(k)) {
                throw new AmendException("the clean set overlaps the training data: its row " + clean.row(i)
                        + " has the same pixels as training row " + train.get(k));
            }
            if (test.containsKey(k)) {
                throw new AmendException("the clean set overlaps the test data: its row " + clean.row(i)
                        + " has the same pixels as test row " + test.get(k));
            }
        }
    }

    /** Every image of {@code data} by content, with the user's row of its first occurrence. */
    private static Map<Key, Integer> index(ExampleSet data) {
        Map<Key, Integer> map = new HashMap<>();
        for (int i = 0; i < data.size(); i++) {
            map.putIfAbsent(new Key(data.image(i)), data.row(i));
        }
        return map;
    }

    /** An image compared by its pixel values. */
    private record Key(float[] pixels) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(pixels, k.pixels);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(pixels);
        }
    }
}
