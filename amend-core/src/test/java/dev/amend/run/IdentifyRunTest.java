package dev.amend.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.amend.AmendException;
import dev.amend.data.ExampleSet;
import dev.amend.identify.CauseSelection;
import dev.amend.identify.Identifiers;
import dev.amend.identify.Ranking;
import dev.amend.identify.RankingIo;
import dev.amend.provenance.Provenance;
import dev.amend.run.format.TrainRunSpec;
import dev.amend.train.TrainConfig;
import dev.amend.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentifyRunTest {
    @TempDir
    static Path dir;

    private static String data;
    private static IdentifyRun.Source source;

    @BeforeAll
    static void train() {
        data = TinyData.csv(dir.resolve("data"), 300, 200, 3, 3);
        TrainRunSpec spec = TrainRunSpec.paper(data, "label-flip:pairs=0-1", "logreg", 2)
                .withTrain(TrainConfig.baseDefaults(2).withMaxEpochs(4).withBatchSize(32));
        source = IdentifyRun.Source.of(TrainRun.run(spec, TrainRun.Listener.NONE));
    }

    @AfterAll
    static void close() {
        source.close();
    }

    private static IdentifyRun.Result identify(String method, CauseSelection selection) {
        return IdentifyRun.identify(source, source.query(), method, Identifiers.Options.defaults(), false, selection, 1,
                TrainRun.Listener.NONE);
    }

    @Test
    void ewcInfluenceRanksTheTrainingSetAndScoresItAgainstTheMask() {
        IdentifyRun.Result r = identify("ewc-influence", CauseSelection.threshold());
        assertThat(r.ranking().size()).isEqualTo(source.train().size());
        assertThat(r.ranking().method()).isEqualTo("ewc-influence");
        assertThat(r.seconds()).isPositive();
        assertThat(r.querySize()).isEqualTo(source.defaultQuery().length);
        assertThat(r.settings()).containsEntry("lambda", 0.0);
        assertThat(r.selected()).containsExactly(r.ranking().above(0));
        assertThat(r.metrics()).isNotNull();
        assertThat(r.metrics().noisyCount()).isEqualTo(source.corruption().corruptedCount());
        assertThat(r.summary().selected()).isEqualTo(r.selected().length);
    }

    @Test
    void writesRankingSpecAndProvenanceThatReadBack() throws IOException {
        IdentifyRun.Result r = identify("influence-cg", CauseSelection.topK(10));
        Path out = dir.resolve("identify-cg");
        IdentifyRun.Spec spec = new IdentifyRun.Spec("run", null, null, null, null, "influence-cg",
                Identifiers.Options.defaults(), false, "F_q", "top-k:10", 1);
        IdentifyRun.write(out, r, source, spec, Provenance.capture(List.of("identify"), 1, Instant.now()));

        assertThat(out.resolve("ranking.csv")).isRegularFile();
        assertThat(out.resolve("provenance.json")).isRegularFile();
        Ranking back = RankingIo.read(out, source.train());
        assertThat(back.method()).isEqualTo("influence-cg");
        assertThat(back.scores()).containsExactly(r.ranking().scores());
        RankingIo.RankingInfo info = Json.read(out.resolve("ranking.json"), RankingIo.RankingInfo.class);
        assertThat(info.seconds()).isEqualTo(r.seconds());
        assertThat(info.settings()).containsEntry("solver", "cg");
        assertThat(info.metrics().selected()).isEqualTo(10);
        assertThat(Files.readString(out.resolve("spec.json"))).contains("\"method\" : \"influence-cg\"",
                "\"selection\" : \"top-k:10\"");
        // A second identification replaces the first; a folder of something else is refused.
        IdentifyRun.write(out, r, source, spec, Provenance.capture(List.of("identify"), 1, Instant.now()));
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.writeString(other.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> IdentifyRun.write(other, r, source, spec,
                Provenance.capture(List.of("identify"), 1, Instant.now())))
                .isInstanceOf(AmendException.class).hasMessageContaining("not an amend identification folder");
    }

    @Test
    void sgdInfluenceOnAnAdamRunNeedsAnAuxiliaryModel() {
        assertThatThrownBy(() -> identify("sgd-influence", CauseSelection.threshold()))
                .isInstanceOf(AmendException.class)
                .hasMessageStartingWith("sgd-influence needs a recorded plain-SGD trajectory, which this run does not store"
                        + " (trained with adam); add --train-auxiliary");

        IdentifyRun.Result r = IdentifyRun.identify(source, source.query(), "sgd-influence",
                Identifiers.Options.defaults(), true, null, 1, TrainRun.Listener.NONE);
        assertThat(r.auxiliary()).containsEntry("optimizer", "sgd").containsEntry("epochs", AuxiliarySgd.THETA_STAR_EPOCHS)
                .containsEntry("learning_rate", AuxiliarySgd.THETA_STAR_LEARNING_RATE)
                .containsEntry("init_seed", source.initSeed());
        assertThat(r.settings()).containsKey("auxiliary_model");
        assertThat(r.ranking().size()).isEqualTo(source.train().size());
        assertThat(r.selected()).isNull();
        assertThat(r.summary().selected()).isZero();
    }

    @Test
    void mistakesAreFoundBeforeTheMethodRuns() {
        int n = source.train().size();
        assertThatThrownBy(() -> identify("ewc-influence", CauseSelection.topK(n + 1)))
                .isInstanceOf(AmendException.class).hasMessageContaining("asks for more examples than the " + n);
        assertThatThrownBy(() -> identify("random", CauseSelection.threshold()))
                .isInstanceOf(AmendException.class).hasMessageContaining("no meaningful score threshold");
        assertThatThrownBy(() -> IdentifyRun.identify(source, source.query(), "random", Identifiers.Options.defaults(),
                true, null, 1, TrainRun.Listener.NONE))
                .isInstanceOf(AmendException.class).hasMessage("--train-auxiliary is for sgd-influence only, not random");
        ExampleSet empty = source.test().subset(new int[0]);
        assertThatThrownBy(() -> IdentifyRun.identify(source, empty, "ewc-influence", Identifiers.Options.defaults(),
                false, null, 1, TrainRun.Listener.NONE))
                .isInstanceOf(AmendException.class).hasMessageStartingWith("the failure query set is empty");
    }

    @Test
    void aTrainingRowInTheQueryIndicesIsCalledATrainingRow() throws IOException {
        // As for mnist, whose test rows are the digits outside the training pool: rows 0, 2, 4, ...
        int[] even = java.util.stream.IntStream.range(0, source.test().size() / 2).map(i -> 2 * i).toArray();
        ExampleSet test = source.test().subset(even);
        Path file = Files.writeString(dir.resolve("training-row.txt"), "4\n5\n");

        assertThatThrownBy(() -> QuerySets.fromIndices(file, test)).isInstanceOf(AmendException.class)
                .hasMessageContaining("line 2: row 5 is not a test row: it is one of the rows drawn for training");
    }

    @Test
    void queryRowsFromAFileSelectThoseTestExamples() throws IOException {
        Path file = Files.writeString(dir.resolve("rows.txt"), "# failures I care about\n5\n\n17\n3\n");
        ExampleSet q = QuerySets.fromIndices(file, source.test());
        assertThat(q.rows()).containsExactly(5, 17, 3);

        Files.writeString(file, "5\n5\n");
        assertThatThrownBy(() -> QuerySets.fromIndices(file, source.test())).isInstanceOf(AmendException.class)
                .hasMessageContaining("test row 5 is already listed on line 1");
        Files.writeString(file, "999\n");
        assertThatThrownBy(() -> QuerySets.fromIndices(file, source.test())).isInstanceOf(AmendException.class)
                .hasMessageContaining("test row 999 is not in the test set (200 rows)");
        Files.writeString(file, "\n# nothing\n");
        assertThatThrownBy(() -> QuerySets.fromIndices(file, source.test())).isInstanceOf(AmendException.class)
                .hasMessage(file + " holds no failing test rows");
        Files.writeString(file, "seven\n");
        assertThatThrownBy(() -> QuerySets.fromIndices(file, source.test())).isInstanceOf(AmendException.class)
                .hasMessageContaining("line 1 is not a test row number");
    }

    @Test
    void queryDataCarriesTheModelsClassesAndRefusesOthers() throws IOException {
        String test = data.substring(data.indexOf(',') + 1);
        ExampleSet q = QuerySets.fromData("csv:" + test, source.model().spec());
        assertThat(q.size()).isEqualTo(200);
        assertThat(q.classNames()).isEqualTo(source.model().spec().classNames());

        Path bad = Files.writeString(dir.resolve("bad.csv"), "7," + "0,".repeat(8) + "0\n");
        assertThatThrownBy(() -> QuerySets.fromData("csv:" + bad, source.model().spec()))
                .isInstanceOf(AmendException.class)
                .hasMessageContaining("has label 7 in row 0, but the model has 3 classes (0..2)");
        assertThatThrownBy(() -> QuerySets.fromData("tiff:x", source.model().spec()))
                .isInstanceOf(AmendException.class).hasMessageContaining("idx:IMAGES,LABELS");

        Path larger = Files.writeString(dir.resolve("larger.csv"), "1," + "0,".repeat(15) + "0\n");
        assertThatThrownBy(() -> QuerySets.fromData("csv:" + larger, source.model().spec()))
                .isInstanceOf(AmendException.class)
                .hasMessage(larger + " line 1 has 16 pixel values but images of 1x3x3 have 9");
        ExampleSet wrongShape = ExampleSet.of(new float[16], new int[] {1}, 1, 4, 4, source.model().spec().classNames());
        assertThatThrownBy(() -> IdentifyRun.identify(source, wrongShape, "ewc-influence",
                Identifiers.Options.defaults(), false, null, 1, TrainRun.Listener.NONE))
                .isInstanceOf(AmendException.class)
                .hasMessage("the model expects 1x3x3 images but the failure query set has 1x4x4");
    }

    @Test
    void aSavedModelWithDataHasNoFailuresOrGroundTruth() {
        Path model = dir.resolve("model");
        dev.amend.model.ModelStore.save(source.model(), model);
        try (IdentifyRun.Source saved = IdentifyRun.Source.load(model, data, 3000, 0, 4)) {
            assertThat(saved.train().size()).isEqualTo(300);
            assertThat(saved.corruption()).isNull();
            assertThatThrownBy(saved::query).isInstanceOf(AmendException.class)
                    .hasMessageContaining("--query-indices FILE or --query-data SPEC");
            assertThatThrownBy(() -> IdentifyRun.identify(saved, source.query(), "oracle",
                    Identifiers.Options.defaults(), false, null, 1, TrainRun.Listener.NONE))
                    .isInstanceOf(AmendException.class).hasMessageStartingWith("the oracle needs the ground-truth");
            IdentifyRun.Result r = IdentifyRun.identify(saved, source.query(), "exact", Identifiers.Options.defaults(),
                    false, null, 1, TrainRun.Listener.NONE);
            assertThat(r.metrics()).isNull();
            assertThat(r.summary()).isNull();
            assertThat(r.settings()).isEqualTo(Map.of("solver", "exact", "curvature", "hessian", "damping", 0.01));
        }
    }
}
