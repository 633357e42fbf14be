package dev.amend.run;

import dev.amend.model.ModelSpec.Precision;
import dev.amend.run.format.TrainRunSpec;
import dev.amend.train.TrainConfig;
import java.nio.file.Path;
import java.util.Map;

/** Small seeded training runs on {@link TinyData}: the set-up the repair tests share. */
final class TinyRuns {
    private TinyRuns() {
    }

    /**
     * The run of {@code RepairTest} and {@code HeldOutCheckTest}: 300 training and 200 test rows
     * (data seed 3), labels 0 and 1 swapped at 30%, an MLP with 8 hidden units, seed 2, 4 epochs.
     */
    static TrainRunResult swappedLabels(Path dir) {
        return mlp(dir, 300, 200, 3, "label-flip:pairs=0-1,rate=0.3", 8, 2, 4);
    }

    /**
     * An MLP with {@code hidden} units trained with {@code seed} on {@code n} training and
     * {@code m} test rows of {@link TinyData} (drawn with {@code dataSeed}, written below
     * {@code dir}) corrupted by {@code scenario}: the base protocol (10% held out for early
     * stopping, float32) with batches of 32 and at most {@code maxEpochs} epochs.
     */
    static TrainRunResult mlp(Path dir, int n, int m, long dataSeed, String scenario, int hidden, long seed,
            int maxEpochs) {
        String data = TinyData.csv(dir.resolve("data"), n, m, dataSeed);
        TrainRunSpec spec = new TrainRunSpec(data, 3000, 0, scenario, "mlp", Map.of("hidden", Integer.toString(hidden)),
                seed, 0.1, 0, Precision.FLOAT32,
                TrainConfig.baseDefaults(seed).withMaxEpochs(maxEpochs).withBatchSize(32), false);
        return TrainRun.run(spec, TrainRun.Listener.NONE);
    }
}
