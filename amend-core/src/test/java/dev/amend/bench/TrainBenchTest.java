package dev.amend.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.amend.AmendException;
import dev.amend.run.TinyData;
import dev.amend.train.EpochRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainBenchTest {
    @TempDir
    Path dir;

    @Test
    void countsTimedEpochsPerRepeatAndLeavesTheWarmUpOut() {
        String data = TinyData.csv(dir, 96, 16, 28, 3);
        List<String> heard = new ArrayList<>();

        TrainBench.Result r = TrainBench.run(data, 2, 3, false, 5, new TrainBench.Listener() {
            @Override
            public void timedEpoch(int repeat, int repeats, EpochRecord record, int maxEpochs, boolean warmup) {
                heard.add(repeat + "/" + repeats + " " + record.epoch() + "/" + maxEpochs + (warmup ? " warm-up" : ""));
            }
        });

        assertThat(heard).containsExactly("1/3 1/3 warm-up", "1/3 2/3", "1/3 3/3", "2/3 1/3 warm-up", "2/3 2/3",
                "2/3 3/3", "3/3 1/3 warm-up", "3/3 2/3", "3/3 3/3");
        assertThat(r.epochSeconds()).hasSize(3).allSatisfy(times -> assertThat(times).hasSize(2));
        assertThat(r.repeatMedians()).hasSize(3);
        List<Double> all = r.epochSeconds().stream().flatMap(List::stream).toList();
        assertThat(all).allSatisfy(s -> assertThat(s).isPositive());
        assertThat(r.min()).isEqualTo(all.stream().mapToDouble(Double::doubleValue).min().orElseThrow());
        assertThat(r.max()).isEqualTo(all.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
        assertThat(r.median()).isBetween(r.min(), r.max());
        TrainBench.Settings s = r.settings();
        assertThat(s.model()).isEqualTo(TrainBench.MODEL);
        assertThat(s.data()).isEqualTo(data);
        assertThat(s.images()).isEqualTo(96);
        assertThat(s.epochs()).isEqualTo(2);
        assertThat(s.repeats()).isEqualTo(3);
        assertThat(s.warmupEpochs()).isEqualTo(TrainBench.WARMUP_EPOCHS);
        assertThat(s.threads()).isPositive();
        assertThat(r.targetSeconds()).isEqualTo(TrainBench.TARGET_SECONDS);
        assertThat(r.met()).isEqualTo(r.median() <= TrainBench.TARGET_SECONDS);
        assertThat(r.full()).isNull();
    }

    @Test
    void refusesNoTimedEpochs() {
        assertThatThrownBy(() -> TrainBench.run("mnist", 0, 1, false, 0, new TrainBench.Listener() {
        })).isInstanceOf(AmendException.class).hasMessageContaining("epochs and repeats must be at least 1");
    }
}
