package dev.amend.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.amend.AmendException;
import dev.amend.data.ExampleSet;
import dev.amend.model.ModelHandle.Curvature;
import dev.amend.model.ModelSpec.Precision;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generic TorchScript path ({@link ScriptedModel}) against the built-in one on the same
 * network, and on a user's CNN with BatchNorm and Dropout (test resources made by
 * scripts/make-torchscript-helpers.py).
 */
class ScriptedModelTest {
    @TempDir
    Path dir;

    static Path userModel(Path dir, String name) {
        Path file = dir.resolve(name);
        try (InputStream in = ScriptedModelTest.class.getResourceAsStream("/dev/amend/model/user/" + name)) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return file;
    }



    /**
     * The same float64 network, once built in, once exported and opened as a black box: every
     * quantity the methods use agrees to rounding (measured: at most 3e-15 relative).
     */
    @Test
    void genericPathAgreesWithTheBuiltInPathOnTheSameNetwork() {
        ExampleSet d = TestData.random(9, 1, 8, 8, 3, 5);
        ModelSpec spec = TestData.spec("paper-cnn", Map.of(), d, Precision.FLOAT64, 0);
        try (ModelHandle built = ModelHandle.create(spec, 6)) {
            double[] theta = TestData.randomVector(built.numParameters(), 7);
            for (int i = 0; i < theta.length; i++) {
                theta[i] *= 0.3;
            }
            built.setParameters(theta);
            Path file = dir.resolve("exported.pt");
            built.exportTorchScript(file);
            try (ScriptedModel generic = ScriptedModel.open(file, d)) {
                assertThat(generic.numParameters()).isEqualTo(built.numParameters());
                assertThat(generic.dataType()).isEqualTo(built.dataType());
                assertThat(TestData.relError(generic.getParameters(), theta)).isZero();
                assertThat(TestData.relError(generic.evaluate(d).loss(), built.evaluate(d).loss())).isLessThan(1e-13);
                double[][] gb = built.perExampleGradients(d);
                double[][] gg = generic.perExampleGradients(d);
                for (int i = 0; i < d.size(); i++) {
                    assertThat(TestData.relError(gg[i], gb[i])).as("per-example gradient " + i).isLessThan(1e-12);
                }
                assertThat(TestData.relError(generic.fisherDiagonal(d), built.fisherDiagonal(d))).isLessThan(1e-12);
                assertThat(generic.hasCachedFisher(d)).isTrue();
                assertThat(TestData.relError(generic.losses(d), built.evaluate(d).loss())).isLessThan(1e-13);
                assertThat(TestData.relError(generic.meanLossGradient(d, false), built.meanLossGradient(d, false)))
                        .isLessThan(1e-12);
                double[] v = TestData.randomVector(theta.length, 8);
                for (Curvature c : Curvature.values()) {
                    double[] a = generic.curvatureVectorProduct(c, d, v);
                    double[] b = built.curvatureVectorProduct(c, d, v);
                    assertThat(TestData.relError(a, b)).as(c.toString()).isLessThan(1e-11);
                }
            }
        }
    }

    @Test
    void userCnnRunsInEvaluationModeAndIsDeterministic() {
        ExampleSet d = TestData.random(6, 1, 28, 28, 10, 3);
        // Scripted in evaluation mode, traced in evaluation mode, scripted in training mode.
        for (String name : new String[] {"user-cnn-bn.pt", "user-cnn-bn-traced.pt", "user-cnn-bn-train.pt"}) {
            try (ScriptedModel m = ScriptedModel.open(userModel(dir, name), d)) {
                // Dropout off and BatchNorm on running statistics: the same logits every time and
                // for an example alone as in a batch.
                Evaluation a = m.evaluate(d);
                Evaluation b = m.evaluate(d);
                assertThat(a.loss()).containsExactly(b.loss());
                assertThat(m.evaluate(d.subset(new int[] {4})).loss()[0]).isCloseTo(a.loss()[4],
                        org.assertj.core.data.Offset.offset(1e-6));
                assertThat(m.spec().architecture()).isEqualTo(ScriptedModel.ARCHITECTURE);
            }
        }
    }

    @Test
    void frozenParametersAreRepairedAndWrittenBackFrozen() throws IOException {
        ExampleSet d = TestData.random(6, 1, 28, 28, 10, 3);
        Path out = dir.resolve("repaired-frozen.pt");
        double[] moved;
        try (ScriptedModel m = ScriptedModel.open(userModel(dir, "user-frozen.pt"), d)) {
            assertThat(m.frozenParameters()).containsExactly("conv1.weight", "conv1.bias", "bn1.weight", "bn1.bias");
            double[] theta = m.getParameters();
            double[] g = m.meanLossGradient(d, false);
            // Every parameter has a gradient, the frozen conv1 included (theta[0] is conv1.weight's first entry).
            assertThat(g[0]).isNotZero();
            for (int i = 0; i < theta.length; i++) {
                theta[i] -= 0.5 * g[i];
            }
            m.setParameters(theta);
            moved = m.getParameters();
            m.exportTorchScript(out);
            // After the export the module is as before: every parameter trainable for amend.
            assertThat(m.meanLossGradient(d, false)[0]).isNotZero();
        }
        try (ScriptedModel back = ScriptedModel.open(out, d)) {
            assertThat(back.frozenParameters()).containsExactly("conv1.weight", "conv1.bias", "bn1.weight",
                    "bn1.bias");
            assertThat(back.getParameters()).containsExactly(moved);
        }
        try (ScriptedModel unfrozen = ScriptedModel.open(userModel(dir, "user-cnn-bn.pt"), d)) {
            assertThat(unfrozen.frozenParameters()).isEmpty();
        }
    }

