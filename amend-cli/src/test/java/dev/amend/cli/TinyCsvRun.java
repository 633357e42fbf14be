package dev.amend.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A run made by {@code amend train} on {@link TinyCsv} data: the set-up the command tests share. */
record TinyCsvRun(String data, Path run) {
    /**
     * The run of {@code RepairCommandTest} and {@code RetainCommandTest}: 300 training and 150
     * test rows (data seed 5), labels 0 and 1 swapped at 30%, an MLP with 8 hidden units, 4
     * epochs, seed 1.
     */
    static TinyCsvRun swappedLabels(Path dir) {
        return train(dir, 300, 150, 5, "--scenario", "label-flip:pairs=0-1,rate=0.3", "--model", "mlp",
                "--model-option", "hidden=8", "--epochs", "4", "--seed", "1");
    }

    /**
     * Writes {@code n} training and {@code m} test rows (drawn with {@code dataSeed}) below
     * {@code dir} and trains on them with {@code amend train OPTIONS --quiet} into
     * {@code dir/run}; the test fails if training does.
     */
    static TinyCsvRun train(Path dir, int n, int m, long dataSeed, String... options) {
        String data = TinyCsv.write(dir.resolve("data"), n, m, dataSeed);
        Path run = dir.resolve("run");
        List<String> args = new ArrayList<>(List.of("train", "--data", data));
        args.addAll(List.of(options));
        args.addAll(List.of("--quiet", "--out", run.toString()));
        CliRun trained = CliRun.amend(args.toArray(String[]::new));
        assertThat(trained.exitCode()).as(trained.err()).isZero();
        return new TinyCsvRun(data, run);
    }
}
