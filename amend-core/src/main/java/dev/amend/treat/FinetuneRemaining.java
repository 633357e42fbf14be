package dev.amend.treat;

import dev.amend.data.ExampleSet;
import dev.amend.train.TrainConfig;
import java.util.Map;

/**
 * Fine-tuning on D \ C ([T22] Section 2.2, Example 1; docs/methods.md 3(c)): continue training theta*
 * on the remaining data with the standard scheme (the model's weight decay included), early
 * stopping by a {@link StopRule} (default: the base validation loss, docs/methods.md 3). The
 * paper's measure of the quality of a cause set (Fig. 3, 4, 6).
 */
public final class FinetuneRemaining implements Treatment {
    private final TrainConfig train;
    private final StopRule stop;

    public FinetuneRemaining(TrainConfig train, StopRule stop) {
        this.train = train.withWeightDecay(true).withLossSign(1);
        this.stop = stop;
    }

    @Override
    public String name() {
        return "finetune-remaining";
    }

    @Override
    public Map<String, Object> settings() {
        return Treatments.trainSettings(train, stop);
    }

    @Override
    public TreatmentResult apply(TreatmentProblem p) {
        return Treatments.fineTune(p, new ExampleSet[] {p.remaining()}, new double[] {1}, train, stop, null, Map.of());
    }
}
