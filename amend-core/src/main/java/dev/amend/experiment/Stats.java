package dev.amend.experiment;

import java.util.Locale;

/**
 * Mean and sample standard deviation over seeds or base runs, ignoring values that are not finite
 * (a failed method, an accuracy on an empty set): the one summary statistic of every experiment.
 */
public final class Stats {
    private Stats() {
    }

    /**
     * Mean and sample standard deviation (n - 1) of the finite values; std 0 for one value; both
     * NaN for none.
     *
     * @param n how many finite values there were
     */
    public record Stat(double mean, double std, int n) {
        /** "mean ± std" with {@code decimals} decimals, "-" for no values. */
        public String format(int decimals) {
            return n == 0 ? "-" : Stats.format(mean, std, decimals);
        }

        @Override
        public String toString() {
            return format(4);
        }
    }

    /** "mean ± std" with {@code decimals} decimals, "-" for a NaN mean (no values). */
    public static String format(double mean, double std, int decimals) {
        if (Double.isNaN(mean)) {
            return "-";
        }
        String f = "%." + decimals + "f";
        return String.format(Locale.ROOT, f + " ± " + f, mean, std);
    }

    /** The statistics of {@code values}. */
    public static Stat of(double[] values) {
        double sum = 0;
        int n = 0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                sum += v;
                n++;
            }
        }
        if (n == 0) {
            return new Stat(Double.NaN, Double.NaN, 0);
        }
        double mean = sum / n;
        double ss = 0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                ss += (v - mean) * (v - mean);
            }
        }
        return new Stat(mean, n == 1 ? 0 : Math.sqrt(ss / (n - 1)), n);
    }
}
