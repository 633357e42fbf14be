package dev.amend.identify;

import java.util.Arrays;
import java.util.TreeSet;

/**
 * How well a {@link Ranking} finds the examples a scenario corrupted (the ground truth of
 * [T22] Section 4.1), with the definitions of docs/methods.md 1:
 *
 * <ul>
 *   <li>frac(k) = |top-k of the ranking and noisy| / k (Fig. 2c, Fig. 4 row 2);</li>
 *   <li>reference curves: oracle frac(k) = min(k, M) / k, random expectation M / N, with M the
 *       number of noisy examples;</li>
 *   <li>for a cause set C (Fig. 6): precision = |C and noisy| / |C|, recall = |C and noisy| / M;</li>
 *   <li>ROC-AUC of the scores as a detector of noisy examples: the probability that a random
 *       noisy example scores higher than a random clean one, ties counting one half; computed
 *       exactly from ranks with tied scores given their average rank.</li>
 * </ul>
 *
 * A quantity whose denominator is zero (precision of an empty C, recall or ROC-AUC without
 * noisy examples, ROC-AUC without clean ones) is NaN.
 */
public final class IdentificationMetrics {
    private final Ranking ranking;
    private final boolean[] noisy;
    private final int noisyCount;
    /** noisyPrefix[k] = number of noisy examples among the first k of the ranking. */
    private final int[] noisyPrefix;

    /**
     * @param ranking a ranking over the training set D
     * @param noisy the ground-truth mask, by training position; as long as the ranking
     */
    public IdentificationMetrics(Ranking ranking, boolean[] noisy) {
        if (noisy.length != ranking.size()) {
            throw new IllegalArgumentException("the noisy mask has " + noisy.length + " entries but the ranking "
                    + ranking.size());
        }
        this.ranking = ranking;
        this.noisy = noisy.clone();
        int[] order = ranking.order();
        this.noisyPrefix = new int[order.length + 1];
        for (int r = 0; r < order.length; r++) {
            noisyPrefix[r + 1] = noisyPrefix[r] + (this.noisy[order[r]] ? 1 : 0);
        }
        this.noisyCount = noisyPrefix[order.length];
    }

    /**
     * The summary written into ranking.json and metrics files.
     *
     * @param n training set size N
     * @param noisy number of noisy examples M
     * @param rocAuc {@link #rocAuc()}
     * @param precision precision of the selected cause set
     * @param recall recall of the selected cause set
     * @param selected size of the selected cause set
     * @param ks the k at which frac(k) was taken
     * @param fractions frac(k) for each k of {@code ks}
     */
    public record Summary(int n, int noisy, double rocAuc, double precision, double recall, int selected, double[] ks,
            double[] fractions) {
    }

    /** N. */
    public int size() {
        return noisy.length;
    }

    /** M, the number of noisy examples. */
    public int noisyCount() {
        return noisyCount;
    }

    /** The number of noisy examples among the k most harmful; 0 &lt;= k &lt;= N. */
    public int noisyInTopK(int k) {
        checkK(k, 0);
        return noisyPrefix[k];
    }

    /** frac(k) for each k; every k in [1, N]. */
    public double[] fractionInTopK(int[] ks) {
        double[] out = new double[ks.length];
        for (int j = 0; j < ks.length; j++) {
            checkK(ks[j], 1);
            out[j] = (double) noisyPrefix[ks[j]] / ks[j];
        }
        return out;
    }

    /** The oracle's frac(k) = min(k, M) / k; k in [1, N]. */
    public double oracle(int k) {
        checkK(k, 1);
        return (double) Math.min(k, noisyCount) / k;
    }

    /** The expected frac(k) of a uniformly random ranking, M / N, the same for every k. */
    public double random() {
        return (double) noisyCount / noisy.length;
    }

    /** |C and noisy| / |C| for a cause set C of training positions (NaN when C is empty). */
    public double precision(int[] selected) {
        return (double) noisyAmong(selected) / selected.length;
    }

    /** |C and noisy| / M for a cause set C of training positions (NaN when M = 0). */
    public double recall(int[] selected) {
        return (double) noisyAmong(selected) / noisyCount;
    }

    /**
     * ROC-AUC = (R - M (M + 1) / 2) / (M (N - M)), where R is the sum over noisy examples of
     * their 1-based rank by ascending score, tied scores sharing the mean of their ranks
     * (the Mann-Whitney form; it gives a tied noisy/clean pair half credit exactly).
     */
    public double rocAuc() {
        int n = noisy.length;
        long clean = n - noisyCount;
        if (noisyCount == 0 || clean == 0) {
            return Double.NaN;
        }
        // The ranking's order is by descending score, so walking it backwards visits ascending scores.
        int[] order = ranking.order();
        double rankSum = 0;
        int r = n - 1;
        int ascending = 1;
        while (r >= 0) {
            double score = ranking.score(order[r]);
            int groupEnd = r;
            while (r >= 0 && ranking.score(order[r]) == score) {
                r--;
            }
            int groupSize = groupEnd - r;
            int noisyInGroup = 0;
            for (int q = r + 1; q <= groupEnd; q++) {
                noisyInGroup += noisy[order[q]] ? 1 : 0;
            }
            // Ranks ascending..ascending+groupSize-1 averaged over the tie group.
            double meanRank = ascending + (groupSize - 1) / 2.0;
            rankSum += noisyInGroup * meanRank;
            ascending += groupSize;
        }
        double m = noisyCount;
        return (rankSum - m * (m + 1) / 2) / (m * clean);
    }

    /**
     * frac(k) at {@code ks}, ROC-AUC, and precision and recall of {@code selected}, for JSON.
     */
    public Summary summary(int[] selected, int[] ks) {
        double[] kValues = Arrays.stream(ks).asDoubleStream().toArray();
        return new Summary(noisy.length, noisyCount, rocAuc(), precision(selected), recall(selected), selected.length,
                kValues, fractionInTopK(ks));
    }

    /**
     * The k at which curves are usually reported: 1, 2, 5, 10, 20, 50, ... below N, then N
     * itself (evenly spaced on the log axis of [T22] Fig. 3 and 4).
     */
    public static int[] standardKs(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be positive, got " + n);
        }
        TreeSet<Integer> ks = new TreeSet<>();
        for (long decade = 1; decade <= n; decade *= 10) {
            for (int step : new int[] {1, 2, 5}) {
                if (decade * step <= n) {
                    ks.add((int) (decade * step));
                }
            }
        }
        ks.add(n);
        return ks.stream().mapToInt(Integer::intValue).toArray();
    }

    private int noisyAmong(int[] selected) {
        boolean[] seen = new boolean[noisy.length];
        int count = 0;
        for (int i : selected) {
            if (i < 0 || i >= noisy.length) {
                throw new IllegalArgumentException("selected position " + i + " is outside the training set of "
                        + noisy.length);
            }
            if (seen[i]) {
                throw new IllegalArgumentException("position " + i + " is selected twice");
            }
            seen[i] = true;
            count += noisy[i] ? 1 : 0;
        }
        return count;
    }

    private void checkK(int k, int min) {
        if (k < min || k > noisy.length) {
            throw new IllegalArgumentException("k must be between " + min + " and N = " + noisy.length + ", got " + k);
        }
    }
}
