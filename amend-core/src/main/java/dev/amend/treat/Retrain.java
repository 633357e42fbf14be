package dev.amend.treat;

import dev.amend.model.ModelHandle;
import dev.amend.train.TrainConfig;
import dev.amend.train.TrainResult;
import dev.amend.train.Trainer;
import java.util.Map;

/**
 * Retraining from scratch on D \ C with the base scheme and the base validation set: the
 * (expensive) reference every other treatment approximates.
 */
public final class Retrain implements Treatment {
    private final TrainConfig train;

    public Retrain(TrainConfig train) {
        this.train = train.withWeightDecay(true).withLossSign(1);
    }

    @Override
    public String name() {
        return "retrain";
    }

    @Override
    public Map<String, Object> settings() {
        return Treatments.trainSettings(train);
    }

    @Override
    public TreatmentResult apply(TreatmentProblem p) {
        double[] thetaStar = p.model().getParameters();
        ModelHandle fresh = ModelHandle.create(p.model().spec(), train.seed());
        try {
            TrainResult r = Trainer.train(fresh, p.remaining(),
                    p.baseValidation() != null ? p.baseValidation() : p.queryValidation(), train, null, p.listener());
            return Treatments.result(fresh, thetaStar, r, Map.of());
        } catch (RuntimeException e) {
            fresh.close();
            throw e;
        }
    }
}
