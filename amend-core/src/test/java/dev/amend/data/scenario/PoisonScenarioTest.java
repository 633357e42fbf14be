package dev.amend.data.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.amend.data.ExampleSet;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class PoisonScenarioTest {
    /**
     * Two-class softmax regression on 1x2x2 images with W0 = (1, -1, 2, 0) = -W1 and no bias.
     * For label 0 the input gradient is p1 * (W1 - W0) = p1 * (-2, 2, -4, 0), so the FGSM step is
     * eps * (-1, +1, -1, 0): the last pixel has zero gradient and must not move.
     */
    static final class LinearVictim implements Victim {
        private final double[][] w;
        int imagesSeen;

        LinearVictim(double[][] w) {
            this.w = w;
        }

        static LinearVictim standard() {
            return new LinearVictim(new double[][] {{1, -1, 2, 0}, {-1, 1, -2, 0}});
        }

        private double[] probabilities(float[] x, int offset) {
            double[] z = new double[w.length];
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < w.length; k++) {
                for (int j = 0; j < w[k].length; j++) {
                    z[k] += w[k][j] * x[offset + j];
                }
                max = Math.max(max, z[k]);
            }
            double sum = 0;
            for (int k = 0; k < z.length; k++) {
                z[k] = Math.exp(z[k] - max);
                sum += z[k];
            }
            for (int k = 0; k < z.length; k++) {
                z[k] /= sum;
            }
            return z;
        }

        @Override
        public int[] predict(float[] images, int n) {
            int d = w[0].length;
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                double[] p = probabilities(images, i * d);
                for (int k = 1; k < p.length; k++) {
                    if (p[k] > p[out[i]]) {
                        out[i] = k;
                    }
                }
            }
            return out;
        }

        @Override
        public float[] inputLossGradient(float[] images, int[] labels, int n) {
            imagesSeen += n;
            int d = w[0].length;
            float[] g = new float[n * d];
            for (int i = 0; i < n; i++) {
                double[] p = probabilities(images, i * d);
                for (int k = 0; k < w.length; k++) {
                    double coeff = p[k] - (k == labels[i] ? 1 : 0);
                    for (int j = 0; j < d; j++) {
                        g[i * d + j] += (float) (coeff * w[k][j]);
                    }
                }
            }
            return g;
        }
    }

    private static ExampleSet twoImages() {
        float[] images = {
            0.1f, 0.9f, 0.5f, 0.3f, // class 0, W0.x = 0.2: clean prediction 0
            0.5f, 0.2f, 0.8f, 0.5f, // class 0, W0.x = 1.9
            0.1f, 0.9f, 0.5f, 0.3f, // class 1: not a target, stays
        };
        return ExampleSet.of(images, new int[] {0, 0, 1}, 1, 2, 2, ExampleSet.numberedClasses(2));
    }

    private static PoisonScenario oneVictim(double fraction) {
        return new PoisonOptions(List.of(0), fraction, OptionalDouble.of(0.2), 1).toScenario(List.of(LinearVictim.standard()));
    }

    @Test
    void stepFollowsTheGradientSignAndIsClipped() {
        CorruptedData data = oneVictim(1.0).apply(twoImages(), 1);

        // (0.1, 0.9, 0.5, 0.3) + 0.2 * (-1, 1, -1, 0): the first two leave [0, 1] and are clipped.
        assertThat(data.data().image(0)).containsExactly(new float[] {0f, 1f, 0.3f, 0.3f}, within(1e-6f));
        assertThat(data.data().image(1)).containsExactly(new float[] {0.3f, 0.4f, 0.6f, 0.5f}, within(1e-6f));
        assertThat(data.data().image(2)).containsExactly(0.1f, 0.9f, 0.5f, 0.3f);
    }

    @Test
    void poisonedImagesTakeTheVictimsPredictionAsLabel() {
        CorruptedData data = oneVictim(1.0).apply(twoImages(), 1);

        // W0.x_adv = -0.4 < 0 flips image 0 to class 1; image 1 (W0.x_adv = 1.1) stays class 0.
        assertThat(data.data().labels()).containsExactly(1, 0, 1);
        assertThat(data.corrupted()).containsExactly(true, true, false);
        assertThat(data.labelChanged()).containsExactly(true, false, false);
        assertThat(data.originalLabels()).containsExactly(0, 0, 1);
    }

    @Test
    void victimsAreDrawnUniformlyAndCalledInBatches() {
        ExampleSet train = TestData.varied(2, 3000, 1, 2, 2);
        List<LinearVictim> victims = List.of(LinearVictim.standard(), LinearVictim.standard(), LinearVictim.standard());
        CorruptedData data = PoisonOptions.of(List.of(0)).toScenario(List.copyOf(victims)).apply(train, 6);

        assertThat(data.corruptedCount()).isEqualTo(900);
        double se = Math.sqrt(900 * (1 / 3.0) * (2 / 3.0));
        for (LinearVictim v : victims) {
            assertThat((double) v.imagesSeen).isBetween(300 - 3 * se, 300 + 3 * se);
        }
        assertThat(victims.stream().mapToInt(v -> v.imagesSeen).sum()).isEqualTo(900);
    }

    @Test
    void choosesTheSameImagesAsInputNoiseForTheSameSeed() {
        ExampleSet train = TestData.varied(10, 40, 1, 2, 2);
        List<Integer> targets = List.of(1, 6, 7, 9);

        CorruptedData poisoned = PoisonOptions.of(targets).toScenario(
                List.of(LinearVictim.standard(), LinearVictim.standard(), LinearVictim.standard())).apply(train, 17);
        CorruptedData noisy = InputNoiseScenario.of(targets).apply(train, 17);

        assertThat(poisoned.corruptedIndices()).containsExactly(noisy.corruptedIndices());
    }

    @Test
    void sameSeedGivesSamePoison() {
        ExampleSet train = TestData.varied(2, 100, 1, 2, 2);
        PoisonScenario scenario = PoisonOptions.of(List.of(0)).toScenario(
                List.of(LinearVictim.standard(), new LinearVictim(new double[][] {{0, 1, 0, -1}, {0, -1, 0, 1}}),
                        LinearVictim.standard()));

        CorruptedData a = scenario.apply(train, 5);
        CorruptedData b = scenario.apply(train, 5);
        assertThat(a.data().pixels()).containsExactly(b.data().pixels());
        assertThat(a.data().labels()).containsExactly(b.data().labels());
    }

    @Test
    void defaultEpsDependsOnTheChannelCount() {
        PoisonOptions options = PoisonOptions.of(List.of(0));

        assertThat(options.epsFor(1)).isEqualTo(0.2);
        assertThat(options.epsFor(3)).isEqualTo(8.0 / 255.0);
        assertThat(options.parameters()).containsEntry("eps", "auto");
        CorruptedData data = options.toScenario(List.of(LinearVictim.standard(), LinearVictim.standard(),
                LinearVictim.standard())).apply(twoImages(), 1);
        assertThat(data.parameters()).containsEntry("eps", 0.2).containsEntry("seed", 1L);
    }

    @Test
    void wrongNumberOfVictimsIsRejected() {
        PoisonOptions options = PoisonOptions.of(List.of(0));

        assertThatThrownBy(() -> options.toScenario(List.of(LinearVictim.standard())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 victims");
    }

    @Test
    void gradientOfTheWrongLengthIsReported() {
        Victim broken = new Victim() {
            @Override
            public int[] predict(float[] images, int n) {
                return new int[n];
            }

            @Override
            public float[] inputLossGradient(float[] images, int[] labels, int n) {
                return new float[1];
            }
        };
        PoisonScenario scenario = new PoisonOptions(List.of(0), 1.0, OptionalDouble.empty(), 1).toScenario(List.of(broken));

        assertThatThrownBy(() -> scenario.apply(twoImages(), 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("gradient");
    }
}
