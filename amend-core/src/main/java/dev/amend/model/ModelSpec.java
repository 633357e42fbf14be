package dev.amend.model;

import dev.amend.AmendException;
import dev.amend.data.ExampleSet;
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

    /** The most features a feature-vector model takes: as many as a CSV line may hold. */
    public static final int MAX_FEATURES = dev.amend.data.CsvReader.MAX_FEATURES;

    /** Numeric precision of parameters and activations. */
    public enum Precision {
        FLOAT32, FLOAT64
    }

    public ModelSpec {
        if (architecture == null || options == null || classNames == null || inputMean == null || precision == null) {
            throw new AmendException("the model spec lacks its architecture, options, class names, input mean or"
                    + " precision");
        }
        options = Map.copyOf(Architectures.withDefaultOptions(architecture, options));
        classNames = List.copyOf(classNames);
        boolean features = isFeatureShape(height, width);
        if (channels <= 0 || height <= 0 || width <= 0 || channels > (features ? MAX_FEATURES : 64) || height > 4096
                || width > 4096) {
            throw new AmendException("the model's input shape " + channels + "x" + height + "x" + width
                    + " is impossible (at most 64 channels of 4096x4096 pixels, or " + MAX_FEATURES + " features)");
        }
        if (classNames.isEmpty()) {
            throw new AmendException("the model has no classes");
        }
        if (inputMean.length != channels) {
            throw new AmendException("input mean has " + inputMean.length + " channels, the model " + channels);
        }
        for (int c = 0; c < inputMean.length; c++) {
            // Pixels are in [0, 1], so is their mean; NaN or more would make every prediction garbage.
            // Features are taken as they come, so their means may be any finite number.
            if (features ? !Float.isFinite(inputMean[c]) : !(inputMean[c] >= -1f && inputMean[c] <= 2f)) {
                throw new AmendException("input mean of channel " + c + " is " + inputMean[c]
                        + (features ? "; a mean of features is finite" : "; a mean of pixels in [0, 1] lies in [0, 1]"));
            }
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

    /**
     * Whether inputs of this height and width are feature vectors: a 1x1 "image" whose channels
     * are the features, as {@code csv:...,features} data are read (dev.amend.data.CsvReader).
     */
    public static boolean isFeatureShape(int height, int width) {
        return height == 1 && width == 1;
    }

    public int numClasses() {
        return classNames.size();
    }

    /** Fails with a one-line message if the data cannot be fed to this model. */
    public void checkCompatible(ExampleSet data, String what) {
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
