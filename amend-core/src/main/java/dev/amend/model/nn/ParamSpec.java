package dev.amend.model.nn;

import java.util.Arrays;

/**
 * One trainable tensor of a layer: its name, its shape and the fan-in that sets its default
 * initialisation (uniform in +-1/sqrt(fanIn), the PyTorch default for convolutions and linear
 * layers); {@code constant} tensors (e.g. a BatchNorm scale) start at that value instead.
 */
public record ParamSpec(String name, long[] shape, int fanIn, Double constant) {

    public static ParamSpec uniform(String name, int fanIn, long... shape) {
        return new ParamSpec(name, shape, fanIn, null);
    }

    public static ParamSpec constant(String name, double value, long... shape) {
        return new ParamSpec(name, shape, 0, value);
    }

    /** Number of scalars in the tensor. */
    public int size() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return Math.toIntExact(n);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
