package dev.amend.model.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.amend.model.Engines;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@link MaxPool2} gives what libtorch's max_pool2d gives, bit for bit, with and without a graph
 * to record: values, and gradients on inputs with many ties (small integers, as after ReLU many
 * zeros), where the gradient must go to the first maximum of each window; odd sizes too.
 */
class MaxPool2Test {

    private static NDArray input(NDManager m, Random r, DataType type, long... shape) {
        int n = 1;
        for (long d : shape) {
            n *= d;
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = Math.max(0, r.nextInt(5) - 2);
        }
        return m.create(v, new Shape(shape)).toType(type, false);
    }

    /** y and dL/dx for L = sum(y * weights), through {@code pool}. */
    private static NDArray[] valueAndGradient(NDArray input, NDArray weights, UnaryOperator<NDArray> pool) {
        NDArray x = input.duplicate();
        x.setRequiresGradient(true);
        boolean mode = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
        try {
            NDArray y = pool.apply(x);
            NDArray loss = y.mul(weights).sum();
            JniUtils.backward((PtNDArray) loss, (PtNDArray) loss.onesLike(), false, false);
            return new NDArray[] {y, x.getGradient()};
        } finally {
            JniUtils.setGradMode(mode);
        }
    }

    @Test
    void valuesAndGradientsEqualLibtorchsMaxPoolIncludingTies() {
        MaxPool2 layer = new MaxPool2();
        Random r = new Random(3);
        try (NDManager m = Engines.newManager()) {
            for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
                for (long[] shape : new long[][] {{3, 2, 6, 6}, {2, 3, 7, 5}, {1, 1, 2, 2}}) {
                    NDArray x = input(m, r, type, shape);
                    NDArray reference = Pool.maxPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
                    NDArray weights = m.randomNormal(reference.getShape()).toType(type, false);
                    NDArray[] expected = valueAndGradient(x, weights,
                            a -> Pool.maxPool2d(a, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false));
                    NDArray[] actual = valueAndGradient(x, weights, a -> layer.forward(a, List.of()));
                    String what = type + " " + java.util.Arrays.toString(shape);
                    assertThat(actual[0].getShape()).as(what).isEqualTo(reference.getShape());
                    assertThat(actual[0].toType(DataType.FLOAT64, false).toDoubleArray()).as(what)
                            .containsExactly(reference.toType(DataType.FLOAT64, false).toDoubleArray());
                    assertThat(actual[1].toType(DataType.FLOAT64, false).toDoubleArray()).as(what + " gradient")
                            .containsExactly(expected[1].toType(DataType.FLOAT64, false).toDoubleArray());
                    boolean mode = JniUtils.isGradMode();
                    JniUtils.setGradMode(false);
                    try {
                        assertThat(layer.forward(x, List.of()).toType(DataType.FLOAT64, false).toDoubleArray())
                                .as(what + " without gradients")
                                .containsExactly(reference.toType(DataType.FLOAT64, false).toDoubleArray());
                    } finally {
                        JniUtils.setGradMode(mode);
                    }
                }
            }
        }
    }
}
