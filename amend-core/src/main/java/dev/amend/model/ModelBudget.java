package dev.amend.model;

import dev.amend.AmendException;
import dev.amend.model.nn.Layer;
import dev.amend.model.nn.ParamSpec;
import dev.amend.model.nn.Sequential;
import java.util.Locale;

/**
 * The memory a model needs, estimated from its architecture before anything is allocated, and
 * checked against the Java heap (docs/errors.md, "Limits"). A model far too large for the
 * machine (an option such as {@code hidden=100000000}) fails in a second with one line instead
 * of overflowing a count or running out of memory minutes later.
 *
 * <p>The estimate: the parameters, as doubles on the Java heap (amend keeps the flat parameter
 * vector there) and in the model's precision four times in libtorch (parameters, gradients and
 * Adam's two moments); plus the activations of a minibatch of {@value #BATCH} examples, each
 * layer's output kept for the backward pass and its gradient.
 */
public final class ModelBudget {
    /** The minibatch the activation estimate assumes: the default of {@code amend train}. */
    static final int BATCH = 64;

    private ModelBudget() {
    }

    /** Fails with a one-line {@link AmendException} if {@code net} cannot fit in the heap. */
    public static void check(ModelSpec spec, Sequential net) {
        double parameters = 0;
        for (ParamSpec p : net.parameters()) {
            double n = 1;
            for (long d : p.shape()) {
                n *= d;
            }
            parameters += n;
        }
        int bytes = spec.precision() == ModelSpec.Precision.FLOAT64 ? 8 : 4;
        double activations = 0;
        long[] shape = {1, spec.channels(), spec.height(), spec.width()};
        for (Layer layer : net.layers()) {
            shape = layer.outputShape(shape);
            double n = 1;
            for (long d : shape) {
                n *= d;
            }
            activations += n;
        }
        double need = parameters * (Double.BYTES + 4.0 * bytes) + activations * BATCH * 2.0 * bytes;
        long heap = Runtime.getRuntime().maxMemory();
        if (parameters > Integer.MAX_VALUE - 8 || need > heap) {
            throw new AmendException(String.format(Locale.ROOT,
                    "model %s%s has %.3g parameters and needs about %.1f GB for them and the activations of a"
                            + " minibatch; the Java heap may grow to %.1f GB: choose smaller options%s",
                    spec.architecture(), spec.options().isEmpty() ? "" : " " + spec.options(), parameters, need / 1e9,
                    heap / 1e9, parameters > Integer.MAX_VALUE - 8 ? " (amend holds at most 2^31 parameters)"
                            : ", or give Java more memory with JAVA_TOOL_OPTIONS=-Xmx<size>"));
        }
    }
}
