package dev.amend.model;

import dev.amend.AmendException;
import dev.amend.model.nn.Conv2dLayer;
import dev.amend.model.nn.Flatten;
import dev.amend.model.nn.GlobalAvgPool;
import dev.amend.model.nn.Layer;
import dev.amend.model.nn.LinearLayer;
import dev.amend.model.nn.MaxPool2;
import dev.amend.model.nn.Relu;
import dev.amend.model.nn.Residual;
import dev.amend.model.nn.Sequential;
import dev.amend.model.nn.Tanh;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The model registry: builds a network from an architecture name and options.
 * <ul>
 *   <li>{@code paper-cnn}: [T22] App. C: conv3x3 32, max-pool 2x2, conv3x3 32, max-pool 2x2,
 *       conv3x3 64, 64 (ReLU, padding 1), global average pooling, linear to the classes; 65,642
 *       parameters on MNIST, 4.7 M multiply-adds per 28x28 image. Option {@code pools=1} is the
 *       other reading of "after the first two convolution layers, we perform 2x2 max-pooling":
 *       one pool after the second convolution, the same parameters at 18.3 M multiply-adds,
 *       about twice as slow to train (docs/methods.md 4.1).</li>
 *   <li>{@code mlp}: flatten, hidden layers ({@code hidden=128,64}), activation
 *       ({@code activation=relu|tanh}), linear to the classes.</li>
 *   <li>{@code logreg}: multinomial logistic regression (flatten, linear).</li>
 *   <li>{@code resnet}: a CIFAR-style residual network ({@code depth=6n+2}, default 8, widths
 *       16-32-64) without normalisation layers: residual branches end in a zero-initialised
 *       convolution (Fixup-style initialisation, Zhang et al. 2019), so every repair
 *       computation is exact without BatchNorm statistics. The paper used ResNet-50; this is a
 *       documented, smaller stand-in for a 2-core CPU.</li>
 * </ul>
 */
public final class Architectures {
    public static final String PAPER_CNN = "paper-cnn";
    public static final List<String> NAMES = List.of(PAPER_CNN, "mlp", "logreg", "resnet");
    /** Max-pools of paper-cnn: one after each of the first two convolutions. */
    public static final String DEFAULT_PAPER_CNN_POOLS = "2";

    private Architectures() {
    }

    /** Builds the network for a spec; unknown names or options fail with a one-line message. */
    public static Sequential build(ModelSpec spec) {
        Map<String, String> o = spec.options();
        int c = spec.channels();
        int k = spec.numClasses();
        int inputs = c * spec.height() * spec.width();
        switch (spec.architecture()) {
            case PAPER_CNN: {
                allowOnly(spec, Set.of("pools"));
                String pools = o.getOrDefault("pools", DEFAULT_PAPER_CNN_POOLS).trim();
                if (!pools.equals("1") && !pools.equals("2")) {
                    throw new AmendException("paper-cnn option pools must be 1 or 2, got '" + pools + "'");
                }
                int side = pools.equals("2") ? 4 : 2;
                if (spec.height() < side || spec.width() < side) {
                    throw new AmendException("paper-cnn (pools=" + pools + ") needs images of at least " + side + "x"
                            + side + " pixels, got " + spec.height() + "x" + spec.width()
                            + (ModelSpec.isFeatureShape(spec.height(), spec.width())
                                    ? "; for feature vectors use mlp or logreg" : ""));
                }
                List<Layer> layers = new ArrayList<>(List.of(new Conv2dLayer(c, 32, 3, 1, 1), new Relu()));
                if (pools.equals("2")) {
                    layers.add(new MaxPool2());
                }
                layers.addAll(List.of(new Conv2dLayer(32, 32, 3, 1, 1), new Relu(), new MaxPool2(),
                        new Conv2dLayer(32, 64, 3, 1, 1), new Relu(), new Conv2dLayer(64, 64, 3, 1, 1), new Relu(),
                        new GlobalAvgPool(), new LinearLayer(64, k)));
                return new Sequential(layers);
            }
            case "logreg":
                allowOnly(spec, Set.of());
                return new Sequential(List.of(new Flatten(), new LinearLayer(inputs, k)));
            case "mlp": {
                allowOnly(spec, Set.of("hidden", "activation"));
                List<Layer> layers = new ArrayList<>();
                layers.add(new Flatten());
                int in = inputs;
                String act = o.getOrDefault("activation", "relu");
                if (!act.equals("relu") && !act.equals("tanh")) {
                    throw new AmendException("mlp activation must be relu or tanh, got '" + act + "'");
                }
                for (String h : o.getOrDefault("hidden", "128").split("[,;]")) {
                    int width = positive(spec, "hidden", h);
                    layers.add(new LinearLayer(in, width));
                    layers.add(act.equals("relu") ? new Relu() : new Tanh());
                    in = width;
                }
                layers.add(new LinearLayer(in, k));
                return new Sequential(layers);
            }
            case "resnet": {
                allowOnly(spec, Set.of("depth", "width"));
                int depth = positive(spec, "depth", o.getOrDefault("depth", "8"));
                if ((depth - 2) % 6 != 0 || depth < 8) {
                    throw new AmendException("resnet depth must be 6n+2 with n >= 1 (8, 14, 20, ...), got " + depth);
                }
                int width = positive(spec, "width", o.getOrDefault("width", "16"));
                int blocks = (depth - 2) / 6;
                List<Layer> layers = new ArrayList<>();
                layers.add(new Conv2dLayer(c, width, 3, 1, 1));
                layers.add(new Relu());
                int in = width;
                for (int stage = 0; stage < 3; stage++) {
                    int out = width << stage;
                    for (int b = 0; b < blocks; b++) {
                        int stride = stage > 0 && b == 0 ? 2 : 1;
                        layers.add(Residual.basicBlock(in, out, stride));
                        in = out;
                    }
                }
                layers.add(new GlobalAvgPool());
                layers.add(new LinearLayer(in, k));
                return new Sequential(layers);
            }
            default:
                throw new AmendException("unknown model '" + spec.architecture() + "'; known models: "
                        + String.join(", ", NAMES));
        }
    }

    /**
     * The options with the architecture's defaults made explicit where a default has changed
     * over time ({@code paper-cnn}'s {@code pools}), so that a saved spec names its network.
     */
    static Map<String, String> withDefaultOptions(String architecture, Map<String, String> options) {
        if (PAPER_CNN.equals(architecture) && !options.containsKey("pools")) {
            Map<String, String> o = new java.util.TreeMap<>(options);
            o.put("pools", DEFAULT_PAPER_CNN_POOLS);
            return o;
        }
        return options;
    }

    private static void allowOnly(ModelSpec spec, Set<String> known) {
        for (String key : spec.options().keySet()) {
            if (!known.contains(key)) {
                throw new AmendException("model " + spec.architecture() + " has no option '" + key + "'"
                        + (known.isEmpty() ? "" : "; options: " + String.join(", ", known)));
            }
        }
    }

    private static int positive(ModelSpec spec, String key, String value) {
        try {
            int v = Integer.parseInt(value.trim());
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new AmendException("model " + spec.architecture() + " option " + key + " must be a positive integer, got '"
                + value + "'");
    }
}
