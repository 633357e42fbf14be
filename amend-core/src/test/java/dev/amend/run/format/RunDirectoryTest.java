package dev.amend.run.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.amend.AmendException;
import dev.amend.provenance.Provenance;
import dev.amend.provenance.RunFiles;
import dev.amend.run.FailureSets;
import dev.amend.run.LoadedRun;
import dev.amend.run.TinyData;
import dev.amend.run.TrainRun;
import dev.amend.run.TrainRunResult;
import dev.amend.train.TrainConfig;
import dev.amend.util.AtomicFolders;
import dev.amend.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {
    @TempDir
    static Path dir;

    private static TrainRunResult run;
    private static Path folder;

    @BeforeAll
    static void trainAndWrite() {
        String data = TinyData.csv(dir.resolve("data"), 200, 120, 7);
        TrainRunSpec spec = TrainRunSpec.paper(data, "label-flip:pairs=1-2", "mlp", 5)
                .withTrain(TrainConfig.baseDefaults(5).withMaxEpochs(2).withBatchSize(32));
        run = TrainRun.run(spec, TrainRun.Listener.NONE);
        folder = dir.resolve("run");
        RunDirectory.write(folder, run, Provenance.capture(List.of("train"), 5, Instant.now()));
    }

    @AfterAll
    static void close() {
        run.close();
    }

    @Test
    void writesEveryFileOfTheLayout() throws IOException {
        for (String file : List.of("spec.json", "provenance.json", "model/model.json", "model/parameters.ndlist",
                "train-data.bin", "validation-data.bin", "mask.csv", "metrics.json", "history.csv", "splits/D.txt",
                "splits/validation.txt", "splits/F.txt", "splits/F_q.txt", "splits/F_h.txt", "splits/T_minus_F.txt")) {
            assertThat(folder.resolve(file)).as(file).isRegularFile();
        }
        List<String> mask = Files.readAllLines(folder.resolve("mask.csv"));
        assertThat(mask.get(0)).isEqualTo("position,row,label,original_label,corrupted,label_changed");
        assertThat(mask).hasSize(run.train().size() + 1);
        List<String> history = Files.readAllLines(folder.resolve("history.csv"));
        assertThat(history.get(0)).isEqualTo("epoch,train_loss,val_accuracy,val_loss,seconds");
        assertThat(history).hasSize(run.training().epochsRun() + 1);
        // Split files name rows of the user's files, ascending, one per line.
        List<Integer> f = Files.readAllLines(folder.resolve("splits/F.txt")).stream().map(Integer::parseInt).toList();
        assertThat(f).isSorted().hasSize(run.failures().failures().length);
        assertThat(Json.read(folder.resolve(RunFiles.SPEC), TrainRunSpec.class)).isEqualTo(run.spec());
        try (var leftovers = Files.list(dir)) {
            assertThat(leftovers.map(p -> p.getFileName().toString())).noneMatch(name -> name.startsWith("."));
        }
    }

    @Test
    void loadGivesBackTheModelDataMaskAndFailureSets() {
        try (LoadedRun loaded = RunDirectory.load(folder)) {
            assertThat(loaded.spec()).isEqualTo(run.spec());
            assertThat(loaded.model().getParameters()).containsExactly(run.model().getParameters());
            assertThat(loaded.train().pixels()).containsExactly(run.train().pixels());
            assertThat(loaded.train().labels()).containsExactly(run.train().labels());
            assertThat(loaded.train().rows()).containsExactly(run.train().rows());
            assertThat(loaded.validation().rows()).containsExactly(run.validation().rows());
            assertThat(loaded.corruption().corrupted()).containsExactly(run.corruption().corrupted());
            assertThat(loaded.corruption().labelChanged()).containsExactly(run.corruption().labelChanged());
            assertThat(loaded.corruption().originalLabels()).containsExactly(run.corruption().originalLabels());
            assertThat(loaded.corruption().parameters()).containsEntry("rate", 0.45);
            assertThat(loaded.test().size()).isEqualTo(run.test().size());
            FailureSets a = loaded.failures();
            FailureSets b = run.failures();
            assertThat(a.failures()).containsExactly(b.failures());
            assertThat(a.query()).containsExactly(b.query());
            assertThat(a.holdout()).containsExactly(b.holdout());
            assertThat(a.remaining()).containsExactly(b.remaining());
            assertThat(loaded.metrics()).isEqualTo(run.metrics());
            assertThat(loaded.model().evaluate(loaded.querySet()).accuracy()).isZero();
            assertThat(loaded.model().evaluate(loaded.remainingSet()).accuracy()).isEqualTo(1.0);
        }
    }

    @Test
    void writingAgainReplacesTheRunButNeverAForeignFolder() throws IOException {
        Path copy = dir.resolve("again");
        Provenance provenance = Provenance.capture(List.of(), 5, Instant.now());
        RunDirectory.write(copy, run, provenance);
        RunDirectory.write(copy, run, provenance);
        assertThat(RunDirectory.isRunFolder(copy)).isTrue();

        Path foreign = Files.createDirectories(dir.resolve("foreign"));
        Files.writeString(foreign.resolve("thesis.tex"), "precious");
        assertThatThrownBy(() -> RunDirectory.write(foreign, run, provenance))
                .isInstanceOf(AmendException.class)
                .hasMessageContaining("not empty");
        assertThat(foreign.resolve("thesis.tex")).hasContent("precious");
        assertThat(foreign.resolve("spec.json")).doesNotExist();
    }

    @Test
    void aFolderWithoutAModelIsAUserError() throws IOException {
        Path broken = dir.resolve("broken");
        RunDirectory.write(broken, run, Provenance.capture(List.of(), 5, Instant.now()));
        AtomicFolders.deleteRecursively(broken.resolve("model"));

        assertThatThrownBy(() -> RunDirectory.load(broken))
                .isInstanceOf(AmendException.class)
                .hasMessageStartingWith("no model in " + broken);
        assertThatThrownBy(() -> RunDirectory.load(dir.resolve("absent")))
                .isInstanceOf(AmendException.class)
                .hasMessageStartingWith("no run in ");
    }

    @Test
    void changedTestDataIsDetected() throws IOException {
        Path moved = dir.resolve("moved");
        RunDirectory.write(moved, run, Provenance.capture(List.of(), 5, Instant.now()));
        Path test = dir.resolve("data/test.csv");
        List<String> lines = Files.readAllLines(test);
        String original = String.join("\n", lines) + "\n";
        try {
            String[] first = lines.get(0).split(",");
            first[0] = first[0].equals("0") ? "1" : "0";
            lines.set(0, String.join(",", Arrays.asList(first)));
            Files.write(test, lines);

            assertThatThrownBy(() -> RunDirectory.load(moved))
                    .isInstanceOf(AmendException.class)
                    .hasMessageContaining("changed since the run");
        } finally {
            Files.writeString(test, original);
        }
    }
}