    @Test
    void trainingMovesParametersAndKeepsBuffersAndTheWrittenFileRunsInTorchScript() throws IOException {
        ExampleSet d = TestData.random(6, 1, 28, 28, 10, 3);
        Path in = userModel(dir, "user-cnn-bn.pt");
        Path out = dir.resolve("repaired.pt");
        double[] logits;
        try (ScriptedModel m = ScriptedModel.open(in, d)) {
            double[] theta = m.getParameters();
            double[] g = m.meanLossGradient(d, false);
            for (int i = 0; i < theta.length; i++) {
                theta[i] -= 0.5 * g[i];
            }
            m.setParameters(theta);
            double[] stored = m.getParameters();
            assertThat(TestData.relError(stored, theta)).isLessThan(1e-7); // float32
            try (ScriptedModel copy = m.copy()) {
                assertThat(copy.getParameters()).containsExactly(stored);
            }
            m.exportTorchScript(out);
            logits = TorchScriptArchive.amendLogits(m, d);
        }
        // Loaded back as a plain TorchScript module, as PyTorch would: the same logits.
        assertThat(TorchScriptArchive.maxDiff(TorchScriptArchive.plainLogits(out, d), logits)).isLessThan(1e-5);
        // Buffers (BatchNorm's running statistics) are records the repair must not touch.
        assertThat(TorchScriptArchive.bufferRecordsEqual(in, out)).isTrue();
    }

    @Test
    void refusesModelsThatDoNotFitTheData() {
        ExampleSet d = TestData.random(4, 1, 28, 28, 10, 3);
        assertThatThrownBy(() -> ScriptedModel.open(userModel(dir, "user-wide-output.pt"), d))
                .isInstanceOf(AmendException.class).hasMessageContaining("12 logits per image but the data has 10");
        assertThatThrownBy(() -> ScriptedModel.open(userModel(dir, "user-tuple-output.pt"), d))
                .isInstanceOf(AmendException.class).hasMessageContaining("does not return one tensor of logits");
        ExampleSet colour = TestData.random(4, 3, 32, 32, 10, 3);
        assertThatThrownBy(() -> ScriptedModel.open(userModel(dir, "user-cnn-bn.pt"), colour))
                .isInstanceOf(AmendException.class).hasMessageContaining("fails on a batch of shape (1, 3, 32, 32)")
                .hasMessageContaining("channels").satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        try (ScriptedModel m = ScriptedModel.open(userModel(dir, "user-cnn-bn.pt"), d)) {
            assertThatThrownBy(() -> m.reinitialised(1)).isInstanceOf(AmendException.class)
                    .hasMessageContaining("finetune-remaining");
        }
    }

    @Test
    void refusesAForwardThatEndsInSoftmaxAndAcceptsLogSoftmax() {
        ExampleSet d = TestData.random(8, 1, 28, 28, 10, 3);
        Path softmax = userModel(dir, "user-softmax.pt");
        assertThatThrownBy(() -> ScriptedModel.open(softmax, d)).isInstanceOf(AmendException.class)
                .hasMessage(softmax + " returns probabilities (every row is non-negative and sums to 1), not logits;"
                        + " return the logits, or log-probabilities (log_softmax), from forward");
        try (ScriptedModel m = ScriptedModel.open(userModel(dir, "user-log-softmax.pt"), d)) {
            assertThat(m.evaluate(d).loss()).hasSize(8);
        }
    }

    @Test
    void refusesAModuleTracedInTrainingMode() {
        ExampleSet d = TestData.random(8, 1, 28, 28, 10, 3);
        Path dropout = userModel(dir, "user-cnn-bn-traced-train.pt");
        assertThatThrownBy(() -> ScriptedModel.open(dropout, d)).isInstanceOf(AmendException.class)
                .hasMessage(dropout + " gives different outputs for the same input (dropout traced in training mode?);"
                        + " call model.eval() before torch.jit.trace, or script it");
        Path batchNorm = userModel(dir, "user-bn-traced-train.pt");
        assertThatThrownBy(() -> ScriptedModel.open(batchNorm, d)).isInstanceOf(AmendException.class)
                .hasMessage(batchNorm + ": the output of an image depends on the other images of its batch (BatchNorm"
                        + " traced in training mode?); call model.eval() before torch.jit.trace, or script it");
    }

    @Test
    void aScriptedModuleSavedInTrainingModeRunsAsInEvaluationMode() {
        ExampleSet d = TestData.random(8, 1, 28, 28, 10, 3);
        try (ScriptedModel eval = ScriptedModel.open(userModel(dir, "user-cnn-bn.pt"), d);
                ScriptedModel train = ScriptedModel.open(userModel(dir, "user-cnn-bn-train.pt"), d)) {
            assertThat(train.evaluate(d).loss()).containsExactly(eval.evaluate(d).loss());
        }
    }

    @Test
    void probabilitiesAreEveryRowNonNegativeSummingToOne() {
        assertThat(ScriptedModel.probabilities(new double[] {0.25, 0.75, 1, 0}, 2)).isTrue();
        assertThat(ScriptedModel.probabilities(new double[] {0.25, 0.75 + 2e-5, 0.5, 0.5}, 2)).isTrue();
        // One row of logits may happen to look like probabilities; all of them do not.
        assertThat(ScriptedModel.probabilities(new double[] {0.25, 0.75, 2, -1}, 2)).isFalse();
        assertThat(ScriptedModel.probabilities(new double[] {0.25, 0.7, 0.5, 0.5}, 2)).isFalse();
        assertThat(ScriptedModel.probabilities(new double[] {1, 1}, 1)).isFalse();
    }

}
