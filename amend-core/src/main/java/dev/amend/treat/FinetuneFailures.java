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
    /** mu, the weight of the L2 pull towards theta* (docs/methods.md 3(d)). */
    public static final double DEFAULT_MU = 0.1;
    /** beta, the weight of the failure loss in the combined objective. */
    public static final double DEFAULT_BETA = 1;

    /**
     * The settings of fine-tuning on the failures and of the combined treatment
     * (docs/treatment.md); beta is used by the combined treatment only.
     *
     * @param mu finite and >= 0 (default {@value FinetuneFailures#DEFAULT_MU})
     * @param beta finite and >= 0 (default {@value FinetuneFailures#DEFAULT_BETA})
     */
    public record Settings(double mu, double beta) {
        /** mu {@value FinetuneFailures#DEFAULT_MU}, beta {@value FinetuneFailures#DEFAULT_BETA}. */
        public static final Settings DEFAULTS = new Settings(DEFAULT_MU, DEFAULT_BETA);

        /** Refuses a negative or non-finite mu or beta, naming it. */
        public Settings {
            if (!(mu >= 0) || !Double.isFinite(mu)) {
                throw new AmendException("mu must be a finite number >= 0, got " + mu);
            }
            if (!(beta >= 0) || !Double.isFinite(beta)) {
                throw new AmendException("beta must be a finite number >= 0, got " + beta);
            }
        }

        /** These settings with another mu. */
        public Settings withMu(double value) {
            return new Settings(value, beta);
        }

        /** These settings with another beta. */
        public Settings withBeta(double value) {
            return new Settings(mu, value);
        }
    }

    private final double mu;
    private final double beta;
    private final boolean combined;
    private final TrainConfig train;
    private final StopRule stop;

    /**
     * Fine-tuning on the failures ({@code combined} false) or the combined treatment with
     * {@code settings}, training with {@code train} and stopping by {@code stop}.
     */
    public FinetuneFailures(Settings settings, boolean combined, TrainConfig train, StopRule stop) {
        this.mu = settings.mu();
        this.beta = settings.beta();
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
