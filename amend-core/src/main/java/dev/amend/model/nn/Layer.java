package dev.amend.model.nn;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * A differentiable layer written as a pure function of its input and its parameters, so that
 * the same layer serves three passes that a library layer cannot give together:
 * <ul>
 *   <li>{@link #forward}: the ordinary batched pass;</li>
 *   <li>{@link #forwardPerExample}: the pass with one copy of every parameter per example
 *       (leading batch axis), whose backward yields per-example gradients in one go;</li>
 *   <li>{@link #jvp}: the forward-mode pass carrying a tangent for a parameter direction v;
 *       differentiating the resulting directional derivative once more gives exact
 *       Hessian-vector products without double backward (which leaks in libtorch via
 *       the parameter/gradient reference cycle).</li>
 * </ul>
 * Shapes exclude the batch axis.
 */
public interface Layer {

    /** Trainable tensors, in the order they appear in the flat parameter vector. */
    List<ParamSpec> parameters();

    /** Output shape for one example of the given input shape. */
    long[] outputShape(long[] inputShape);

    /** Batched forward pass. */
    NDArray forward(NDArray x, List<NDArray> params);

    /**
     * Forward pass where every parameter has a leading axis of the batch size: example b uses
     * slice b. Layers without parameters run {@link #forward}.
     */
    default NDArray forwardPerExample(NDArray x, List<NDArray> perExampleParams) {
        return forward(x, perExampleParams);
    }

    /**
     * Forward pass and its tangent: {@code x.tangent()} is dx along v (null = 0), {@code v} holds
     * the parameter direction for this layer's parameters. Returns y and dy. The tangent must be
     * differentiable with respect to the parameters wherever the layer has non-zero second
     * derivatives (e.g. tanh), and may treat piecewise-constant masks (ReLU, max-pooling) as
     * constants.
     */
    Dual jvp(Dual x, List<NDArray> params, List<NDArray> v);
}
