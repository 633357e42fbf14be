package dev.amend.model.nn;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/** Layers applied in order; its parameters are theirs, concatenated in that order. */
public final class Sequential implements Layer {
    private final List<Layer> layers;
    private final int[] offsets;
    private final List<ParamSpec> params;

    public Sequential(List<Layer> layers) {
        this.layers = List.copyOf(layers);
        this.offsets = new int[layers.size() + 1];
        List<ParamSpec> all = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            offsets[i] = all.size();
            for (ParamSpec p : layers.get(i).parameters()) {
                all.add(new ParamSpec(i + "." + p.name(), p.shape(), p.fanIn(), p.constant()));
            }
        }
        offsets[layers.size()] = all.size();
        this.params = List.copyOf(all);
    }

    public List<Layer> layers() {
        return layers;
    }

    @Override
    public List<ParamSpec> parameters() {
        return params;
    }

    @Override
    public long[] outputShape(long[] s) {
        long[] shape = s;
        for (Layer l : layers) {
            shape = l.outputShape(shape);
        }
        return shape;
    }

    private List<NDArray> slice(List<NDArray> p, int i) {
        return p.subList(offsets[i], offsets[i + 1]);
    }

    @Override
    public NDArray forward(NDArray x, List<NDArray> p) {
        NDArray h = x;
        for (int i = 0; i < layers.size(); i++) {
            h = layers.get(i).forward(h, slice(p, i));
        }
        return h;
    }

    @Override
    public NDArray forwardPerExample(NDArray x, List<NDArray> p) {
        NDArray h = x;
        for (int i = 0; i < layers.size(); i++) {
            h = layers.get(i).forwardPerExample(h, slice(p, i));
        }
        return h;
    }

    @Override
    public Dual jvp(Dual x, List<NDArray> p, List<NDArray> v) {
        Dual h = x;
        for (int i = 0; i < layers.size(); i++) {
            h = layers.get(i).jvp(h, slice(p, i), slice(v, i));
        }
        return h;
    }
}
