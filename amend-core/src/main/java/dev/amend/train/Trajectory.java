package dev.amend.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A recorded plain-SGD run for SGD-influence (docs/methods.md 2(c)): the minibatch S_t and rate
 * eta_t of every step, the parameters theta_t at checkpoint steps (every K steps, K about
 * sqrt(T), so memory is about 2 sqrt(T) P), and the final theta_T. The steps in between are
 * replayed deterministically from the nearest checkpoint.
 */
public final class Trajectory {
    private final List<int[]> batches = new ArrayList<>();
    private final List<Double> rates = new ArrayList<>();
    private final TreeMap<Integer, double[]> checkpoints = new TreeMap<>();
    private final int checkpointEvery;
    private final int stepsPerEpoch;
    private final boolean weightDecay;
    private double[] finalParameters;

    /**
     * @param weightDecay whether the recorded objective included the model's (alpha/2)||theta||^2
     */
    public Trajectory(int checkpointEvery, int stepsPerEpoch, boolean weightDecay) {
        if (checkpointEvery < 1 || stepsPerEpoch < 1) {
            throw new IllegalArgumentException("checkpointEvery and stepsPerEpoch must be >= 1");
        }
        this.checkpointEvery = checkpointEvery;
        this.stepsPerEpoch = stepsPerEpoch;
        this.weightDecay = weightDecay;
    }

    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    public boolean weightDecay() {
        return weightDecay;
    }

    /** Records step t = steps(): theta_t before the step, its minibatch and rate. */
    void record(double[] thetaBefore, int[] batch, double rate) {
        int t = batches.size();
        if (t % checkpointEvery == 0) {
            checkpoints.put(t, thetaBefore.clone());
        }
        batches.add(batch.clone());
        rates.add(rate);
    }

    void finish(double[] thetaT) {
        finalParameters = thetaT.clone();
    }

    /** Drops the steps after step {@code t} (used when early stopping keeps an earlier epoch). */
    void truncate(int steps, double[] thetaT) {
        while (batches.size() > steps) {
            batches.remove(batches.size() - 1);
            rates.remove(rates.size() - 1);
        }
        checkpoints.tailMap(steps, false).clear();
        finish(thetaT);
    }

    public int steps() {
        return batches.size();
    }

    public int[] batch(int t) {
        return batches.get(t).clone();
    }

    public double rate(int t) {
        return rates.get(t);
    }

    public int checkpointEvery() {
        return checkpointEvery;
    }

    /** Checkpoints by step index (theta_t before step t). */
    public Map<Integer, double[]> checkpoints() {
        return Collections.unmodifiableMap(checkpoints);
    }

    /** The latest checkpoint at or before step t. */
    public Map.Entry<Integer, double[]> checkpointAtOrBefore(int t) {
        return checkpoints.floorEntry(t);
    }

    public double[] finalParameters() {
        return finalParameters.clone();
    }
}
