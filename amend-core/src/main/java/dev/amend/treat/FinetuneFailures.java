package dev.amend.treat;

import dev.amend.AmendException;
import dev.amend.data.ExampleSet;
import dev.amend.train.TrainConfig;
import java.util.Map;

/**
 * Fine-tuning on the failures with an L2 locality penalty ([T22] App. B.4, Fig. 9; docs/methods.md
 * 3(d)): minimise mean_{F_q_fit} l + (mu/2) ||theta - theta*||^2, early stopping by a
 * {@link StopRule} (default: the loss on F_q_val; combined: the loss on V and F_q_val).
 * With {@code combined}, the joint objective mean_{D\C} l + beta mean_{F_q_fit} l + (mu/2)||theta -
 * theta*||^2, one minibatch from each per step (the paper's best trade-off; how it combined them
 * is not stated).
 */
public final class FinetuneFailures implements Treatment {
    private final double mu;
    private final double beta;
    private final boolean combined;
    private final TrainConfig train;
    private final StopRule stop;

    public FinetuneFailures(double mu, double beta, boolean combined, TrainConfig train, StopRule stop) {
        if (mu < 0 || !Double.isFinite(mu) || beta < 0 || !Double.isFinite(beta)) {
            throw new AmendException("mu and beta must be finite numbers >= 0");
        }
        this.mu = mu;
        this.beta = beta;
        this.combined = combined;
        this.train = train.withWeightDecay(false).withLossSign(1);
        this.stop = stop;
    }

    @Override
    public String name() {
        return combined ? "combined" : "finetune-failures";
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> s = Treatments.trainSettings(train, stop);
        s.put("mu", mu);
        if (combined) {
            s.put("beta", beta);
        }
        return s;
    }

    @Override
    public TreatmentResult apply(TreatmentProblem p) {
        double[] w = Treatments.constant(p.model().numParameters(), mu / 2);
        if (combined) {
            return Treatments.fineTune(p, new ExampleSet[] {p.remaining(), p.queryFit()}, new double[] {1, beta}, train, stop, w,
                    Map.of());
        }
        return Treatments.fineTune(p, new ExampleSet[] {p.queryFit()}, new double[] {1}, train, stop, w, Map.of());
    }
}
