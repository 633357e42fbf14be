package dev.amend.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.amend.data.DataSpec;
import dev.amend.data.ExampleSet;
import dev.amend.data.Preprocessing;
import dev.amend.model.Engines;
import dev.amend.model.ModelHandle;
import dev.amend.model.ModelSpec;
import dev.amend.model.ModelSpec.Precision;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pins the training step's arithmetic bit for bit: a few epochs of fixed seeds on small
 * embedded-MNIST sets, and a SHA-256 of the parameters (as doubles) and the epochs' training
 * losses afterwards. Work on the step's speed must leave these unchanged, because every
 * documented number comes from trained models.
 *
 * <p>The expected digests were computed by this code at commit 65966fd (before the training
 * step's overheads were removed), with libtorch 2.7.1 on a 2-core AVX-512 machine; they depend
 * on the thread count (parallel reductions), so there is one per count, and on the CPU kind.
 */
class TrainingBitsTest {

    private static ExampleSet pool(int n) {
        ExampleSet train = DataSpec.parse("mnist").load().train();
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return train.subset(idx);
    }

    private static ModelSpec spec(String arch, ExampleSet d, Precision p, double alpha) {
        return new ModelSpec(arch, Map.of(), d.channels(), d.height(), d.width(), d.classNames(),
                Preprocessing.channelMean(d), p, alpha);
    }

    private static String digest(double[] theta, TrainResult r) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            ByteBuffer b = ByteBuffer.allocate(8 * (theta.length + r.history().size()));
            for (double t : theta) {
                b.putDouble(t);
            }
            for (EpochRecord e : r.history()) {
                b.putDouble(e.trainLoss());
            }
            return HexFormat.of().formatHex(sha.digest(b.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String expected(String oneThread, String twoThreads) {
        int threads = Engines.threads();
        assumeTrue(threads == 1 || threads == 2, "digests are recorded for 1 and 2 threads only");
        assumeTrue(recordedCpuKind(), "digests are recorded on an AVX-512 AMD EPYC; oneDNN picks other kernels elsewhere");
        return threads == 1 ? oneThread : twoThreads;
    }

    /** Whether this CPU is of the kind the digests were recorded on (vendor, model name, AVX-512). */
    private static boolean recordedCpuKind() {
        try {
            String info = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/cpuinfo"));
            return info.contains("AuthenticAMD") && info.contains("AMD EPYC") && info.contains(" avx512f");
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    /** Trains {@code m} without validation and returns the digest of its parameters and losses. */
    private static String trainedDigest(ModelHandle m, ExampleSet[] sets, double[] weights, TrainConfig cfg,
            Penalty penalty) {
        TrainResult r = TrainingLoop.train(m, sets, weights, null, cfg, penalty, EpochListener.NONE);
        return digest(m.getParameters(), r);
    }

    /** The paper's CNN in float32 with Adam (the base models' scheme), last batch partial. */
    @Test
    void paperCnnAdamStepsKeepTheirBits() {
        ExampleSet d = pool(200);
        try (ModelHandle m = ModelHandle.create(spec("paper-cnn", d, Precision.FLOAT32, 0), 11)) {
            assertThat(trainedDigest(m, new ExampleSet[] {d}, new double[] {1},
                    TrainConfig.baseDefaults(11).withMaxEpochs(2), null)).isEqualTo(expected(
                    "14ea17c693fc11c6ff8b3a45892dfc0ef922485d94109cf6b633c7caf94de8f6",
                    "a995c77f8099bd47b355240216d03b71a82770d005ed58b93f7ccf23c0411643"));
        }
    }

    /**
     * A float64 MLP with weight decay and plain SGD on two weighted sets at once (the second
     * cycles), and a quadratic penalty.
     */
    @Test
    void float64MlpSgdWithTwoSetsDecayAndPenaltyKeepsItsBits() {
        ExampleSet all = pool(150);
        ExampleSet a = all.subset(java.util.stream.IntStream.range(0, 100).toArray());
        ExampleSet b = all.subset(java.util.stream.IntStream.range(100, 150).toArray());
        try (ModelHandle m = ModelHandle.create(spec("mlp", a, Precision.FLOAT64, 0.01), 12);
                Penalty p = Penalty.quadratic(m, new double[m.numParameters()], null, 0.5)) {
            TrainConfig cfg = TrainConfig.paperDefaults(12).withOptimizer(TrainConfig.Optimizer.SGD, 0.05)
                    .withBatchSize(32).withMaxEpochs(2);
            assertThat(trainedDigest(m, new ExampleSet[] {a, b}, new double[] {1, 0.5}, cfg, p)).isEqualTo(expected(
                    "aa490fb384f854dd248787cc8efc1fbe45de9f0a7b6a3300007bee52ecc1aaab",
                    "f18830ff9359f3aaf5d02caf20837e88f11aef6747b71954a4883f9d05c8a303"));
        }
    }

    /** Gradient ascent (loss sign -1) with Adam on logistic regression. */
    @Test
    void ascentKeepsItsBits() {
        ExampleSet d = pool(100);
        try (ModelHandle m = ModelHandle.create(spec("logreg", d, Precision.FLOAT32, 0), 13)) {
            assertThat(trainedDigest(m, new ExampleSet[] {d}, new double[] {1},
                    TrainConfig.baseDefaults(13).withLossSign(-1).withBatchSize(30).withMaxEpochs(2), null))
                    .isEqualTo(expected(
                    "7dcbc1bd5ac5719482f60be25fac1568217737a0e40061dcbc1a70b314f1b179",
                    "4910f110605a80b9bcda41f4cf8958a8b0a712211af664ad24ad7e6aa8d7c17d"));
        }
    }
}
