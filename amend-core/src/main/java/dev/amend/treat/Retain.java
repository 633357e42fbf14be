package dev.amend.treat;

import dev.amend.AmendException;
import dev.amend.data.ExampleSet;
import dev.amend.model.ModelHandle;
import dev.amend.train.TrainConfig;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Retain the beneficial part of the flagged examples (docs/methods.md 5, after the idea of Huang
 * et al., NeurIPS 2023: flagged data mix beneficial and detrimental information). Instead of
 * deleting every cause, a counterfactual model that has not seen them decides, per flagged
 * example z = (x, y) in C, whether z is benign (restore it), mislabelled (keep x with the
 * counterfactual's label) or neither (delete it):
 * <ol>
 *   <li>theta_del = theta* fine-tuned on (D \ C) + D_c_fit, early stopping by the {@link StopRule}
 *       (default: the loss on D_c_val and F_q_val); theta_del is also what deleting all of C
 *       gives under the same clean set;</li>
 *   <li>for z in C: p = p(. | x, theta_del), yhat = argmax p: yhat = y: RESTORE; else p[yhat] >=
 *       tau: RELABEL to yhat; else DELETE;</li>
 *   <li>{@link Variant#FINETUNE} (default): theta_rep = theta_del fine-tuned on the corrected data
 *       (D with relabelled examples, without deleted ones) + D_c_fit, the same stopping rule, with
 *       theta_del itself a candidate (epoch 0) unless {@code counterfactualCandidate} is off.
 *       {@link Variant#EWC}: from theta*, replace the factors of the changed examples in the
 *       Laplace posterior ([T22] Eq. 13, 15): minimise mean_{L'} l - mean_{L + X} l + (N / gamma)
 *       sum_j F_j (theta_j - theta*_j)^2, L' the relabelled examples with their new labels, L + X
 *       the relabelled and deleted ones with their old labels, F the mean diagonal Fisher of D
 *       (the reading of gamma of {@link EwcDeletion}); restored examples are untouched.</li>
 * </ol>
 * Needs a clean set in the problem ({@link TreatmentProblem#clean()}).
 */
public final class Retain implements Treatment {
    /** The key under which {@link #apply} leaves its {@link Decisions} in the result's details. */
    public static final String DECISIONS = "retain_decisions";
    /** tau: the counterfactual's confidence needed to relabel (docs/methods.md 5). */
    public static final double DEFAULT_CONFIDENCE = 0.8;
    /**
     * Whether theta_del competes as epoch 0 of the final fine-tuning: off. With it on, the
     * small stopping set (D_c_val and F_q_val) kept theta_del on most Fashion-MNIST runs, so that
     * retain was delete-all; over five MNIST and five Fashion-MNIST base runs and seven cause
     * sets each, retain minus delete-all was +0.89 points of T on average with it off and +0.12
     * with it on, better off in 11 of the 14 cells (docs/results.md, "Retain against delete-all").
     */
    public static final boolean DEFAULT_COUNTERFACTUAL_CANDIDATE = false;

    /** The corrected data reach the model by fine-tuning theta_del ({@link Variant#FINETUNE}). */
    public static final Variant DEFAULT_VARIANT = Variant.FINETUNE;
    /** gamma of the {@link Variant#EWC} variant: EWC-deletion's default, the same reading of gamma. */
    public static final double DEFAULT_GAMMA = EwcDeletion.DEFAULT_GAMMA;

    /**
     * The settings of retain (docs/treatment.md). Built from {@link #DEFAULTS} with the withers.
     *
     * @param relabelConfidence tau in [0, 1] (default {@value Retain#DEFAULT_CONFIDENCE})
     * @param variant how the corrected data reach the model (default {@link Retain#DEFAULT_VARIANT})
     * @param gamma the {@link Variant#EWC} variant's deletion strength, positive (default {@value Retain#DEFAULT_GAMMA})
     * @param counterfactualCandidate the {@link Variant#FINETUNE} variant: whether theta_del competes as
     *     epoch 0 (default {@value Retain#DEFAULT_COUNTERFACTUAL_CANDIDATE})
     */
    public record Settings(double relabelConfidence, Variant variant, double gamma, boolean counterfactualCandidate) {
        /** Every setting at its {@code DEFAULT_*} constant. */
        public static final Settings DEFAULTS = new Settings(DEFAULT_CONFIDENCE, DEFAULT_VARIANT, DEFAULT_GAMMA,
                DEFAULT_COUNTERFACTUAL_CANDIDATE);

        /** Refuses values out of range, naming the setting. */
        public Settings {
            if (!(relabelConfidence >= 0 && relabelConfidence <= 1)) {
                throw new AmendException("relabel-confidence must be in [0, 1], got " + relabelConfidence);
            }
            if (variant == null) {
                throw new AmendException("variant must be given (finetune or ewc)");
            }
            if (!(gamma > 0) || !Double.isFinite(gamma)) {
                throw new AmendException("gamma must be a positive number, got " + gamma);
            }
        }

        /** These settings with another relabel confidence tau. */
        public Settings withRelabelConfidence(double value) {
            return new Settings(value, variant, gamma, counterfactualCandidate);
        }

        /** These settings with another variant. */
        public Settings withVariant(Variant value) {
            return new Settings(relabelConfidence, value, gamma, counterfactualCandidate);
        }

        /** These settings with another gamma (variant ewc). */
        public Settings withGamma(double value) {
            return new Settings(relabelConfidence, variant, value, counterfactualCandidate);
        }

        /** These settings with theta_del a candidate or not (variant finetune). */
        public Settings withCounterfactualCandidate(boolean value) {
            return new Settings(relabelConfidence, variant, gamma, value);
        }
    }

    /** How the corrected data reach the model. */
    public enum Variant {
        /** Fine-tune theta_del on the corrected data and D_c_fit. */
        FINETUNE,
        /** Edit theta*'s posterior: add the relabelled factors, remove the old ones (no pass over D). */
        EWC;

        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Variant parse(String text) {
            for (Variant v : values()) {
                if (v.text().equalsIgnoreCase(text == null ? "" : text.strip())) {
                    return v;
                }
            }
            throw new AmendException("unknown retain variant '" + text + "'; valid: finetune, ewc");
        }
    }

    /** What happens to one flagged example. */
    public enum Decision {
        RESTORE, RELABEL, DELETE;

        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final double confidence;
    private final Variant variant;
    private final double gamma;
    private final boolean counterfactualCandidate;
    private final TrainConfig train;
    private final StopRule stop;

    /** Retain with {@code settings}, training with {@code train} and stopping by {@code stop}. */
    public Retain(Settings settings, TrainConfig train, StopRule stop) {
        this.confidence = settings.relabelConfidence();
        this.variant = settings.variant();
        this.gamma = settings.gamma();
        this.counterfactualCandidate = settings.counterfactualCandidate();
        this.train = train.withLossSign(1);
        this.stop = stop;
    }

    @Override
    public String name() {
        return "retain";
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> s = Treatments.trainSettings(train, stop);
        s.put("relabel_confidence", confidence);
        s.put("variant", variant.text());
        if (variant == Variant.EWC) {
            s.put("gamma", gamma);
        } else {
            s.put("counterfactual_candidate", counterfactualCandidate);
        }
        return s;
    }

    @Override
    public TreatmentResult apply(TreatmentProblem p) {
        TreatmentResult counterfactual = counterfactual(p);
        try {
            Decisions d = decide(p, counterfactual.model());
            TreatmentResult r = correct(p, counterfactual.model(), d);
            Map<String, Object> details = new LinkedHashMap<>(r.details());
            details.put("counterfactual_best_epoch", counterfactual.details().get("best_epoch"));
            details.put("counterfactual_epochs_run", counterfactual.details().get("epochs_run"));
            details.put(DECISIONS, d);
            return new TreatmentResult(r.model(), r.parameterDistance(), details);
        } finally {
            counterfactual.model().close();
        }
    }

    /**
     * Step 1: theta_del, theta* fine-tuned without the flagged set and with D_c_fit; the caller
     * closes its model. The same model is the "delete all, with the clean set" baseline.
     */
    public TreatmentResult counterfactual(TreatmentProblem p) {
        CleanSet clean = requireClean(p);
        return Treatments.fineTune(p, new ExampleSet[] {p.remaining().concat(clean.fit())}, new double[] {1},
                train.withWeightDecay(true), stop, null, Map.of());
    }

    /** Step 2: the counterfactual's decision for every flagged example, in the order of C. */
    public Decisions decide(TreatmentProblem p, ModelHandle counterfactual) {
        ExampleSet causes = p.causeSet();
        float[][] prob = counterfactual.probabilities(causes);
        int m = causes.size();
        int[] old = causes.labels();
        int[] predicted = new int[m];
        double[] conf = new double[m];
        Decision[] decisions = new Decision[m];
        for (int i = 0; i < m; i++) {
            int best = 0;
            for (int k = 1; k < prob[i].length; k++) {
                if (prob[i][k] > prob[i][best]) {
                    best = k;
                }
            }
            predicted[i] = best;
            conf[i] = prob[i][best];
            decisions[i] = best == old[i] ? Decision.RESTORE : conf[i] >= confidence ? Decision.RELABEL : Decision.DELETE;
        }
        return new Decisions(p.causes(), old, predicted, conf, decisions);
    }

    /**
     * Step 3 with given decisions: the corrected data reach the model by this treatment's variant,
     * starting from {@code counterfactual} (fine-tuning) or from theta* (EWC). The caller closes
     * the returned model.
     */
    public TreatmentResult correct(TreatmentProblem p, ModelHandle counterfactual, Decisions d) {
        CleanSet clean = requireClean(p);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("restored", d.count(Decision.RESTORE));
        extra.put("relabelled", d.count(Decision.RELABEL));
        extra.put("deleted", d.count(Decision.DELETE));
        if (variant == Variant.FINETUNE) {
            return Treatments.fineTune(p, counterfactual, new ExampleSet[] {d.corrected(p.train()).concat(clean.fit())},
                    new double[] {1}, train.withWeightDecay(true).withStartCompetes(counterfactualCandidate), stop, null,
                    extra);
        }
        int[] relabelled = d.positions(Decision.RELABEL);
        int[] changed = IntStream.concat(Arrays.stream(relabelled), Arrays.stream(d.positions(Decision.DELETE)))
                .toArray();
        if (changed.length == 0) {
            // Every flagged example is restored: the posterior keeps all its factors, theta_rep = theta*.
            return Treatments.result(p.model().copy(), p.model().getParameters(), null, extra);
        }
        ExampleSet removed = p.train().subset(changed);
        double[] fisher = p.fisherDiagonal();
        int n = p.train().size();
        double[] w = new double[fisher.length];
        for (int j = 0; j < w.length; j++) {
            w[j] = n * fisher[j] / gamma;
        }
        TrainConfig cfg = train.withWeightDecay(false);
        if (relabelled.length == 0) {
            return Treatments.fineTune(p, new ExampleSet[] {removed}, new double[] {-1}, cfg, stop, w, extra);
        }
        ExampleSet added = p.train().subset(relabelled).withLabels(d.newLabels(relabelled));
        return Treatments.fineTune(p, new ExampleSet[] {added, removed}, new double[] {1, -1}, cfg, stop, w, extra);
    }

    private static CleanSet requireClean(TreatmentProblem p) {
        if (p.clean() == null) {
            throw new AmendException("the retain treatment needs a trusted clean set (clean-per-class or clean-data)");
        }
        return p.clean();
    }

    /**
     * The decision for every flagged example, in the order of C.
     *
     * @param causes positions of C in D
     * @param oldLabels the labels trained on
     * @param predicted the counterfactual's argmax class (the new label of a relabelled example)
     * @param confidence the counterfactual's probability of that class
     * @param decisions restore, relabel or delete
     */
    public record Decisions(int[] causes, int[] oldLabels, int[] predicted, double[] confidence,
            Decision[] decisions) {

        public Decisions {
            int m = causes.length;
            if (oldLabels.length != m || predicted.length != m || confidence.length != m || decisions.length != m) {
                throw new IllegalArgumentException("decision arrays differ in length");
            }
        }

        /**
         * The decisions an oracle takes (docs/methods.md 5.3, the upper bound): an example whose
         * label is its true one is restored, any other is relabelled to its true label.
         */
        public static Decisions oracle(int[] causes, int[] oldLabels, int[] trueLabels) {
            int m = causes.length;
            Decision[] d = new Decision[m];
            int[] predicted = new int[m];
            for (int i = 0; i < m; i++) {
                predicted[i] = trueLabels[causes[i]];
                d[i] = predicted[i] == oldLabels[i] ? Decision.RESTORE : Decision.RELABEL;
            }
            double[] conf = new double[m];
            Arrays.fill(conf, 1);
            return new Decisions(causes.clone(), oldLabels.clone(), predicted, conf, d);
        }

        /** How many flagged examples got decision {@code d}. */
        public int count(Decision d) {
            return (int) Arrays.stream(decisions).filter(x -> x == d).count();
        }

        /** The label an example has after the decision: old (restore), predicted (relabel), -1 (delete). */
        public int newLabel(int i) {
            return switch (decisions[i]) {
                case RESTORE -> oldLabels[i];
                case RELABEL -> predicted[i];
                case DELETE -> -1;
            };
        }

        /** Positions in D of the examples with decision {@code d}, in the order of C. */
        public int[] positions(Decision d) {
            return IntStream.range(0, causes.length).filter(i -> decisions[i] == d).map(i -> causes[i]).toArray();
        }

        /** The new labels of the examples at the given positions in D. */
        int[] newLabels(int[] positions) {
            Map<Integer, Integer> label = new LinkedHashMap<>();
            for (int i = 0; i < causes.length; i++) {
                label.put(causes[i], newLabel(i));
            }
            return Arrays.stream(positions).map(label::get).toArray();
        }

        /** D corrected: relabelled examples with their new label, deleted ones left out, training order kept. */
        public ExampleSet corrected(ExampleSet train) {
            int[] labels = train.labels();
            boolean[] deleted = new boolean[train.size()];
            for (int i = 0; i < causes.length; i++) {
                if (decisions[i] == Decision.DELETE) {
                    deleted[causes[i]] = true;
                } else {
                    labels[causes[i]] = newLabel(i);
                }
            }
            int[] keep = IntStream.range(0, train.size()).filter(i -> !deleted[i]).toArray();
            return train.withLabels(labels).subset(keep);
        }

        /**
         * The counts, and with ground truth ({@code corrupted} and {@code trueLabels} by position
         * in D, either null when unknown) restore precision (the share of restored examples that
         * are benign), relabel accuracy (the share of relabelled ones whose new label is the true
         * label) and benign recall (the share of the benign flagged examples that were restored);
         * each null when its set is empty or the truth unknown.
         */
        public Summary summary(boolean[] corrupted, int[] trueLabels) {
            Double precision = null;
            Double accuracy = null;
            Double recall = null;
            if (corrupted != null && trueLabels != null) {
                int restored = 0;
                int restoredBenign = 0;
                int relabelled = 0;
                int relabelledRight = 0;
                int benign = 0;
                for (int i = 0; i < causes.length; i++) {
                    boolean isBenign = !corrupted[causes[i]];
                    benign += isBenign ? 1 : 0;
                    if (decisions[i] == Decision.RESTORE) {
                        restored++;
                        restoredBenign += isBenign ? 1 : 0;
                    } else if (decisions[i] == Decision.RELABEL) {
                        relabelled++;
                        relabelledRight += predicted[i] == trueLabels[causes[i]] ? 1 : 0;
                    }
                }
                precision = restored == 0 ? null : restoredBenign / (double) restored;
                accuracy = relabelled == 0 ? null : relabelledRight / (double) relabelled;
                int benignRestored = restoredBenign;
                recall = benign == 0 ? null : benignRestored / (double) benign;
            }
            return new Summary(count(Decision.RESTORE), count(Decision.RELABEL), count(Decision.DELETE), precision,
                    accuracy, recall);
        }
    }

    /**
     * What metrics.json reports of the decisions (docs/metrics.md).
     *
     * @param restored |R|
     * @param relabelled |L|
     * @param deleted |X|
     * @param restorePrecision the share of R that is benign, or null
     * @param relabelAccuracy the share of L relabelled to the true label, or null
     * @param benignRecall the share of the benign flagged examples that were restored, or null
     */
    public record Summary(int restored, int relabelled, int deleted,
            @com.fasterxml.jackson.annotation.JsonProperty("restore_precision") Double restorePrecision,
            @com.fasterxml.jackson.annotation.JsonProperty("relabel_accuracy") Double relabelAccuracy,
            @com.fasterxml.jackson.annotation.JsonProperty("benign_recall") Double benignRecall) {
    }
}
