package dev.amend.treat;

import dev.amend.model.ModelHandle;
import dev.amend.train.Penalty;
import dev.amend.train.TrainConfig;
import dev.amend.train.TrainResult;
import dev.amend.train.TrainingLoop;
import dev.amend.data.ExampleSet;
import dev.amend.util.Vectors;
import java.util.LinkedHashMap;
import java.util.Map;

/** Shared pieces of the fine-tuning treatments. */
final class Treatments {
    private Treatments() {
    }

    /**
     * Fine-tunes a copy of theta* on the given sets, early stopping by {@code rule}, and wraps it
     * with its training facts.
     */
    static TreatmentResult fineTune(TreatmentProblem p, ExampleSet[] sets, double[] weights, TrainConfig cfg, StopRule rule,
            double[] penaltyWeights, Map<String, Object> extra) {
        return fineTune(p, p.model(), sets, weights, cfg, rule, penaltyWeights, extra);
    }

    /**
     * The same, starting from {@code start} instead of theta* (the penalty still pulls towards
     * theta*, and the distance reported is still to theta*).
     */
    static TreatmentResult fineTune(TreatmentProblem p, ModelHandle start, ExampleSet[] sets, double[] weights,
            TrainConfig cfg, StopRule rule, double[] penaltyWeights, Map<String, Object> extra) {
        double[] thetaStar = p.model().getParameters();
        ModelHandle tuned = start.copy();
        TrainConfig c = cfg.withStopCriterion(rule.metric());
        ExampleSet check = rule.checkSet(p);
        Map<String, Object> details = new LinkedHashMap<>(extra);
        details.put("stop_rule", rule.describeFor(p));
        try {
            TrainResult r;
            if (penaltyWeights == null) {
                r = TrainingLoop.train(tuned, sets, weights, check, c, null, p.listener());
            } else {
                try (Penalty penalty = Penalty.quadratic(tuned, thetaStar, penaltyWeights, 1)) {
                    r = TrainingLoop.train(tuned, sets, weights, check, c, penalty, p.listener());
                }
            }
            return result(tuned, thetaStar, r, details);
        } catch (RuntimeException e) {
            tuned.close();
            throw e;
        }
    }

    static TreatmentResult result(ModelHandle repaired, double[] thetaStar, TrainResult r, Map<String, Object> extra) {
        Map<String, Object> details = new LinkedHashMap<>(extra);
        if (r != null) {
            details.put("epochs_run", r.epochsRun());
            details.put("best_epoch", r.bestEpoch());
            details.put("seconds", r.seconds());
        }
        double distance = Vectors.norm(Vectors.axpy(repaired.getParameters(), -1, thetaStar));
        return new TreatmentResult(repaired, distance, details);
    }

    static double[] constant(int n, double value) {
        double[] w = new double[n];
        java.util.Arrays.fill(w, value);
        return w;
    }

    static Map<String, Object> trainSettings(TrainConfig cfg, StopRule rule) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("optimizer", cfg.optimizer().name().toLowerCase());
        s.put("learning_rate", cfg.learningRate());
        s.put("batch_size", cfg.batchSize());
        s.put("max_epochs", cfg.maxEpochs());
        s.put("patience", cfg.patience());
        s.put("stop_on", rule.toString());
        s.put("start_candidate", cfg.startCompetes());
        s.put("seed", cfg.seed());
        return s;
    }
}
