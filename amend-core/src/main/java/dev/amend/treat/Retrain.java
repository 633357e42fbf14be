package dev.amend.treat;

import dev.amend.model.ModelHandle;
import dev.amend.train.TrainConfig;
import dev.amend.train.TrainResult;
import dev.amend.train.TrainingLoop;
import java.util.Map;

/**
 * Retraining from scratch on D \ C with the base scheme, early stopping by a {@link StopRule}
 * (default: the base validation loss): the (expensive) reference every other treatment
 * approximates.
 */
public final class Retrain implements Treatment {
    private final TrainConfig train;
    private final StopRule stop;

    public Retrain(TrainConfig train, StopRule stop) {
        this.train = train.withWeightDecay(true).withLossSign(1);
        this.stop = stop;
    }

    @Override
    public String name() {
        return "retrain";
    }

    @Override
    public Map<String, Object> settings() {
        return Treatments.trainSettings(train, stop);
    }

    @Override
    public TreatmentResult apply(TreatmentProblem p) {
        double[] thetaStar = p.model().getParameters();
        ModelHandle fresh = p.model().reinitialised(train.seed());
        try {
            TrainResult r = TrainingLoop.train(fresh, p.remaining(), stop.checkSet(p),
                    train.withStopCriterion(stop.metric()), null, p.listener());
            return Treatments.result(fresh, thetaStar, r, Map.of("stop_rule", stop.describeFor(p)));
        } catch (RuntimeException e) {
            fresh.close();
            throw e;
        }
    }
}
