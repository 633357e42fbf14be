package dev.amend.treat;

import dev.amend.data.Dataset;
import dev.amend.train.TrainConfig;
import java.util.Map;

/**
 * Fine-tuning on D \ C ([T22] Section 2.2, Example 1; METHODS.md 3(c)): continue training theta*
 * on the remaining data with the standard scheme (the model's weight decay included), early
 * stopping on F_q_val. The paper's measure of the quality of a cause set (Fig. 3, 4, 6).
 */
public final class FinetuneRemaining implements Treatment {
    private final TrainConfig train;

    public FinetuneRemaining(TrainConfig train) {
        this.train = train.withWeightDecay(true).withLossSign(1);
    }

    @Override
    public String name() {
        return "finetune-remaining";
    }

    @Override
    public Map<String, Object> settings() {
        return Treatments.trainSettings(train);
    }

    @Override
    public TreatmentResult apply(TreatmentProblem p) {
        return Treatments.fineTune(p, new Dataset[] {p.remaining()}, new double[] {1}, train, null, Map.of());
    }
}
