package dev.amend.model.nn;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** Global average pooling: (C, H, W) to (C). */
public final class GlobalAvgPool implements Layer {
    @Override
    public List<ParamSpec> parameters() {
        return List.of();
    }

    @Override
    public long[] outputShape(long[] s) {
        return new long[] {s[0]};
    }

    @Override
    public NDArray forward(NDArray x, List<NDArray> p) {
        // PyTorch's mean over two axes at once is not supported by DJL's binding.
        return x.mean(new int[] {3}).mean(new int[] {2});
    }

    @Override
    public Dual jvp(Dual x, List<NDArray> p, List<NDArray> v) {
        return new Dual(forward(x.value(), p), x.tangent() == null ? null : forward(x.tangent(), p));
    }
}
