package dev.amend.identify;

import dev.amend.AmendException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Scores of every training example for being a cause of the failures (docs/methods.md 0): higher =
 * more harmful, s(z) > 0 = removing z is predicted to make the query set better fitted.
 * Positions refer to the training set D the method was given; {@link #order()} sorts them by
 * score descending, ties by ascending position.
 */
public final class Ranking {
    private final String method;
    private final double[] scores;
    private final int[] order;
    private final int[] rankOf;
    private final double[] otherScores;
    private final Map<String, Object> facts;

    public Ranking(String method, double[] scores) {
        this(method, scores, null);
    }

    /** A ranking of D with the scores of the problem's other examples (or null) and no facts about the run. */
    public Ranking(String method, double[] scores, double[] otherScores) {
        this(method, scores, otherScores, Map.of());
    }

    /**
     * A ranking of D with the scores of the problem's other examples on the same scale
     * ({@link IdentificationProblem#others()}), or null when there were none or the method cannot
     * score examples outside D; {@code facts} are what the method measured while ranking (for
     * EWC-influence the seconds of its phases and its fine-tuning epochs, {@link #facts()}).
     */
    public Ranking(String method, double[] scores, double[] otherScores, Map<String, Object> facts) {
        this.facts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(facts));
        this.otherScores = otherScores == null ? null : otherScores.clone();
        this.method = method;
        this.scores = scores.clone();
        for (int i = 0; i < scores.length; i++) {
            if (!Double.isFinite(scores[i])) {
                throw new AmendException(method + " produced a non-finite score (" + scores[i] + ") for training example "
                        + i);
            }
        }
        this.order = IntStream.range(0, scores.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -this.scores[i]).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue).toArray();
        this.rankOf = new int[scores.length];
        for (int r = 0; r < order.length; r++) {
            rankOf[order[r]] = r;
        }
    }

    public String method() {
        return method;
    }

    public int size() {
        return scores.length;
    }

    /**
     * What the method measured while it ranked, in the order it reported them (empty for most
     * methods): EWC-influence gives {@code fisher_seconds}, {@code finetune_seconds},
     * {@code scoring_seconds}, {@code finetune_epochs_run} and {@code finetune_best_epoch}. The
     * facts travel with this ranking, so that nothing about a run is kept by the method.
     */
    public Map<String, Object> facts() {
        return facts;
    }

    /** The scores of the problem's other examples on the same scale (a copy), or null. */
    public double[] otherScores() {
        return otherScores == null ? null : otherScores.clone();
    }

    /** Score of training position i. */
    public double score(int i) {
        return scores[i];
    }

    /** All scores by training position (a copy). */
    public double[] scores() {
        return scores.clone();
    }

    /** Training positions from most to least harmful (a copy). */
    public int[] order() {
        return order.clone();
    }

    /** 0-based rank of training position i (0 = most harmful). */
    public int rank(int i) {
        return rankOf[i];
    }

    /** The k most harmful positions. */
    public int[] top(int k) {
        if (k < 0 || k > order.length) {
            throw new AmendException("top-k must be between 0 and " + order.length + ", got " + k);
        }
        return Arrays.copyOf(order, k);
    }

    /** Positions with a score above the threshold, most harmful first (Algorithm 1: r(z) > 0). */
    public int[] above(double threshold) {
        int k = 0;
        while (k < order.length && scores[order[k]] > threshold) {
            k++;
        }
        return Arrays.copyOf(order, k);
    }
}
