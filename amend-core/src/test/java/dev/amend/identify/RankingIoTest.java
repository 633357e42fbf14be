package dev.amend.identify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.amend.AmendException;
import dev.amend.data.ExampleSet;
import dev.amend.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RankingIoTest {
    @TempDir
    Path dir;

    /** Six 1x2x2 images whose rows in the user's file are 10..15 (as after a split). */
    private static ExampleSet train() {
        float[] x = new float[6 * 4];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 7) / 7f;
        }
        return new ExampleSet(x, new int[] {0, 1, 2, 0, 1, 2}, new int[] {10, 11, 12, 13, 14, 15}, 1, 2, 2,
                ExampleSet.numberedClasses(3));
    }

    // Scores that a decimal round trip could change, and a tie at 0.25.
    private static final double[] SCORES = {0.1 + 0.2, -1e-300, 0.25, 7.0 / 3, 0.25, -4.5};

    private Path writeAll(ExampleSet d) {
        Ranking r = new Ranking("ewc-influence", SCORES);
        boolean[] noisy = {true, false, false, true, false, false};
        IdentificationMetrics.Summary summary =
                new IdentificationMetrics(r, noisy).summary(CauseSelection.threshold().select(r), new int[] {1, 2, 6});
        return RankingIo.writer(r, d)
                .optSettings(Map.of("patience", 5, "lr", 1e-3))
                .optSeconds(1.5)
                .optCorrupted(noisy)
                .optMetrics(summary)
                .optPreview(3)
                .write(dir);
    }

    @Test
    void writesOneLinePerExampleMostHarmfulFirstWithUserRowsAndOneBasedRanks() throws Exception {
        Path csv = writeAll(train());

        List<String> lines = Files.readAllLines(csv);
        assertThat(lines).hasSize(7);
        assertThat(lines.get(0)).isEqualTo("train_index,row,score,rank,label,corrupted");
        assertThat(lines.get(1)).isEqualTo("3,13," + 7.0 / 3 + ",1,0,1");
        assertThat(lines.get(2)).isEqualTo("0,10," + (0.1 + 0.2) + ",2,0,1");
        assertThat(lines.get(3)).isEqualTo("2,12,0.25,3,2,0");
        assertThat(lines.get(4)).isEqualTo("4,14,0.25,4,1,0");
        assertThat(lines.get(6)).isEqualTo("5,15,-4.5,6,2,0");
    }

    @Test
    void corruptedColumnIsEmptyWhenTheGroundTruthIsUnknown() throws Exception {
        Path csv = RankingIo.writer(new Ranking("m", SCORES), train()).write(dir);

        assertThat(Files.readAllLines(csv).get(1)).isEqualTo("3,13," + 7.0 / 3 + ",1,0,");
    }

    @Test
    void jsonRecordsMethodSettingsTimeFingerprintPreviewAndMetrics() {
        ExampleSet d = train();
        writeAll(d);

        RankingIo.RankingInfo info = Json.read(dir.resolve(RankingIo.JSON), RankingIo.RankingInfo.class);
        assertThat(info.method()).isEqualTo("ewc-influence");
        assertThat(info.settings()).containsEntry("patience", 5);
        assertThat(info.seconds()).isEqualTo(1.5);
        assertThat(info.n()).isEqualTo(6);
        assertThat(info.fingerprint()).isEqualTo(RankingIo.fingerprint(d));
        assertThat(info.top()).containsExactly(new RankingIo.Entry(1, 3, 13, 7.0 / 3, 0),
                new RankingIo.Entry(2, 0, 10, 0.1 + 0.2, 0), new RankingIo.Entry(3, 2, 12, 0.25, 2));
        assertThat(info.metrics().precision()).isEqualTo(0.5);
        assertThat(info.metrics().fractions()).containsExactly(1, 1, 2.0 / 6);
        assertThat(info.facts()).isEmpty();
    }

    @Test
    void jsonRecordsWhatTheMethodMeasured() {
        Ranking ranking = new Ranking("influence-cg", SCORES, null,
                Map.of("cg_iterations", 5, "cg_converged", false));
        RankingIo.writer(ranking, train()).write(dir);

        RankingIo.RankingInfo info = Json.read(dir.resolve(RankingIo.JSON), RankingIo.RankingInfo.class);
        assertThat(info.facts()).containsEntry("cg_iterations", 5).containsEntry("cg_converged", false);
        // Read back, the ranking keeps them (treat and repair --ranking write them again).
        assertThat(RankingIo.read(dir, train()).facts()).containsEntry("cg_iterations", 5)
                .containsEntry("cg_converged", false);
    }

    @Test
    void readsBackTheSameScoresBitForBit() {
        ExampleSet d = train();
        writeAll(d);

        Ranking back = RankingIo.read(dir, d);
        assertThat(back.method()).isEqualTo("ewc-influence");
        assertThat(back.scores()).containsExactly(SCORES);
        assertThat(RankingIo.read(dir.resolve(RankingIo.CSV), d).order()).containsExactly(back.order());
    }

    @Test
    void csvWithoutJsonMapsRowsToPositionsOfAReorderedTrainingSet() throws Exception {
        writeAll(train());
        Files.delete(dir.resolve(RankingIo.JSON));
        ExampleSet reordered = train().subset(new int[] {5, 4, 3, 2, 1, 0});

        Ranking back = RankingIo.read(dir, reordered);
        assertThat(back.method()).isEqualTo(RankingIo.EXTERNAL_METHOD);
        assertThat(back.scores()).containsExactly(-4.5, 0.25, 7.0 / 3, 0.25, -1e-300, 0.1 + 0.2);
    }

    @Test
    void rankingOfAnotherTrainingSetIsRefusedByItsFingerprint() {
        writeAll(train());
        float[] x = train().pixels().clone();
        x[5] += 0.5f;
        ExampleSet changed = train().withImages(x);

        assertThatThrownBy(() -> RankingIo.read(dir, changed))
                .isInstanceOf(AmendException.class)
                .hasMessageStartingWith("the ranking was made for another training set (fingerprint "
                        + RankingIo.fingerprint(train()).substring(0, 12))
                .hasMessageNotContaining("\n");
    }

    @Test
    void rowMissingFromTheTrainingSetIsAOneLineError() throws Exception {
        writeAll(train());
        Files.delete(dir.resolve(RankingIo.JSON));
        ExampleSet fewer = train().subset(new int[] {0, 1, 2, 4, 5});

        assertThatThrownBy(() -> RankingIo.read(dir, fewer))
                .isInstanceOf(AmendException.class)
                .hasMessageContaining("row 13 is not in the training set")
                .hasMessageNotContaining("\n");
    }

    @Test
    void trainingExampleWithoutAScoreIsAnError() throws Exception {
        Path csv = writeAll(train());
        Files.delete(dir.resolve(RankingIo.JSON));
        List<String> lines = Files.readAllLines(csv);
        Files.write(csv, lines.subList(0, 6));

        assertThatThrownBy(() -> RankingIo.read(csv, train()))
                .isInstanceOf(AmendException.class)
                .hasMessageContaining("no score for row 15");
    }

    @Test
    void differentLabelIsAnError() throws Exception {
        writeAll(train());
        Files.delete(dir.resolve(RankingIo.JSON));
        ExampleSet relabelled = train().withLabels(new int[] {0, 1, 2, 0, 2, 2});

        assertThatThrownBy(() -> RankingIo.read(dir, relabelled))
                .isInstanceOf(AmendException.class)
                .hasMessageContaining("row 14 has label 1 in the ranking but 2 in the training set");
    }

    @Test
    void malformedFilesAreOneLineErrorsNamingTheLine() throws Exception {
        String header = "train_index,row,score,rank,label,corrupted\n";
        String[] bad = {
            "index,score\n0,1\n",
            header + "0,10,0.5,1,0\n",
            header + "0,10,abc,1,0,\n",
            header + "0,10,NaN,1,0,\n",
            header + "0,x,0.5,1,0,\n",
            header + "0,10,0.5,1,0,\n0,10,0.5,2,0,\n",
            "",
        };
        Path csv = dir.resolve("bad.csv");
        for (String content : bad) {
            Files.writeString(csv, content);
            assertThatThrownBy(() -> RankingIo.read(csv, train()))
                    .as(content)
                    .isInstanceOf(AmendException.class)
                    .hasMessageContaining(csv.toString())
                    .hasMessageNotContaining("\n");
        }
        Files.writeString(csv, header + "0,10,abc,1,0,\n");
        assertThatThrownBy(() -> RankingIo.read(csv, train())).hasMessageContaining("line 2");
    }

    @Test
    void missingFileIsAUserError() {
        assertThatThrownBy(() -> RankingIo.read(dir.resolve("none.csv"), train()))
                .isInstanceOf(AmendException.class)
                .hasMessage("no such file: " + dir.resolve("none.csv"));
    }

    @Test
    void fingerprintChangesWithAnyLabelRowOrPixelAndNotOtherwise() {
        ExampleSet d = train();
        String f = RankingIo.fingerprint(d);
        float[] x = d.pixels().clone();
        x[23] = Math.nextUp(x[23]);

        assertThat(f).hasSize(64).matches("[0-9a-f]+");
        assertThat(RankingIo.fingerprint(train())).isEqualTo(f);
        assertThat(RankingIo.fingerprint(d.withImages(x))).isNotEqualTo(f);
        assertThat(RankingIo.fingerprint(d.withLabels(new int[] {0, 1, 2, 0, 1, 1}))).isNotEqualTo(f);
        assertThat(RankingIo.fingerprint(new ExampleSet(d.pixels(), d.labels(), new int[] {10, 11, 12, 13, 14, 16}, 1, 2,
                2, d.classNames()))).isNotEqualTo(f);
        assertThat(RankingIo.fingerprint(new ExampleSet(d.pixels(), d.labels(), d.rows(), 1, 4, 1, d.classNames())))
                .isNotEqualTo(f);
    }

    @Test
    void checkFingerprintAcceptsTheSameTrainingSet() {
        writeAll(train());
        RankingIo.checkFingerprint(dir.resolve(RankingIo.JSON), train());
        assertThatThrownBy(() -> RankingIo.checkFingerprint("0123456789abcdef", train()))
                .isInstanceOf(AmendException.class)
                .hasMessageContaining("(fingerprint 0123456789ab in the ranking, ");
    }
}
