package dev.amend.treat;

import dev.amend.AmendException;
import dev.amend.data.ExampleSet;
import dev.amend.train.TrainConfig;
import java.util.Map;

/**
 * EWC-deletion ([T22] Eq. 15 with the App. C scaling; docs/methods.md 3(a)): gradient ascent on the
 * causes' loss, held near theta* by the Laplace penalty of p(theta | D):
 * <pre>
 *   minimise  -mean_C l + (N / gamma) sum_j F_j (theta_j - theta*_j)^2 + (lambda / 2m) ||theta - theta*||^2
 * </pre>
 * with N = |D|, m = |C| and F the mean diagonal empirical Fisher of D, so that N F is the Fisher
 * summed over D: Eq. 15's penalty (N/2) F_D scaled by 2 / (gamma N), beside the mean loss of the
 * causes (docs/treatment.md: this reading of gamma, and the other one, measured). Early stopping
 * by a {@link StopRule} (default: accuracy on F_q_val, as Fig. 5 is drawn). Larger gamma forgets more; the damped one-step fixed point is
 * theta* + (gamma / 2N) F^{-1} mean_C g, half of {@link NewtonRemoval}'s paper step.
 */
public final class EwcDeletion implements Treatment {
    /** Deletion strength gamma: the middle of the paper's range 0.01 to 0.05 (Fig. 5). */
    public static final double DEFAULT_GAMMA = 0.03;
    /** Precision of the isotropic prior: 0, as the paper sets it. */
    public static final double DEFAULT_LAMBDA = 0;

    /**
     * The settings of EWC-deletion (docs/treatment.md): the deletion strength gamma and the
     * precision lambda of the isotropic prior. Built from {@link #DEFAULTS} with the withers.
     *
     * @param gamma positive and finite (default {@value EwcDeletion#DEFAULT_GAMMA})
     * @param lambda finite and >= 0 (default {@value EwcDeletion#DEFAULT_LAMBDA})
     */
    public record Settings(double gamma, double lambda) {
        /** gamma {@value EwcDeletion#DEFAULT_GAMMA}, lambda {@value EwcDeletion#DEFAULT_LAMBDA}. */
        public static final Settings DEFAULTS = new Settings(DEFAULT_GAMMA, DEFAULT_LAMBDA);

        /** Refuses a gamma that is not positive and a negative lambda, naming the setting. */
        public Settings {
            if (!(gamma > 0) || !Double.isFinite(gamma)) {
                throw new AmendException("gamma must be a positive number, got " + gamma);
            }
            if (!(lambda >= 0) || !Double.isFinite(lambda)) {
                throw new AmendException("lambda must be a finite number >= 0, got " + lambda);
            }
        }

        /** These settings with another gamma. */
        public Settings withGamma(double value) {
            return new Settings(value, lambda);
        }

        /** These settings with another lambda. */
        public Settings withLambda(double value) {
            return new Settings(gamma, value);
        }
    }

    private final double gamma;
    private final double lambda;
    private final TrainConfig train;
    private final StopRule stop;

    /** EWC-deletion with {@code settings}, training with {@code train} and stopping by {@code stop}. */
    public EwcDeletion(Settings settings, TrainConfig train, StopRule stop) {
        this.gamma = settings.gamma();
        this.lambda = settings.lambda();
        this.train = train.withWeightDecay(false).withLossSign(-1);
        this.stop = stop;
    }

    @Override
    public String name() {
        return "ewc-deletion";
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> s = Treatments.trainSettings(train, stop);
        s.put("gamma", gamma);
        s.put("lambda", lambda);
        return s;
    }

    @Override
    public TreatmentResult apply(TreatmentProblem p) {
        double[] fisher = p.fisherDiagonal();
        int n = p.train().size();
        int m = p.causes().length;
        double[] w = new double[fisher.length];
        for (int j = 0; j < w.length; j++) {
            w[j] = n * fisher[j] / gamma + lambda / (2.0 * m);
        }
        return Treatments.fineTune(p, new ExampleSet[] {p.causeSet()}, new double[] {1}, train, stop, w,
                Map.of("gamma", gamma));
    }
}
