package dev.amend.identify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.amend.AmendException;
import dev.amend.data.ExampleSet;
import dev.amend.model.ModelHandle;
import dev.amend.train.TrainConfig;
import dev.amend.train.TrainResult;
import dev.amend.train.TrainingLoop;
import dev.amend.train.EpochListener;
import dev.amend.train.Trajectory;
import dev.amend.util.Vectors;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** docs/methods.md 6 items 14 and 15 on fixture (A) trained by plain SGD. */
class SgdInfluenceTest {
    private static final double LR = 0.2;
    private static LogregFixture fx;
    private static ModelHandle sgdModel;
    private static Trajectory trajectory;

    @BeforeAll
    static void setUp() {
        fx = new LogregFixture(11);
        sgdModel = ModelHandle.create(fx.model.spec(), 3);
        TrainConfig cfg = TrainConfig.paperDefaults(4).withOptimizer(TrainConfig.Optimizer.SGD, LR).withBatchSize(20)
                .withMaxEpochs(6).withRecordTrajectory(true);
        TrainResult r = TrainingLoop.train(sgdModel, fx.train, null, cfg, null, EpochListener.NONE);
        trajectory = r.trajectory();
    }

    @AfterAll
    static void tearDown() {
        sgdModel.close();
        fx.close();
    }

    @Test
    void replayFromTheFirstCheckpointReproducesTheRunBitwise() {
        assertThat(trajectory.steps()).isEqualTo(60);
        assertThat(trajectory.checkpoints()).hasSizeGreaterThan(1);
        try (ModelHandle m = ModelHandle.of(fx.model.spec(), trajectory.checkpoints().get(0))) {
            TrainingLoop.replay(m, fx.train, trajectory, 0, trajectory.steps());
            assertThat(m.getParameters()).containsExactly(trajectory.finalParameters());
        }
    }

    /** Re-runs the recorded SGD with example j dropped from every minibatch, divisor kept. */
    private static double[] counterfactual(int j) {
        try (ModelHandle m = ModelHandle.of(fx.model.spec(), trajectory.checkpoints().get(0))) {
            double alpha = m.spec().weightDecay();
            for (int t = 0; t < trajectory.steps(); t++) {
                int[] batch = trajectory.batch(t);
                int kept = 0;
                for (int i : batch) {
                    kept += i == j ? 0 : 1;
                }
                int[] keep = new int[kept];
                int k = 0;
                for (int i : batch) {
                    if (i != j) {
                        keep[k++] = i;
                    }
                }
                ExampleSet b = fx.train.subset(keep);
                double[] theta = m.getParameters();
                double[] g;
                try (NDManager scope = m.newScope()) {
                    NDArray x = m.inputs(scope, b, 0, b.size());
                    NDArray y = ModelHandle.labels(scope, b, 0, b.size());
                    NDList grads = m.gradient(scope, p -> ModelHandle.perExampleLoss(m.logits(x), y).sum()
                            .div(batch.length));
                    g = ModelHandle.flatten(grads);
                }
                for (int i = 0; i < theta.length; i++) {
                    theta[i] -= trajectory.rate(t) * (g[i] + alpha * theta[i]);
                }
                m.setParameters(theta);
            }
            return m.getParameters();
        }
    }

    @Test
    void scoresPredictCounterfactualRemovalFromTheRecordedRun() {
        IdentificationProblem p = IdentificationProblem.of(sgdModel, fx.train, fx.query, null, trajectory, 1);
        Ranking r = new SgdInfluence(0).identify(p);
        double base;
        try (ModelHandle m = ModelHandle.of(fx.model.spec(), trajectory.finalParameters())) {
            base = m.evaluate(fx.query).meanLoss();
        }
        int[] sample = new int[60];
        for (int i = 0; i < sample.length; i++) {
            sample[i] = i * 3;
        }
        double[] predicted = new double[sample.length];
        double[] actual = new double[sample.length];
        for (int k = 0; k < sample.length; k++) {
            try (ModelHandle m = ModelHandle.of(fx.model.spec(), counterfactual(sample[k]))) {
                actual[k] = m.evaluate(fx.query).meanLoss() - base;
            }
            predicted[k] = -r.score(sample[k]);
        }
        double pearson = Vectors.pearson(predicted, actual);
        System.out.println("sgd-influence vs counterfactual SGD rerun, Pearson over 60 examples: " + pearson);
        assertThat(pearson).isGreaterThan(0.95);
    }

    @Test
    void aModelWithoutTrajectoryIsRefusedWithAClearMessage() {
        IdentificationProblem p = IdentificationProblem.of(fx.model, fx.train, fx.query, null, null, 1);
        assertThatThrownBy(() -> new SgdInfluence(0).identify(p)).isInstanceOf(AmendException.class)
                .hasMessageContaining("plain-SGD");
    }

    @Test
    void settingsNameTheWindow() {
        assertThat(new SgdInfluence(2).settings()).isEqualTo(Map.of("last_epochs", 2));
    }
}
