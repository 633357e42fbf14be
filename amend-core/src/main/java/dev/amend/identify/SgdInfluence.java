package dev.amend.identify;

import dev.amend.AmendException;
import dev.amend.data.ExampleSet;
import dev.amend.model.ModelHandle;
import dev.amend.model.ModelHandle.Curvature;
import dev.amend.train.TrainingLoop;
import dev.amend.train.Trajectory;
import dev.amend.util.Progress;
import dev.amend.util.Vectors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * SGD-influence (Hara, Nitanda and Maehara 2019; docs/methods.md 2(c)): differentiates the recorded
 * plain-SGD trajectory with respect to dropping example j from every minibatch (divisor |S_t|
 * kept). Backward pass from u = grad mean_Fq l(theta_T):
 * <pre>
 *   for t = T-1 .. 0:  infl[i] += (eta_t / |S_t|) u . grad lt(z_i; theta_t)   for i in S_t
 *                      u &lt;- u - eta_t H_t u
 * </pre>
 * with lt the per-example training objective (loss plus weight decay if it was trained with it)
 * and H_t the Hessian of its minibatch mean at theta_t. infl[j] approximates the change of the
 * query loss when z_j is removed; the score is -infl[j]. The parameters theta_t are replayed
 * from checkpoints segment by segment (memory about 2 sqrt(T) P).
 */
public final class SgdInfluence implements CauseIdentifier {
    /** A last-epochs value of 0 goes back through every epoch. */
    public static final int ALL_EPOCHS = 0;
    /** The backward pass covers the whole trajectory ({@link #ALL_EPOCHS}). */
    public static final int DEFAULT_LAST_EPOCHS = ALL_EPOCHS;
    /**
     * The auxiliary run starts at theta* itself (docs/methods.md 2(c)): from theta*'s
     * initialisation, plain SGD left the paper's CNN untrained (test accuracy 0.14 after 20
     * epochs), so the scores explained a model other than the one that fails.
     */
    public static final AuxiliaryStart DEFAULT_AUXILIARY_START = AuxiliaryStart.THETA_STAR;

    /**
     * The settings of SGD-influence (docs/identification.md): how many of the last epochs the
     * backward pass covers, and where an auxiliary plain-SGD run starts when the model has no
     * trajectory of its own (used by the experiment package, which trains that run).
     *
     * @param lastEpochs the last E epochs only, or {@link #ALL_EPOCHS} (default)
     * @param auxiliaryStart default {@link #DEFAULT_AUXILIARY_START}
     */
    public record Settings(int lastEpochs, AuxiliaryStart auxiliaryStart) {
        /** Every epoch, auxiliary run from theta* ({@link #DEFAULT_AUXILIARY_START}). */
        public static final Settings DEFAULTS = new Settings(DEFAULT_LAST_EPOCHS, DEFAULT_AUXILIARY_START);

        /** Refuses a negative last-epochs and a missing auxiliary start. */
        public Settings {
            if (lastEpochs < 0) {
                throw new AmendException("last-epochs must be at least 1 (or 0 for all), got " + lastEpochs);
            }
            if (auxiliaryStart == null) {
                throw new AmendException("auxiliary-start must be given (init or theta-star)");
            }
        }

        /** These settings with another last-epochs. */
        public Settings withLastEpochs(int value) {
            return new Settings(value, auxiliaryStart);
        }

        /** These settings with another auxiliary start. */
        public Settings withAuxiliaryStart(AuxiliaryStart value) {
            return new Settings(lastEpochs, value);
        }
    }

    private final int lastEpochs;

    /**
     * Where the auxiliary plain-SGD run starts when the scored model has no plain-SGD trajectory
     * of its own (the experiment package trains it).
     */
    public enum AuxiliaryStart {
        /** theta*'s initial parameters ([H19]'s setting; docs/methods.md 2(c)): a separate training run. */
        INIT,
        /** theta* itself (default): a short plain-SGD continuation, whose trajectory SGD-influence replays. */
        THETA_STAR;

        /** The option value: init or theta-star. */
        public String text() {
            return this == INIT ? "init" : "theta-star";
        }

        /** Parses init or theta-star; anything else is the user's error. */
        public static AuxiliaryStart parse(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "init" -> INIT;
                case "theta-star" -> THETA_STAR;
                default -> throw new AmendException("auxiliary-start must be init or theta-star, got '" + value + "'");
            };
        }
    }

    /** SGD-influence with {@code settings} (the auxiliary start is the experiment package's concern). */
    public SgdInfluence(Settings settings) {
        this.lastEpochs = settings.lastEpochs();
    }

    /** @param lastEpochs restrict the backward pass to the last E epochs ({@link #ALL_EPOCHS} = all) */
    public SgdInfluence(int lastEpochs) {
        this(Settings.DEFAULTS.withLastEpochs(lastEpochs));
    }

    @Override
    public String name() {
        return "sgd-influence";
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("last_epochs", lastEpochs == 0 ? "all" : lastEpochs);
        return s;
    }

    @Override
    public Ranking identify(IdentificationProblem p) {
        Trajectory tr = p.trajectory();
        if (tr == null) {
            throw new AmendException("sgd-influence needs a recorded plain-SGD training run; this model was not trained"
                    + " with one (train with --optimizer sgd --record-trajectory, or ask for an auxiliary SGD run)");
        }
        ExampleSet d = p.train();
        int n = d.size();
        int steps = tr.steps();
        int first = lastEpochs == 0 ? 0 : Math.max(0, steps - lastEpochs * tr.stepsPerEpoch());
        double alpha = p.model().spec().weightDecay();
        double decay = tr.weightDecay() ? alpha : 0;
        double[] infl = new double[n];
        try (ModelHandle work = p.model().copy();
                Progress.Task task = Progress.task("SGD-influence replay (steps back)", steps - first)) {
            work.setParameters(tr.finalParameters());
            double[] u = work.meanLossGradient(p.query(), false);
            int segmentEnd = steps;
            while (segmentEnd > first) {
                Map.Entry<Integer, double[]> cp = tr.checkpointAtOrBefore(segmentEnd - 1);
                int segmentStart = cp.getKey();
                List<double[]> thetas = new ArrayList<>();
                work.setParameters(cp.getValue());
                for (int t = segmentStart; t < segmentEnd; t++) {
                    thetas.add(work.getParameters());
                    if (t + 1 < segmentEnd) {
                        TrainingLoop.replay(work, d, tr, t, t + 1);
                    }
                }
                for (int t = segmentEnd - 1; t >= Math.max(segmentStart, first); t--) {
                    double[] theta = thetas.get(t - segmentStart);
                    work.setParameters(theta);
                    int[] batch = tr.batch(t);
                    double eta = tr.rate(t);
                    ExampleSet b = d.subset(batch);
                    double[] ug = dot(work, b, u);
                    double uTheta = decay == 0 ? 0 : decay * Vectors.dot(u, theta);
                    for (int k = 0; k < batch.length; k++) {
                        infl[batch[k]] += eta / batch.length * (ug[k] + uTheta);
                    }
                    double[] hu = work.curvatureVectorProduct(Curvature.HESSIAN, b, u);
                    if (decay != alpha) {
                        hu = Vectors.axpy(hu, decay - alpha, u);
                    }
                    u = Vectors.axpy(u, -eta, hu);
                    task.step();
                }
                segmentEnd = segmentStart;
            }
        }
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            scores[i] = -infl[i];
        }
        return new Ranking(name(), scores);
    }

    private static double[] dot(ModelHandle model, ExampleSet batch, double[] u) {
        return LinearInfluence.dotWithGradients(model, batch, u, 1);
    }
}
