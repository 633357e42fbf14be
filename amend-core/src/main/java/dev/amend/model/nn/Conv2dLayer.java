package dev.amend.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import java.util.List;

/** Square 2-D convolution with bias: weight (out, in, k, k), bias (out). */
public final class Conv2dLayer implements Layer {
    private final int in;
    private final int out;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final boolean zeroInit;

    public Conv2dLayer(int in, int out, int kernel, int stride, int padding) {
        this(in, out, kernel, stride, padding, false);
    }

    private Conv2dLayer(int in, int out, int kernel, int stride, int padding, boolean zeroInit) {
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.zeroInit = zeroInit;
    }

    /** A convolution whose weights and bias start at zero (the last layer of a residual branch). */
    public static Conv2dLayer zeroInitialised(int in, int out, int kernel, int stride, int padding) {
        return new Conv2dLayer(in, out, kernel, stride, padding, true);
    }

    @Override
    public List<ParamSpec> parameters() {
        int fanIn = in * kernel * kernel;
        if (zeroInit) {
            return List.of(ParamSpec.constant("weight", 0, out, in, kernel, kernel), ParamSpec.constant("bias", 0, out));
        }
        return List.of(ParamSpec.uniform("weight", fanIn, out, in, kernel, kernel), ParamSpec.uniform("bias", fanIn, out));
    }

    @Override
    public long[] outputShape(long[] s) {
        long h = (s[1] + 2L * padding - kernel) / stride + 1;
        long w = (s[2] + 2L * padding - kernel) / stride + 1;
        return new long[] {out, h, w};
    }

    private NDArray conv(NDArray x, NDArray w, NDArray b, int groups) {
        return Conv2d.conv2d(x, w, b, new Shape(stride, stride), new Shape(padding, padding), new Shape(1, 1), groups)
                .singletonOrThrow();
    }

    @Override
    public NDArray forward(NDArray x, List<NDArray> p) {
        return conv(x, p.get(0), p.get(1), 1);
    }

    /** Expanded weights: the batch becomes groups of one grouped convolution. */
    @Override
    public NDArray forwardPerExample(NDArray x, List<NDArray> p) {
        Shape s = x.getShape();
        long b = s.get(0);
        NDArray xs = x.reshape(1, b * s.get(1), s.get(2), s.get(3));
        NDArray w = p.get(0).reshape(b * out, in, kernel, kernel);
        NDArray bias = p.get(1).reshape(b * out);
        NDArray y = conv(xs, w, bias, Math.toIntExact(b));
        Shape ys = y.getShape();
        return y.reshape(b, out, ys.get(2), ys.get(3));
    }

    @Override
    public Dual jvp(Dual x, List<NDArray> p, List<NDArray> v) {
        NDArray y = forward(x.value(), p);
        NDArray yd = conv(x.value(), v.get(0), v.get(1), 1);
        if (x.tangent() != null) {
            yd = yd.add(conv(x.tangent(), p.get(0), p.get(1).zerosLike(), 1));
        }
        return new Dual(y, yd);
    }
}
