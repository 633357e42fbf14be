package dev.amend.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.amend.provenance.Provenance;
import dev.amend.run.TinyData;
import dev.amend.run.TrainRun;
import dev.amend.run.format.TrainRunSpec;
import dev.amend.train.TrainConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The retain experiment end to end on one tiny base run. */
class RetainExperimentTest {
    @TempDir
    Path dir;

    @Test
    void everyMethodTreatsEveryCauseSetOfTheAskedPrecision() {
        String data = TinyData.csv(dir.resolve("data"), 400, 300, 11);
        TrainRunSpec base = new TrainRunSpec(data, 3000, 0, "label-flip:pairs=0>1,rate=0.4", "mlp",
                Map.of("hidden", "8"), 4, 0.1, 0, dev.amend.model.ModelSpec.Precision.FLOAT32,
                TrainConfig.baseDefaults(4).withMaxEpochs(10).withBatchSize(32), false);
        RetainExperiment.Spec spec = new RetainExperiment.Spec(base, 1, false, List.of(), List.of(1.0, 0.5),
                List.of(0.15), 10, 0.8, 2);
        Path out = dir.resolve("out");

        RetainExperiment.Result r = RetainExperiment.run(spec, TrainRun.Listener.NONE, out,
                Provenance.capture("experiment retain", List.of(), 4, Instant.now()));

        assertThat(r.points()).hasSize(3 * RetainExperiment.METHODS.size());
        for (RetainExperiment.Point p : r.points()) {
            if (p.set().equals("p=1.00")) {
                assertThat(p.precision()).isEqualTo(1.0);
            } else if (p.set().equals("p=0.50")) {
                // round(p k) corrupted examples of k.
                assertThat(p.precision()).isEqualTo(Math.round(0.5 * p.causes()) / (double) p.causes());
            } else {
                assertThat(p.set()).isEqualTo("top 15%");
                assertThat(p.causes()).isEqualTo(Math.round(0.15 * 360));
            }
            assertThat(p.accuracy().test()).isBetween(0.0, 1.0);
            assertThat(p.retain() != null).isEqualTo(p.method().startsWith(RetainExperiment.RETAIN));
        }
        assertThat(r.paired()).anyMatch(p -> p.method().equals(RetainExperiment.RETAIN)
                && p.reference().equals(RetainExperiment.DELETE_ALL) && p.runs() == 1);
        for (String file : List.of("results.json", "table.md", "retain-T.png", "retain-F_h.png",
                "retain-T_minus_F.png", "retain-T.svg", "retain-F_h.svg", "retain-T_minus_F.svg", "spec.json", "provenance.json")) {
            assertThat(out.resolve(file)).as(file).isRegularFile();
        }
    }
}
