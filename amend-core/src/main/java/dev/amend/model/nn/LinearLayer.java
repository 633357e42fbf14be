package dev.amend.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.core.Linear;
import java.util.List;

/** Affine layer y = x W^T + b on flat inputs: weight (out, in), bias (out). */
public final class LinearLayer implements Layer {
    private final int in;
    private final int out;

    public LinearLayer(int in, int out) {
        this.in = in;
        this.out = out;
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(ParamSpec.uniform("weight", in, out, in), ParamSpec.uniform("bias", in, out));
    }

    @Override
    public long[] outputShape(long[] s) {
        return new long[] {out};
    }

    @Override
    public NDArray forward(NDArray x, List<NDArray> p) {
        return Linear.linear(x, p.get(0), p.get(1)).singletonOrThrow();
    }

    @Override
    public NDArray forwardPerExample(NDArray x, List<NDArray> p) {
        return p.get(0).matMul(x.expandDims(2)).squeeze(2).add(p.get(1));
    }

    @Override
    public Dual jvp(Dual x, List<NDArray> p, List<NDArray> v) {
        NDArray y = forward(x.value(), p);
        NDArray yd = Linear.linear(x.value(), v.get(0), v.get(1)).singletonOrThrow();
        if (x.tangent() != null) {
            yd = yd.add(x.tangent().matMul(p.get(0).transpose()));
        }
        return new Dual(y, yd);
    }
}
