package dev.amend.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import java.util.ArrayList;
import java.util.List;

/**
 * y = relu(body(x) + shortcut(x)), with an identity shortcut or a projection (1x1 convolution)
 * when the shape changes.
 */
public final class Residual implements Layer {
    private final Sequential body;
    private final Sequential shortcut;
    private final int bodyParams;

    public Residual(Sequential body, Sequential shortcut) {
        this.body = body;
        this.shortcut = shortcut;
        this.bodyParams = body.parameters().size();
    }

    /**
     * The basic block of He et al. (2016): conv3x3-relu-conv3x3; its last convolution starts at
     * zero so the block starts as the identity (or the projection), which lets a network
     * without BatchNorm train stably.
     */
    public static Residual basicBlock(int in, int out, int stride) {
        Sequential body = new Sequential(List.of(new Conv2dLayer(in, out, 3, stride, 1), new Relu(),
                Conv2dLayer.zeroInitialised(out, out, 3, 1, 1)));
        Sequential shortcut = new Sequential(in == out && stride == 1 ? List.of()
                : List.of(new Conv2dLayer(in, out, 1, stride, 0)));
        return new Residual(body, shortcut);
    }

    @Override
    public List<ParamSpec> parameters() {
        List<ParamSpec> all = new ArrayList<>();
        body.parameters().forEach(p -> all.add(new ParamSpec("body." + p.name(), p.shape(), p.fanIn(), p.constant())));
        shortcut.parameters().forEach(p -> all.add(new ParamSpec("shortcut." + p.name(), p.shape(), p.fanIn(), p.constant())));
        return all;
    }

    @Override
    public long[] outputShape(long[] s) {
        return body.outputShape(s);
    }

    @Override
    public NDArray forward(NDArray x, List<NDArray> p) {
        NDArray sum = body.forward(x, p.subList(0, bodyParams)).add(shortcut.forward(x, p.subList(bodyParams, p.size())));
        return Activation.relu(sum);
    }

    @Override
    public NDArray forwardPerExample(NDArray x, List<NDArray> p) {
        NDArray sum = body.forwardPerExample(x, p.subList(0, bodyParams))
                .add(shortcut.forwardPerExample(x, p.subList(bodyParams, p.size())));
        return Activation.relu(sum);
    }

    @Override
    public Dual jvp(Dual x, List<NDArray> p, List<NDArray> v) {
        Dual a = body.jvp(x, p.subList(0, bodyParams), v.subList(0, bodyParams));
        Dual b = shortcut.jvp(x, p.subList(bodyParams, p.size()), v.subList(bodyParams, v.size()));
        NDArray sum = a.value().add(b.value());
        NDArray tangent = a.tangent() == null ? b.tangent()
                : b.tangent() == null ? a.tangent() : a.tangent().add(b.tangent());
        return new Relu().jvp(new Dual(sum, tangent), List.of(), List.of());
    }
}
