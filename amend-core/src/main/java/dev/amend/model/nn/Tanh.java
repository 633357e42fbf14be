package dev.amend.model.nn;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** tanh; its tangent dy = dx (1 - y^2) keeps y in the graph, so the curvature is exact. */
public final class Tanh implements Layer {
    @Override
    public List<ParamSpec> parameters() {
        return List.of();
    }

    @Override
    public long[] outputShape(long[] s) {
        return s;
    }

    @Override
    public NDArray forward(NDArray x, List<NDArray> p) {
        return x.tanh();
    }

    @Override
    public Dual jvp(Dual x, List<NDArray> p, List<NDArray> v) {
        NDArray y = forward(x.value(), p);
        NDArray yd = x.tangent() == null ? null : x.tangent().mul(y.square().neg().add(1));
        return new Dual(y, yd);
    }
}
