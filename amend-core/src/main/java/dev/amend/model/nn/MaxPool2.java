package dev.amend.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import ai.djl.pytorch.jni.JniUtils;
import java.util.List;

/**
 * 2x2 max-pooling with stride 2 (an odd last row or column is dropped, as in PyTorch). The
 * tangent routes dx through the arg-max position of each window.
 */
public final class MaxPool2 implements Layer {
    private static final Shape TWO = new Shape(2, 2);
    /** The top-left, top-right, bottom-left and bottom-right entries of every window. */
    private static final NDIndex[] CORNERS = {new NDIndex(":, :, 0::2, 0::2"), new NDIndex(":, :, 0::2, 1::2"),
        new NDIndex(":, :, 1::2, 0::2"), new NDIndex(":, :, 1::2, 1::2")};

    @Override
    public List<ParamSpec> parameters() {
        return List.of();
    }

    @Override
    public long[] outputShape(long[] s) {
        return new long[] {s[0], s[1] / 2, s[2] / 2};
    }

    /**
     * Without a graph to record (scoring), the elementwise maximum of the four strided views of
     * the windows' corners: the same values as libtorch's max_pool2d, which took about a quarter
     * of paper-cnn's forward pass on the CPU. With one, max_pool2d, whose backward sends the
     * gradient to the first maximum of each window (the maximum of views would split it at ties).
     */
    @Override
    public NDArray forward(NDArray x, List<NDArray> p) {
        if (JniUtils.isGradMode()) {
            return Pool.maxPool2d(x, TWO, TWO, new Shape(0, 0), false);
        }
        NDArray c = crop(x);
        return c.get(CORNERS[0]).maximum(c.get(CORNERS[1])).maximum(c.get(CORNERS[2]).maximum(c.get(CORNERS[3])));
    }

    private static NDArray crop(NDArray x) {
        Shape s = x.getShape();
        long h = s.get(2) / 2 * 2;
        long w = s.get(3) / 2 * 2;
        return h == s.get(2) && w == s.get(3) ? x : x.get(new NDIndex(":, :, :{}, :{}", h, w));
    }

    /** (B, C, H, W) to (B, C, H/2, W/2, 4): the four entries of every pooling window, row-major. */
    private static NDArray windows(NDArray x) {
        Shape s = x.getShape();
        long h = s.get(2) / 2;
        long w = s.get(3) / 2;
        return x.reshape(s.get(0), s.get(1), h, 2, w, 2).transpose(0, 1, 2, 4, 3, 5).reshape(s.get(0), s.get(1), h, w, 4);
    }

    @Override
    public Dual jvp(Dual x, List<NDArray> p, List<NDArray> v) {
        NDArray y = forward(x.value(), p);
        if (x.tangent() == null) {
            return new Dual(y, null);
        }
        // The first maximum of each window, as PyTorch's max-pooling backward picks it.
        NDArray argmax = windows(crop(x.value())).argMax(4).expandDims(4);
        NDArray yd = windows(crop(x.tangent())).gather(argmax, 4).squeeze(4);
        return new Dual(y, yd);
    }
}
