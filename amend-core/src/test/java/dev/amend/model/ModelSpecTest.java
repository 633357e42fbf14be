package dev.amend.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.amend.AmendException;
import dev.amend.model.nn.Sequential;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The input shapes a model spec accepts: images, and feature vectors as N x 1 x 1. */
class ModelSpecTest {
    private static ModelSpec spec(String architecture, int c, int h, int w, float mean) {
        float[] means = new float[c];
        java.util.Arrays.fill(means, mean);
        return new ModelSpec(architecture, Map.of(), c, h, w, List.of("0", "1"), means, ModelSpec.Precision.FLOAT32, 0);
    }

    @Test
    void featureVectorsMayHaveManyFeaturesWithAnyFiniteMean() {
        ModelSpec features = spec("mlp", 300, 1, 1, 52000f);

        Sequential net = Architectures.build(features);

        assertThat(net.parameters().get(0).fanIn()).isEqualTo(300);
        assertThatThrownBy(() -> spec("mlp", 3, 1, 1, Float.NaN)).isInstanceOf(AmendException.class)
                .hasMessage("input mean of channel 0 is NaN; a mean of features is finite");
        assertThatThrownBy(() -> spec("mlp", 300, 2, 2, 0.5f)).isInstanceOf(AmendException.class)
                .hasMessageContaining("is impossible");
        assertThatThrownBy(() -> spec("mlp", 1, 28, 28, 3f)).isInstanceOf(AmendException.class)
                .hasMessage("input mean of channel 0 is 3.0; a mean of pixels in [0, 1] lies in [0, 1]");
    }

    @Test
    void thePaperCnnRefusesInputsItsPoolsWouldEmpty() {
        assertThatThrownBy(() -> Architectures.build(spec("paper-cnn", 5, 1, 1, 0f))).isInstanceOf(AmendException.class)
                .hasMessage("paper-cnn (pools=2) needs images of at least 4x4 pixels, got 1x1; for feature vectors"
                        + " use mlp or logreg");
        assertThat(Architectures.build(spec("paper-cnn", 3, 32, 32, 0.5f))).isNotNull();
        assertThat(Architectures.build(spec("logreg", 5, 1, 1, 0f))).isNotNull();
    }
}
