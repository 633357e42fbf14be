package dev.amend.identify;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.amend.AmendException;
import java.util.Locale;
import java.util.Set;

/**
 * How the cause set C is chosen from a {@link Ranking} (docs/methods.md 2, "Selection of C from a
 * Ranking is a separate, shared step"): one of three modes.
 *
 * <ul>
 *   <li>{@link Mode#THRESHOLD}: C = {z : s(z) &gt; 0} ([T22] Algorithm 1; the default). The
 *       baselines "random" and "oracle" (docs/methods.md 2(d)) produce scores that are only an
 *       order, not a predicted effect, so selecting them by threshold is an error.</li>
 *   <li>{@link Mode#TOP_K}: the first k entries; 1 &lt;= k &lt;= N.</li>
 *   <li>{@link Mode#TOP_FRACTION}: the first round(f N) entries, 0 &lt; f &lt;= 1 ([T22]
 *       Section 4.2 / Fig. 5 use f = 0.15); it must select at least one example.</li>
 * </ul>
 *
 * <p>The text form ({@link #toString()}, {@link #parse(String)}) is {@code threshold},
 * {@code top-k:K} or {@code top-fraction:F} (F may also be written as a percentage, {@code 15%});
 * it is also the JSON form, so spec.json records a selection as one string.
 *
 * @param mode the selection mode
 * @param k the number of examples for {@link Mode#TOP_K}, otherwise 0
 * @param fraction the fraction of N for {@link Mode#TOP_FRACTION}, otherwise 0
 */
public record CauseSelection(Mode mode, int k, double fraction) {

    /** The selection modes of docs/methods.md 2. */
    public enum Mode {
        THRESHOLD("threshold"), TOP_K("top-k"), TOP_FRACTION("top-fraction");

        private final String text;

        Mode(String text) {
            this.text = text;
        }

        /** The name used in the text form. */
        public String text() {
            return text;
        }
    }

    /** Methods whose scores encode only an order (docs/methods.md 2(d)), so "score &gt; 0" means nothing. */
    private static final Set<String> ORDER_ONLY_METHODS = Set.of("random", "oracle");

    private static final String SYNTAX = "threshold, top-k:K or top-fraction:F (e.g. top-k:1000, top-fraction:0.15)";

    public CauseSelection {
        if (mode == null) {
            throw new IllegalArgumentException("mode is null");
        }
        switch (mode) {
            case THRESHOLD -> {
                if (k != 0 || fraction != 0) {
                    throw new IllegalArgumentException("threshold selection takes no k or fraction");
                }
            }
            case TOP_K -> {
                if (k < 1) {
                    throw new AmendException("top-k needs k >= 1, got " + k);
                }
                if (fraction != 0) {
                    throw new IllegalArgumentException("top-k selection takes no fraction");
                }
            }
            case TOP_FRACTION -> {
                // The negated test also rejects NaN.
                if (!(fraction > 0 && fraction <= 1)) {
                    throw new AmendException("top-fraction needs a fraction in (0, 1], got " + fraction);
                }
                if (k != 0) {
                    throw new IllegalArgumentException("top-fraction selection takes no k");
                }
            }
        }
    }

    /** C = {z : s(z) &gt; 0}, [T22] Algorithm 1; the default. */
    public static CauseSelection threshold() {
        return new CauseSelection(Mode.THRESHOLD, 0, 0);
    }

    /** The k most harmful examples. */
    public static CauseSelection topK(int k) {
        return new CauseSelection(Mode.TOP_K, k, 0);
    }

    /** The round(f N) most harmful examples. */
    public static CauseSelection topFraction(double f) {
        return new CauseSelection(Mode.TOP_FRACTION, 0, f);
    }

