package dev.amend.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.amend.data.DataSpec;
import dev.amend.data.ExampleSet;
import dev.amend.data.LoadedData;
import dev.amend.data.Splits;
import dev.amend.identify.CauseSelection;
import dev.amend.identify.IdentificationMetrics;
import dev.amend.identify.Identifiers;
import dev.amend.model.ModelHandle;
import dev.amend.model.ModelStore;
import dev.amend.model.ScriptedModel;
import dev.amend.model.TorchScriptArchive;
import dev.amend.run.format.RepairMetrics;
import dev.amend.train.TrainConfig;
import dev.amend.train.TrainingLoop;
import dev.amend.treat.TreatmentFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's own PyTorch model repaired end to end (docs/models.md, "Your own PyTorch model"): a
 * TorchScript CNN with BatchNorm, a residual block and Dropout (module code from PyTorch, test
 * resource made by scripts/make-torchscript-helpers.py) is trained by amend on embedded MNIST
 * with 45% of the 1s labelled 7, then EWC-influence ranks the training set for the failures
 * among the 1s and the top 60 are removed by fine-tuning on D\C. The repaired TorchScript file,
 * loaded as a plain module, must give the logits amend computed; its BatchNorm buffers must be
 * the original's; and the ranking must find the flipped labels far above random.
 *
 * <p>Measured (two threads): 82 of the 1500 training labels flipped, 20 failures among the test
 * 1s; ROC-AUC 0.916; 10 of the top 60 flipped (random removal: 3.3 on average); F_h 0.00 ->
 * 0.40; T\F 0.981; T 0.834 -> 0.886. Weaker than on amend's own CNN (docs/results.md) because the
 * model sees 1500 images for 4 epochs and F_q has 10 images; the test checks the mechanics and a
 * clear margin over random, not the paper's numbers.
 */
@Tag("slow")
class UserModelRepairTest {
    @TempDir
    Path dir;

    @Test
    void aUsersTorchScriptCnnWithBatchNormIsRepairedAndWrittenBackAsTorchScript() throws IOException {
        long seed = 0;
        LoadedData data = DataSpec.parse("mnist").load();
        ExampleSet pool = Splits.sample(data.train(), 1500, seed);
        ExampleSet test = Splits.sample(data.test(), 1000, seed);
        int[] labels = pool.labels();
        boolean[] flipped = new boolean[pool.size()];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == 1 && random.nextDouble() < 0.45) {
                labels[i] = 7;
                flipped[i] = true;
            }
        }
        ExampleSet train = pool.withLabels(labels);
        Path original = dir.resolve("user-cnn-bn.pt");
        try (InputStream in = getClass().getResourceAsStream("/dev/amend/model/user/user-cnn-bn.pt")) {
            Files.copy(in, original);
        }
        Path trained = dir.resolve("trained.pt");
        try (ModelHandle model = ScriptedModel.open(original, train)) {
            TrainingLoop.train(model, train, null, TrainConfig.baseDefaults(seed).withMaxEpochs(4), null,
                    dev.amend.train.EpochListener.NONE);
            model.exportTorchScript(trained);
        }
        try (ModelHandle model = ModelStore.load(trained, train)) {
            assertThat(model).isInstanceOf(ScriptedModel.class);
            FailureSets failures = FailureSets.of(model.evaluate(test), List.of(1), seed);
            RepairInput input = new RepairInput(model, train, null, test, failures, flipped);
            Repair repair = Repair.of(input, seed, TrainRun.Listener.NONE);
            Repair.Identified identified = repair.identify(
                    Identifiers.create("ewc-influence", Identifiers.Options.defaults(), seed));
            double auc = new IdentificationMetrics(identified.ranking(), flipped).rocAuc();
            try (RepairResult result = repair.treat(identified, CauseSelection.topK(60),
                    TreatmentFactory.create("finetune-remaining", seed))) {
                RepairMetrics m = result.metrics();
                System.out.printf("user CNN: flipped %d of %d; |F| %d; ROC-AUC %.3f; top-60 flipped %d; F_h %.3f -> %.3f;"
                        + " T\\F %.3f; T %.3f -> %.3f%n", count(flipped), flipped.length, failures.failures().length,
                        auc, m.causes().corrupted(), m.before().fh(), m.after().fh(), m.after().remaining(),
                        m.before().test(), m.after().test());
                assertThat(auc).isGreaterThan(0.85);
                // Random removal would hit 60 * 82 / 1500 = 3.3 flipped labels on average.
                double byChance = 60.0 * count(flipped) / flipped.length;
                assertThat(m.causes().corrupted()).isGreaterThanOrEqualTo((int) Math.ceil(2.5 * byChance));
                assertThat(m.after().fh()).isGreaterThan(m.before().fh());

                Path repaired = dir.resolve("repaired.pt");
                result.model().exportTorchScript(repaired);
                double[] amend = TorchScriptArchive.amendLogits(result.model(), test);
                assertThat(TorchScriptArchive.maxDiff(TorchScriptArchive.plainLogits(repaired, test), amend)).isLessThan(1e-5);
                assertThat(TorchScriptArchive.bufferRecordsEqual(original, repaired)).isTrue();
            }
        }
    }

    private static int count(boolean[] mask) {
        int n = 0;
        for (boolean b : mask) {
            n += b ? 1 : 0;
        }
        return n;
    }




}
