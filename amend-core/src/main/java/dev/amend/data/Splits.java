package dev.amend.data;

import dev.amend.AmendException;
import java.util.Arrays;
import java.util.Random;

/**
 * Seeded, reproducible, disjoint splits. Every split is derived from {@link #permutation},
 * a Fisher-Yates shuffle driven by {@link java.util.Random} with the given seed. We use
 * {@code Random}, not {@code SplittableRandom}, because its Javadoc fixes the algorithm
 * (a 48-bit linear congruential generator, and the exact way {@code nextInt(bound)} uses it),
 * so the same seed gives the same split on every JVM and in every later run.
 *
 * <p>The index arrays returned are positions in the input, sorted ascending, so a part keeps
 * the order of the file; the rows of each part still name the user's rows.
 */
public final class Splits {
    private Splits() {
    }

    /**
     * A data set divided into two disjoint parts that together cover it.
     *
     * @param kept the part kept for use (training data; the MNIST pool)
     * @param heldOut the part set aside (validation data; the rest of MNIST, used as test)
     * @param keptIndices positions of {@code kept} in the input, ascending
     * @param heldOutIndices positions of {@code heldOut} in the input, ascending
     */
    public record Split(ExampleSet kept, ExampleSet heldOut, int[] keptIndices, int[] heldOutIndices) {
    }

    /**
     * A set of indices halved at random.
     *
     * @param query F_q: floor(|F| / 2) of the indices, ascending
     * @param holdout F_h: the others, ascending
     */
    public record Halves(int[] query, int[] holdout) {
    }

    /** A uniformly random permutation of 0..n-1, the same for the same (n, seed). */
    public static int[] permutation(int n, long seed) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        int[] p = new int[n];
        Arrays.setAll(p, i -> i);
        Random random = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** {@code k} distinct positions out of 0..n-1, drawn uniformly, ascending. */
    public static int[] sampleIndices(int n, int k, long seed) {
        if (k < 0 || k > n) {
            throw new AmendException("cannot draw " + k + " examples out of " + n);
        }
        int[] chosen = Arrays.copyOf(permutation(n, seed), k);
        Arrays.sort(chosen);
        return chosen;
    }

    /** {@code n} examples drawn uniformly without replacement, in file order. */
    public static ExampleSet sample(ExampleSet data, int n, long seed) {
        return data.subset(sampleIndices(data.size(), n, seed));
    }

    /**
     * Sets aside round(fraction * N) random examples for validation (Methods 4.1: 10%).
     *
     * @param fraction in [0, 1); 0 gives an empty validation part
     */
    public static Split trainValidation(ExampleSet data, double fraction, long seed) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new AmendException("validation fraction must be in [0, 1), got " + fraction);
        }
        int[] validation = sampleIndices(data.size(), (int) Math.round(fraction * data.size()), seed);
        return split(data, complement(data.size(), validation), validation);
    }

    /**
     * The reproducible MNIST training pool (Methods 4.1 draws 3,000 training examples): kept =
     * {@code poolSize} examples drawn with the seed, heldOut = all the others, used as test data.
     */
    public static Split mnistPool(ExampleSet all, int poolSize, long seed) {
        if (poolSize <= 0 || poolSize >= all.size()) {
            throw new AmendException("the MNIST pool size must be between 1 and " + (all.size() - 1) + ", got "
                    + poolSize);
        }
        int[] pool = sampleIndices(all.size(), poolSize, seed);
        return split(all, pool, complement(all.size(), pool));
    }

    /**
     * Halves a set of indices (Methods 1: F into F_q and F_h, |F_q| = floor(|F| / 2)). The
     * input is sorted first, so the result depends only on the set and the seed.
     */
    public static Halves halves(int[] indices, long seed) {
        int[] sorted = indices.clone();
        Arrays.sort(sorted);
        int[] queryPositions = sampleIndices(sorted.length, sorted.length / 2, seed);
        int[] holdoutPositions = complement(sorted.length, queryPositions);
        return new Halves(pick(sorted, queryPositions), pick(sorted, holdoutPositions));
    }

    /** The positions 0..n-1 not in {@code indices}, ascending. */
    public static int[] complement(int n, int[] indices) {
        boolean[] taken = new boolean[n];
        for (int i : indices) {
            taken[i] = true;
        }
        int[] rest = new int[n - (int) Arrays.stream(indices).distinct().count()];
        int next = 0;
        for (int i = 0; i < n; i++) {
            if (!taken[i]) {
                rest[next++] = i;
            }
        }
        return rest;
    }

    private static Split split(ExampleSet data, int[] kept, int[] heldOut) {
        return new Split(data.subset(kept), data.subset(heldOut), kept, heldOut);
    }

    private static int[] pick(int[] values, int[] positions) {
        int[] out = new int[positions.length];
        for (int j = 0; j < positions.length; j++) {
            out[j] = values[positions[j]];
        }
        return out;
    }
}
