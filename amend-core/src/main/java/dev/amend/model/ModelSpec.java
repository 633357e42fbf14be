package dev.amend.model;

import dev.amend.AmendException;
import dev.amend.data.Dataset;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to rebuild a model besides its weights: the architecture and its options,
 * the input shape, the classes, the per-channel training mean subtracted from every input
 * (docs/methods.md 4.1: the paper subtracts the training mean), the numeric precision and the L2
 * coefficient {@code weightDecay} (alpha) of the training objective
 * {@code mean cross-entropy + alpha/2 ||theta||^2} over all trainable parameters theta.
 */
public record ModelSpec(String architecture, Map<String, String> options, int channels, int height, int width,
        List<String> classNames, float[] inputMean, Precision precision, double weightDecay) {

    /** Numeric precision of parameters and activations. */
    public enum Precision {
        FLOAT32, FLOAT64
    }

    public ModelSpec {
        options = Map.copyOf(Architectures.withDefaultOptions(architecture, options));
        classNames = List.copyOf(classNames);
        if (inputMean.length != channels) {
            throw new AmendException("input mean has " + inputMean.length + " channels, the model " + channels);
        }
        if (weightDecay < 0 || !Double.isFinite(weightDecay)) {
            throw new AmendException("weight decay must be a finite number >= 0, got " + weightDecay);
        }
    }

    /**
     * This spec as read from {@code json}, the JSON it was parsed from. A {@code paper-cnn} spec
     * without {@code pools} was written before the two-pool network became the default
     * (docs/methods.md 4.1): it is the one-pool network its parameters were trained in.
     */
    public ModelSpec withLegacyDefaults(com.fasterxml.jackson.databind.JsonNode json) {
        if (Architectures.PAPER_CNN.equals(architecture) && json != null && !json.path("options").has("pools")) {
            Map<String, String> o = new java.util.TreeMap<>(options);
            o.put("pools", "1");
            return new ModelSpec(architecture, o, channels, height, width, classNames, inputMean, precision, weightDecay);
        }
        return this;
    }

    public int numClasses() {
        return classNames.size();
    }

    /** Fails with a one-line message if the data cannot be fed to this model. */
    public void checkCompatible(Dataset data, String what) {
        if (data.channels() != channels || data.height() != height || data.width() != width) {
            throw new AmendException("the model expects " + channels + "x" + height + "x" + width + " images but "
                    + what + " has " + data.shapeString());
        }
        if (data.numClasses() != numClasses()) {
            throw new AmendException("the model has " + numClasses() + " classes but " + what + " has "
                    + data.numClasses());
        }
    }
}
