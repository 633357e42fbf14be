package dev.amend.identify;

import dev.amend.AmendException;
import dev.amend.model.ModelHandle;
import dev.amend.train.Penalty;
import dev.amend.train.TrainConfig;
import dev.amend.train.TrainResult;
import dev.amend.train.TrainingLoop;
import dev.amend.train.EpochListener;
import dev.amend.util.Progress;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * EWC-influence, the method of [T22] (Eq. 10, 11; docs/methods.md 2(a)). theta_F continues training
 * from theta* on the failure query set with the Laplace (EWC) penalty of p(theta | D):
 * <pre>
 *   minimise  mean_B l + (N / 2M) sum_j F_j (theta_j - theta*_j)^2 + (lambda / 2M) ||theta - theta*||^2
 * </pre>
 * (Eq. 10 divided by M = |F_q_fit|, so that minibatch means carry the paper's sums), with the
 * diagonal empirical Fisher F of D at theta*, early stopping on F_q_val (by default on its mean
 * loss, {@link #DEFAULT_STOP_ON}; theta* itself included),
 * and scores every training example by r(z) = log p(z | theta*) - log p(z | theta_F)
 * (Eq. 11): examples that fitting the failures makes less likely conflict with them.
 */
public final class EwcInfluence implements CauseIdentifier {
    /**
     * What early stopping watches on F_q_val: its mean loss. Accuracy on a few dozen examples
     * jumps between epochs and stopped some runs at theta_F ~ theta*, which ranks by noise
     * (docs/methods.md 2(a), measured in docs/results.md).
     */
    public static final TrainConfig.StopCriterion DEFAULT_STOP_ON = TrainConfig.StopCriterion.LOSS;

    /** Precision of the isotropic prior: 0, as the paper sets it (docs/methods.md 2(a)). */
    public static final double DEFAULT_LAMBDA = 0;

    /**
     * The settings of EWC-influence (docs/identification.md): the precision lambda of the
     * isotropic prior of Eq. 10 and what the early stopping of the fine-tuning on F_q_fit watches
     * on F_q_val. Built from {@link #DEFAULTS} with the withers.
     *
     * @param lambda precision of the isotropic prior, finite and >= 0 (default {@value EwcInfluence#DEFAULT_LAMBDA})
     * @param stopOn the early-stopping criterion (default {@link EwcInfluence#DEFAULT_STOP_ON})
     */
    public record Settings(double lambda, TrainConfig.StopCriterion stopOn) {
        /** lambda {@value EwcInfluence#DEFAULT_LAMBDA}, stopping on {@link EwcInfluence#DEFAULT_STOP_ON}. */
        public static final Settings DEFAULTS = new Settings(DEFAULT_LAMBDA, DEFAULT_STOP_ON);

        /** Refuses a lambda that is negative or not finite and a missing criterion. */
        public Settings {
            requireLambda(lambda);
            if (stopOn == null) {
                throw new AmendException("ewc-stop-on must be given (loss or accuracy)");
            }
        }

        /** These settings with another lambda. */
        public Settings withLambda(double value) {
            return new Settings(value, stopOn);
        }

        /** These settings with another early-stopping criterion. */
        public Settings withStopOn(TrainConfig.StopCriterion value) {
            return new Settings(lambda, value);
        }
    }

    /** The fine-tuning scheme of the paper with {@link #DEFAULT_STOP_ON}. */
    public static TrainConfig defaultTraining(long seed) {
        return TrainConfig.paperDefaults(seed).withStopCriterion(DEFAULT_STOP_ON);
    }

    private final double lambda;
    private final TrainConfig train;
    private final EpochListener listener;

    /**
     * @param lambda precision of the isotropic prior (the paper sets 0)
     * @param train the fine-tuning scheme (Adam 1e-3, batch 64, at most 100 epochs, patience 5); the
     *     model's weight decay is not part of Eq. 10 and is switched off, and theta* is never a
     *     candidate of its early stopping (docs/methods.md 2(a) step 3): theta_F = theta* would
     *     give every example the score 0, a ranking without information
     */
    public EwcInfluence(double lambda, TrainConfig train, EpochListener listener) {
        requireLambda(lambda);
        this.lambda = lambda;
        this.train = train.withWeightDecay(false).withLossSign(1).withStartCompetes(false);
        this.listener = listener;
    }

    /**
     * EWC-influence with {@code settings} and the paper's fine-tuning scheme seeded with {@code seed}.
     *
     * @param listener hears the epochs of the fine-tuning
     */
    public EwcInfluence(Settings settings, long seed, EpochListener listener) {
        this(settings.lambda(), defaultTraining(seed).withStopCriterion(settings.stopOn()),
                listener == null ? EpochListener.NONE : listener);
    }

    /** The paper's settings ({@link Settings#DEFAULTS}) with the given seed. */
    public static EwcInfluence withDefaults(long seed) {
        return new EwcInfluence(Settings.DEFAULTS, seed, EpochListener.NONE);
    }

    private static void requireLambda(double lambda) {
        if (!(lambda >= 0 && Double.isFinite(lambda))) {
            throw new AmendException("lambda must be a finite number >= 0, got " + lambda);
        }
    }

    @Override
    public String name() {
        return "ewc-influence";
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("lambda", lambda);
        s.put("fisher", "empirical");
        s.put("optimizer", train.optimizer().name().toLowerCase());
        s.put("learning_rate", train.learningRate());
        s.put("batch_size", train.batchSize());
        s.put("max_epochs", train.maxEpochs());
        s.put("patience", train.patience());
        s.put("stop_on", train.stopOn().name().toLowerCase(Locale.ROOT));
        s.put("start_candidate", train.startCompetes());
        s.put("seed", train.seed());
        return s;
    }

    @Override
    public Ranking identify(IdentificationProblem p) {
        ModelHandle model = p.model();
        double[] thetaStar = model.getParameters();
        long t0 = System.nanoTime();
        double[] fisher = model.fisherDiagonal(p.train());
        long t1 = System.nanoTime();
        int n = p.train().size();
        int m = p.queryFit().size();
        double[] weights = new double[fisher.length];
        for (int j = 0; j < weights.length; j++) {
            weights[j] = n / (2.0 * m) * fisher[j] + lambda / (2.0 * m);
        }
        double[] after;
        double[] othersAfter = null;
        TrainResult fit;
        long t2;
        try (ModelHandle tuned = model.copy(); Penalty penalty = Penalty.quadratic(tuned, thetaStar, weights, 1)) {
            fit = TrainingLoop.train(tuned, p.queryFit(), p.queryValidation(), train, penalty, listener);
            t2 = System.nanoTime();
            try (Progress.Task task = Progress.task("scoring " + p.train().size() + " examples", 0)) {
                after = tuned.evaluate(p.train()).loss();
            }
            if (p.others() != null) {
                // r(z) of Eq. 11 for the other examples too, with the same theta_F.
                othersAfter = tuned.evaluate(p.others()).loss();
            }
        }
        double[] before = p.trainLoss();
        long t3 = System.nanoTime();
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("fisher_seconds", (t1 - t0) / 1e9);
        facts.put("finetune_seconds", (t2 - t1) / 1e9);
        facts.put("scoring_seconds", (t3 - t2) / 1e9);
        facts.put("finetune_epochs_run", fit.epochsRun());
        facts.put("finetune_best_epoch", fit.bestEpoch());
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = after[i] - before[i];
        }
        double[] others = null;
        if (othersAfter != null) {
            double[] othersBefore = model.evaluate(p.others()).loss();
            others = new double[othersAfter.length];
            for (int i = 0; i < others.length; i++) {
                others[i] = othersAfter[i] - othersBefore[i];
            }
        }
        // The seconds of each phase and the epochs of the fine-tuning come back with the ranking.
        return new Ranking(name(), r, others, facts);
    }
}
