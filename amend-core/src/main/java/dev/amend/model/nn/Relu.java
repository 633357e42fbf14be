package dev.amend.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import java.util.List;

/** ReLU; its second derivative is zero almost everywhere, so the tangent uses a constant mask. */
public final class Relu implements Layer {
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
        return Activation.relu(x);
    }

    @Override
    public Dual jvp(Dual x, List<NDArray> p, List<NDArray> v) {
        NDArray y = forward(x.value(), p);
        NDArray yd = x.tangent() == null ? null : x.tangent().mul(x.value().gt(0).toType(x.value().getDataType(), false));
        return new Dual(y, yd);
    }
}
