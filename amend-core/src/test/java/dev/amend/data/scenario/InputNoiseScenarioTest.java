package dev.amend.data.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.amend.AmendException;
import dev.amend.data.ExampleSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class InputNoiseScenarioTest {
    /** Unequal class sizes, so that round(0.3 n_c) differs between classes and exercises rounding (n = 105 gives 31.5). */
    private static final int[] COUNTS = {100, 105, 53, 61, 70, 81, 99, 107, 64, 77};
    private static final List<Integer> TARGETS = List.of(1, 7, 6, 9);

    @Test
    void exactlyRoundedFractionOfEachTargetClassIsCorrupted() {
        ExampleSet train = TestData.constant(COUNTS, 1, 4, 4, 0.5f);
        CorruptedData data = InputNoiseScenario.of(TARGETS).apply(train, 3);

        int[] perClass = new int[COUNTS.length];
        for (int i : data.corruptedIndices()) {
            perClass[train.label(i)]++;
        }
        for (int c = 0; c < COUNTS.length; c++) {
            int expected = TARGETS.contains(c) ? (int) Math.round(0.3 * COUNTS[c]) : 0;
            assertThat(perClass[c]).as("class %d", c).isEqualTo(expected);
        }
        assertThat(perClass[1]).isEqualTo(32);
    }

    @Test
    void labelsAndUnchosenImagesAreUntouched() {
        ExampleSet train = TestData.varied(10, 50, 1, 4, 4);
        CorruptedData data = InputNoiseScenario.of(TARGETS).apply(train, 3);

        assertThat(data.data().labels()).containsExactly(train.labels());
        assertThat(data.labelChangedCount()).isZero();
        for (int i = 0; i < train.size(); i++) {
            if (!data.isCorrupted(i)) {
                assertThat(data.data().image(i)).as("example %d", i).containsExactly(train.image(i));
            }
        }
        assertThat(train.pixels()).containsExactly(TestData.varied(10, 50, 1, 4, 4).pixels());
    }

    @Test
    void saltAndPepperSetsAboutTheAmountOfPixelsToZeroOrOne() {
        ExampleSet train = TestData.constant(new int[] {10, 1000}, 1, 10, 10, 0.5f);
        CorruptedData data = InputNoiseScenario.of(List.of(1)).apply(train, 8);

        int pixels = 0;
        int changed = 0;
        int ones = 0;
        for (int i : data.corruptedIndices()) {
            for (float v : data.data().image(i)) {
                pixels++;
                if (v != 0.5f) {
                    assertThat(v).isIn(0f, 1f);
                    changed++;
                    ones += v == 1f ? 1 : 0;
                }
            }
        }
        assertThat(pixels).isEqualTo(300 * 100);
        double amount = InputNoiseScenario.DEFAULT_AMOUNT;
        double se = Math.sqrt(pixels * amount * (1 - amount));
        assertThat((double) changed).isBetween(pixels * amount - 3 * se, pixels * amount + 3 * se);
        double seHalf = Math.sqrt(changed * 0.25);
        assertThat((double) ones).isBetween(changed / 2.0 - 3 * seHalf, changed / 2.0 + 3 * seHalf);
        assertThat(data.parameters()).containsEntry("noise", "salt-and-pepper");
    }

    @Test
    void colourSaltAndPepperSetsAllChannelsOfAPixelTogether() {
        ExampleSet train = TestData.constant(new int[] {20}, 3, 6, 6, 0.5f);
        CorruptedData data = new InputNoiseScenario(List.of(0), 0.5, NoiseType.SALT_AND_PEPPER, 0.5, 0.2).apply(train, 2);

        int plane = 36;
        for (int i : data.corruptedIndices()) {
            float[] x = data.data().image(i);
            for (int p = 0; p < plane; p++) {
                assertThat(x[plane + p]).isEqualTo(x[p]);
                assertThat(x[2 * plane + p]).isEqualTo(x[p]);
            }
        }
    }

    @Test
    void gaussianNoiseIsClippedToTheUnitInterval() {
        int n = 200;
        int d = 3 * 8 * 8;
        float[] images = new float[n * d];
        for (int j = 0; j < images.length; j++) {
            images[j] = new float[] {0f, 1f, 0.5f}[j % 3];
        }
        ExampleSet train = ExampleSet.of(images, new int[n], 3, 8, 8, ExampleSet.numberedClasses(1));
        CorruptedData data = InputNoiseScenario.of(List.of(0)).apply(train, 4);

        assertThat(data.corruptedCount()).isEqualTo(60);
        assertThat(data.parameters()).containsEntry("noise", "gaussian");
        float[] x = data.data().pixels();
        int zeros = 0;
        int atZero = 0;
        double sum = 0;
        double sumSq = 0;
        int middle = 0;
        for (int i : data.corruptedIndices()) {
            for (int j = i * d; j < (i + 1) * d; j++) {
                assertThat(x[j]).isBetween(0f, 1f);
                if (images[j] == 0f) {
                    atZero++;
                    zeros += x[j] == 0f ? 1 : 0;
                } else if (images[j] == 0.5f) {
                    middle++;
                    sum += x[j] - 0.5;
                    sumSq += (x[j] - 0.5) * (x[j] - 0.5);
                }
            }
        }
        // Half of the noise pushes a black pixel below 0, where the clip holds it.
        double seHalf = Math.sqrt(atZero * 0.25);
        assertThat((double) zeros).isBetween(atZero / 2.0 - 3 * seHalf, atZero / 2.0 + 3 * seHalf);
        assertThat(sum / middle).isCloseTo(0.0, within(0.01));
        assertThat(Math.sqrt(sumSq / middle)).isCloseTo(InputNoiseScenario.DEFAULT_SIGMA, within(0.01));
    }

    @Test
    void sameSeedGivesSameNoiseAndAnotherSeedOther() {
        ExampleSet train = TestData.varied(10, 30, 1, 4, 4);
        InputNoiseScenario scenario = InputNoiseScenario.of(TARGETS);

        assertThat(scenario.apply(train, 1).data().pixels()).containsExactly(scenario.apply(train, 1).data().pixels());
        assertThat(scenario.apply(train, 2).corruptedIndices()).isNotEqualTo(scenario.apply(train, 1).corruptedIndices());
    }

    @Test
    void targetClassOutsideTheDataIsRejected() {
        ExampleSet train = TestData.varied(5, 10, 1, 2, 2);

        assertThatThrownBy(() -> InputNoiseScenario.of(TARGETS).apply(train, 1)).isInstanceOf(AmendException.class)
                .hasMessageContaining("class 6");
    }
}
