package dev.amend.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.amend.AmendException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PreprocessingTest {
    @Test
    void channelMeanIsPerChannel() {
        // two 2x1 RGB images: red 0.1/0.3, green 0.5, blue 1.0 and 0.0
        float[] x = {0.1f, 0.1f, 0.5f, 0.5f, 1f, 1f, 0.3f, 0.3f, 0.5f, 0.5f, 0f, 0f};
        ExampleSet data = ExampleSet.of(x, new int[] {0, 1}, 3, 2, 1, ExampleSet.numberedClasses(2));
        assertThat(Preprocessing.channelMean(data)).containsExactly(new float[] {0.2f, 0.5f, 0.5f}, within(1e-7f));
    }

    @Test
    void subtractingTheMeanGivesMeanZeroAndKeepsTheOriginal() {
        SplittableRandom random = new SplittableRandom(1);
        float[] x = new float[200 * 3 * 4 * 4];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble();
        }
        ExampleSet data = ExampleSet.of(x, new int[200], 3, 4, 4, ExampleSet.numberedClasses(1));
        float[] before = x.clone();

        ExampleSet centred = Preprocessing.subtractMean(data, Preprocessing.channelMean(data));

        assertThat(Preprocessing.channelMean(centred)).containsExactly(new float[] {0f, 0f, 0f}, within(1e-6f));
        assertThat(data.pixels()).containsExactly(before);
        assertThat(centred.labels()).containsExactly(data.labels());
    }

    @Test
    void meanOfOtherChannelCountIsRejected() {
        ExampleSet grey = ExampleSet.of(new float[4], new int[1], 1, 2, 2, ExampleSet.numberedClasses(1));
        assertThatThrownBy(() -> Preprocessing.subtractMean(grey, new float[3])).isInstanceOf(AmendException.class);
    }
}
