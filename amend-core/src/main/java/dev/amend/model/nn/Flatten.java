package dev.amend.model.nn;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** Flattens every example to a vector. */
public final class Flatten implements Layer {
    @Override
    public List<ParamSpec> parameters() {
        return List.of();
    }

    @Override
    public long[] outputShape(long[] s) {
        long n = 1;
        for (long d : s) {
            n *= d;
        }
        return new long[] {n};
    }

    @Override
    public NDArray forward(NDArray x, List<NDArray> p) {
        return x.reshape(x.getShape().get(0), -1);
    }

    @Override
    public Dual jvp(Dual x, List<NDArray> p, List<NDArray> v) {
        return new Dual(forward(x.value(), p), x.tangent() == null ? null : forward(x.tangent(), p));
    }
}