    /**
     * Reads the text form: {@code threshold}, {@code top-k:K}, {@code top-fraction:F} or
     * {@code top-fraction:P%}; case-insensitive, spaces ignored.
     *
     * @throws AmendException for anything else, with a message that shows the syntax
     */
    @JsonCreator
    public static CauseSelection parse(String text) {
        if (text == null || text.isBlank()) {
            throw new AmendException("the cause selection is empty; use " + SYNTAX);
        }
        String s = text.replace(" ", "").toLowerCase(Locale.ROOT);
        int colon = s.indexOf(':');
        String name = colon < 0 ? s : s.substring(0, colon);
        String arg = colon < 0 ? null : s.substring(colon + 1);
        if (name.equals(Mode.THRESHOLD.text()) && arg == null) {
            return threshold();
        }
        if (name.equals(Mode.TOP_K.text()) && arg != null) {
            try {
                return topK(Integer.parseInt(arg));
            } catch (NumberFormatException e) {
                throw new AmendException("top-k needs a whole number, got '" + arg + "'");
            }
        }
        if (name.equals(Mode.TOP_FRACTION.text()) && arg != null) {
            boolean percent = arg.endsWith("%");
            try {
                double f = Double.parseDouble(percent ? arg.substring(0, arg.length() - 1) : arg);
                return topFraction(percent ? f / 100 : f);
            } catch (NumberFormatException e) {
                throw new AmendException("top-fraction needs a number such as 0.15 or 15%, got '" + arg + "'");
            }
        }
        throw new AmendException("unknown cause selection '" + text.trim() + "'; use " + SYNTAX);
    }

    /**
     * The positions of C in the ranking's training set, most harmful first.
     *
     * @throws AmendException if k exceeds N, if a fraction selects nothing, or for THRESHOLD on
     *     a ranking by "random" or "oracle"
     */
    public int[] select(Ranking ranking) {
        int n = ranking.size();
        return switch (mode) {
            case THRESHOLD -> {
                if (ORDER_ONLY_METHODS.contains(ranking.method().toLowerCase(Locale.ROOT))) {
                    throw new AmendException("the " + ranking.method() + " ranking has no meaningful score threshold;"
                            + " select its causes with top-k:K or top-fraction:F");
                }
                yield ranking.above(0);
            }
            case TOP_K -> {
                if (k > n) {
                    throw new AmendException(option() + " asks for more examples than the " + n
                            + " of the training set (N = " + n + ")");
                }
                yield ranking.top(k);
            }
            case TOP_FRACTION -> {
                int count = count(n);
                if (count < 1) {
                    throw new AmendException(option() + " selects no example of the " + n
                            + " of the training set (N = " + n + ")");
                }
                yield ranking.top(count);
            }
        };
    }

    /**
     * {@link #select} for a removal (Step II): C must leave at least one training example, since
     * every treatment trains on, or keeps the effect of, the rest (top-k with k = N, a fraction
     * that rounds to N, a threshold every score passes).
     *
     * @throws AmendException as {@link #select} does, and if C would be the whole training set
     */
    public int[] selectForRemoval(Ranking ranking) {
        int[] causes = select(ranking);
        int n = ranking.size();
        if (causes.length >= n) {
            String instead = switch (mode) {
                case TOP_K -> "choose K < " + n;
                case TOP_FRACTION -> "choose a smaller fraction";
                case THRESHOLD -> "every score is above 0; choose --top-k or --top-fraction";
            };
            throw new AmendException(option() + " selects all " + n + " training examples (N = " + n
                    + "), and removing them all leaves nothing to train on: " + instead);
        }
        return causes;
    }

    /**
     * {@link #selectForRemoval}'s checks for a training set of {@code n} examples before there is
     * a ranking ({@code k < N}, a fraction that selects something but not everything), so that a
     * selection that cannot work is refused before training or identification spends minutes.
     */
    public void checkForRemoval(int n) {
        selectForRemoval(new Ranking("check", new double[n]));
    }

    /**
     * The command-line option that makes this selection, as messages name it: {@code --top-k 100},
     * {@code --top-fraction 0.15}, {@code --threshold}.
     */
    public String option() {
        return switch (mode) {
            case THRESHOLD -> "--" + mode.text();
            case TOP_K -> "--" + mode.text() + " " + k;
            case TOP_FRACTION -> "--" + mode.text() + " " + fraction;
        };
    }

    /** round(f N), rounding halves up as {@link Math#round(double)} does. */
    private int count(int n) {
        return (int) Math.round(fraction * n);
    }

    /** The text form that {@link #parse(String)} reads back. */
    @JsonValue
    @Override
    public String toString() {
        return switch (mode) {
            case THRESHOLD -> mode.text();
            case TOP_K -> mode.text() + ":" + k;
            case TOP_FRACTION -> mode.text() + ":" + fraction;
        };
    }
}
