package dev.amend.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.amend.AmendException;
import dev.amend.data.ExampleSet;
import dev.amend.model.nn.Dual;
import dev.amend.model.nn.ParamSpec;
import dev.amend.model.nn.Sequential;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One of amend's own networks ({@link Architectures}): functional layers whose parameters are
 * plain tensors, which gives the fast and exact path of docs/methods.md 0: per-example
 * gradients by expanded weights (one backward per chunk) and curvature products by
 * forward-over-reverse differentiation through {@link dev.amend.model.nn.Layer#jvp} (one
 * first-order backward of the directional derivative; double backward in libtorch leaks
 * through the parameter/gradient reference cycle). Any initialisation amend knows can be drawn
 * again ({@link #reinitialised}).
 */
public final class NetworkModel extends ModelHandle {
    private final Sequential net;

    private NetworkModel(ModelSpec spec, Sequential net, double[] theta) {
        super(spec, net.parameters(), dtypeOf(spec));
        this.net = net;
        if (theta.length != numParameters()) {
            close();
            throw new AmendException("the parameter file holds " + theta.length + " values but model "
                    + spec.architecture() + " for " + spec.channels() + "x" + spec.height() + "x" + spec.width()
                    + " inputs and " + spec.numClasses() + " classes has " + numParameters());
        }
        adoptParameters(toArrays(manager(), theta));
    }

    private static DataType dtypeOf(ModelSpec spec) {
        return spec.precision() == ModelSpec.Precision.FLOAT64 ? DataType.FLOAT64 : DataType.FLOAT32;
    }

    /** A new model with the default initialisation (uniform +-1/sqrt(fan-in)) drawn from {@code seed}. */
    public static NetworkModel create(ModelSpec spec, long seed) {
        Sequential built = Architectures.build(spec);
        ModelBudget.check(spec, built);
        List<ParamSpec> specs = built.parameters();
        int n = specs.stream().mapToInt(ParamSpec::size).sum();
        double[] theta = new double[n];
        SplittableRandom random = new SplittableRandom(seed);
        int at = 0;
        for (ParamSpec p : specs) {
            double bound = p.constant() == null ? 1.0 / Math.sqrt(p.fanIn()) : 0;
            for (int i = 0; i < p.size(); i++) {
                theta[at++] = p.constant() != null ? p.constant() : (2 * random.nextDouble() - 1) * bound;
            }
        }
        return new NetworkModel(spec, built, theta);
    }

    /** A model with the given flat parameters. */
    public static NetworkModel of(ModelSpec spec, double[] theta) {
        return new NetworkModel(spec, Architectures.build(spec), theta);
    }

    @Override
    public NetworkModel copy() {
        return new NetworkModel(spec(), net, getParameters());
    }

    @Override
    public NetworkModel reinitialised(long seed) {
        return create(spec(), seed);
    }

    @Override
    public NDArray logits(NDArray x) {
        return net.forward(x, parameters());
    }

    /** Logits of a batch with other parameter tensors than the live ones (e.g. fresh leaves in tests). */
    public NDArray logits(NDArray x, List<NDArray> parameters) {
        return net.forward(x, parameters);
    }

    @Override
    public void perExampleGradientsAndLosses(ExampleSet data, int chunk, GradientLossConsumer consumer) {
        spec().checkCompatible(data, "the data");
        int n = data.size();
        NDList params = parameters();
        boolean grad = JniUtils.isGradMode();
        try {
            for (int from = 0; from < n; from += chunk) {
                int to = Math.min(n, from + chunk);
                int b = to - from;
                try (NDManager scope = newScope()) {
                    JniUtils.setGradMode(false);
                    NDArray x = inputs(scope, data, from, to);
                    NDArray y = labels(scope, data, from, to);
                    NDList expanded = new NDList(params.size());
                    for (NDArray p : params) {
                        NDArray e = p.expandDims(0).repeat(0, b);
                        e.setRequiresGradient(true);
                        expanded.add(e);
                    }
                    JniUtils.setGradMode(true);
                    NDArray losses = perExampleLoss(net.forwardPerExample(x, expanded), y);
                    NDArray loss = losses.sum();
                    JniUtils.backward((PtNDArray) loss, (PtNDArray) loss.onesLike(), false, false);
                    JniUtils.setGradMode(false);
                    NDList parts = new NDList(expanded.size());
                    for (NDArray e : expanded) {
                        parts.add(e.getGradient().reshape(b, -1));
                    }
                    consumer.accept(from, parts, losses.stopGradient());
                }
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    @Override
    protected double[] chunkCurvatureProduct(Curvature curvature, ExampleSet data, int from, int to, double[] v, int n) {
        try (NDManager scope = newScope()) {
            NDArray x = inputs(scope, data, from, to);
            NDArray y = labels(scope, data, from, to);
            NDList vs = toArrays(scope, v);
            int k = spec().numClasses();
            DataType dtype = dataType();
            NDList g = gradient(scope, p -> {
                Dual out = net.jvp(new Dual(x, null), p, vs);
                NDArray probs = out.value().softmax(1);
                NDArray ld = out.tangent();
                if (curvature == Curvature.HESSIAN) {
                    // d = grad(mean loss) . v, differentiable in theta; its gradient is H v.
                    NDArray residual = probs.sub(y.oneHot(k).toType(dtype, false));
                    return residual.mul(ld).sum().div(n);
                }
                // u = Lambda J v treated as a constant; grad of logits . u is J^T Lambda J v.
                NDArray pl = probs.mul(ld);
                NDArray u = pl.sub(probs.mul(pl.sum(new int[] {1}, true))).stopGradient();
                return out.value().mul(u).sum().div(n);
            });
            return flatten(g);
        }
    }

    @Override
    public void exportTorchScript(Path file) {
        TorchScript.export(this, file);
    }
}
