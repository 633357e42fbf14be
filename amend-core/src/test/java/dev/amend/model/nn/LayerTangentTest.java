package dev.amend.model.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.amend.model.Engines;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every layer's tangent equals the central difference of its forward pass (float64). */
class LayerTangentTest {

    static List<Object[]> layers() {
        return List.of(new Object[] {"conv", new Conv2dLayer(2, 3, 3, 1, 1), new long[] {2, 6, 6}},
                new Object[] {"conv-stride", new Conv2dLayer(2, 3, 3, 2, 1), new long[] {2, 7, 7}},
                new Object[] {"linear", new LinearLayer(5, 4), new long[] {5}},
                new Object[] {"relu", new Relu(), new long[] {3, 4, 4}},
                new Object[] {"tanh", new Tanh(), new long[] {6}},
                new Object[] {"maxpool", new MaxPool2(), new long[] {2, 6, 6}},
                new Object[] {"maxpool-odd", new MaxPool2(), new long[] {2, 5, 5}},
                new Object[] {"gap", new GlobalAvgPool(), new long[] {3, 4, 4}},
                new Object[] {"flatten", new Flatten(), new long[] {2, 3, 3}},
                new Object[] {"residual", Residual.basicBlock(2, 4, 2), new long[] {2, 6, 6}},
                new Object[] {"sequential", new Sequential(List.of(new Conv2dLayer(1, 2, 3, 1, 1), new Relu(),
                        new MaxPool2(), new GlobalAvgPool(), new LinearLayer(2, 3))), new long[] {1, 6, 6}});
    }

    private static NDArray random(NDManager m, Random r, long... shape) {
        int n = 1;
        for (long d : shape) {
            n *= d;
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian();
        }
        return m.create(v, new Shape(shape));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void tangentMatchesCentralDifference(String name, Layer layer, long[] inShape) {
        try (NDManager m = Engines.newManager()) {
            Random r = new Random(1);
            long[] batched = new long[inShape.length + 1];
            batched[0] = 3;
            System.arraycopy(inShape, 0, batched, 1, inShape.length);
            NDArray x = random(m, r, batched);
            NDArray xd = random(m, r, batched);
            List<NDArray> p = new ArrayList<>();
            List<NDArray> v = new ArrayList<>();
            for (ParamSpec s : layer.parameters()) {
                p.add(random(m, r, s.shape()));
                v.add(random(m, r, s.shape()));
            }
            double eps = 1e-6;
            NDArray plus = layer.forward(x.add(xd.mul(eps)), shift(p, v, eps));
            NDArray minus = layer.forward(x.sub(xd.mul(eps)), shift(p, v, -eps));
            double[] fd = plus.sub(minus).div(2 * eps).toDoubleArray();
            Dual out = layer.jvp(new Dual(x, xd), p, v);
            double[] jvp = out.tangent().toType(DataType.FLOAT64, false).toDoubleArray();
            assertThat(out.value().toDoubleArray()).containsExactly(layer.forward(x, p).toDoubleArray());
            double num = 0;
            double den = 0;
            for (int i = 0; i < fd.length; i++) {
                num += (fd[i] - jvp[i]) * (fd[i] - jvp[i]);
                den += fd[i] * fd[i];
            }
            assertThat(Math.sqrt(num / den)).isLessThan(1e-6);
        }
    }

    private static List<NDArray> shift(List<NDArray> p, List<NDArray> v, double eps) {
        NDList out = new NDList();
        for (int i = 0; i < p.size(); i++) {
            out.add(p.get(i).add(v.get(i).mul(eps)));
        }
        return out;
    }
}
