package dev.amend.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.amend.AmendException;
import dev.amend.data.ExampleSet;
import dev.amend.model.nn.ParamSpec;
import dev.amend.util.Progress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * A classifier p(y | x, theta) with the operations every repair method needs (docs/methods.md 0,
 * "the ModelHandle contract"): forward scoring, per-example losses, per-example gradients in
 * chunks, the diagonal empirical Fisher, Hessian-, Gauss-Newton- and empirical-Fisher-vector
 * products, and the trainable parameters as one flat vector theta.
 *
 * <p>Two implementations: {@link NetworkModel}, amend's own functional networks (exact
 * per-example gradients by expanded weights, curvature products by forward-over-reverse), and
 * {@link ScriptedModel}, any TorchScript classifier (libtorch's autograd: per-example gradients by
 * one backward per example, curvature products by double backward); docs/models.md compares
 * them. Methods ask this type for what they need and never check which implementation they got;
 * an operation a model cannot offer fails with a one-line {@link AmendException} saying what to
 * use instead.
 *
 * <p>Conventions: l(z; theta) = -log p(y | x, theta) without weight decay; curvature products
 * are those of the training objective R_S = mean_S l + (alpha/2) ||theta||^2 (alpha =
 * {@link ModelSpec#weightDecay()}).
 *
 * <p>Not thread-safe; close it to free native memory.
 */
public abstract class ModelHandle implements AutoCloseable {
    /** Examples per forward chunk when scoring (no gradients). */
    private static final int SCORE_CHUNK = 500;
    /** Examples per chunk for per-example gradients. */
    public static final int GRADIENT_CHUNK = 50;
    /** Examples per chunk for full-batch gradients and curvature products. */
    private static final int CURVATURE_CHUNK = 250;

    private final ModelSpec spec;
    private final List<ParamSpec> paramSpecs;
    private final int numParams;
    private final DataType dtype;
    private final NDManager manager;
    private NDList params;
    private FisherCache fisherCache;

    /** Sets up the bookkeeping; the subclass then hands over its live tensors with {@link #adoptParameters}. */
    protected ModelHandle(ModelSpec spec, List<ParamSpec> paramSpecs, DataType dtype) {
        this.spec = spec;
        this.paramSpecs = List.copyOf(paramSpecs);
        this.numParams = paramSpecs.stream().mapToInt(ParamSpec::size).sum();
        this.dtype = dtype;
        this.manager = Engines.newManager();
    }

    /** The manager that owns this model's native memory. */
    protected final NDManager manager() {
        return manager;
    }

    /** Makes {@code live} the trainable tensors (they must match {@link #parameterSpecs()}); they are set to require gradients. */
    protected final void adoptParameters(NDList live) {
        if (live.size() != paramSpecs.size()) {
            throw new IllegalStateException(live.size() + " tensors for " + paramSpecs.size() + " parameters");
        }
        for (NDArray p : live) {
            p.setRequiresGradient(true);
        }
        this.params = live;
    }

    /** A new model of amend's architecture {@code spec} with the default initialisation drawn from {@code seed}. */
    public static ModelHandle create(ModelSpec spec, long seed) {
        return NetworkModel.create(spec, seed);
    }

    /** A model of amend's architecture {@code spec} with the given flat parameters. */
    public static ModelHandle of(ModelSpec spec, double[] theta) {
        return NetworkModel.of(spec, theta);
    }

    /** An independent copy with the same parameters. */
    public abstract ModelHandle copy();

    /**
     * A model of the same architecture with freshly initialised parameters (for retraining from
     * scratch); a model without an initialiser amend knows refuses with a one-line message.
     */
    public abstract ModelHandle reinitialised(long seed);

    /** Writes the model as a TorchScript file (atomically) that PyTorch loads with {@code torch.jit.load}. */
    public abstract void exportTorchScript(Path file);

    /** Logits (B, K) of a batch of prepared inputs ({@link #inputs}) with the live parameters. */
    public abstract NDArray logits(NDArray x);

    /**
     * Per-example gradients g_z = grad l(z; theta) of every example, streamed in chunks of at
     * most {@code chunk} examples.
     */
    public final void perExampleGradients(ExampleSet data, int chunk, GradientConsumer consumer) {
        perExampleGradientsAndLosses(data, chunk, (from, grads, losses) -> consumer.accept(from,
                grads.size() == 1 ? grads.get(0) : NDArrays.concat(grads, 1)));
    }

    /**
     * Per-example gradients g_z, one block per parameter tensor, with the losses l(z; theta)
     * that the same forward pass gives (no second pass over the data), streamed in chunks of at
     * most {@code chunk} examples.
     */
    public abstract void perExampleGradientsAndLosses(ExampleSet data, int chunk, GradientLossConsumer consumer);

    /**
     * grad of (1/n) sum over examples from..to-1 of the Hessian (or Gauss-Newton) directional
     * term in direction v: the chunk's share of (C v) for the curvature C of the mean loss over n
     * examples, without the weight-decay term.
     */
    protected abstract double[] chunkCurvatureProduct(Curvature curvature, ExampleSet data, int from, int to, double[] v,
            int n);

    public ModelSpec spec() {
        return spec;
    }

    public DataType dataType() {
        return dtype;
    }

    /** P, the number of trainable scalars. */
    public int numParameters() {
        return numParams;
    }

    /** Names and shapes of the parameter tensors, in flat-vector order. */
    public List<ParamSpec> parameterSpecs() {
        return paramSpecs;
    }

    /** The live parameter tensors (leaves that require gradients), for optimisers. */
    public NDList parameters() {
        return params;
    }

    /** A fresh scope for one step: arrays created inside are freed when it closes. */
    public NDManager newScope() {
        NDManager scope = manager.newSubManager();
        scope.tempAttachAll(params);
        return scope;
    }

    /**
     * A manager for arrays that outlive single steps (optimiser state, penalty centres); unlike
     * {@link #newScope()} it does not take the parameters in, so such managers may be closed in
     * any order.
     */
    public NDManager newStateManager() {
        return manager.newSubManager();
    }

    // ---------------------------------------------------------------- flat vectors

    /** theta as one flat vector (float64 copy). */
    public double[] getParameters() {
        return flatten(params);
    }

    /** Overwrites theta with a flat vector. */
    public void setParameters(double[] theta) {
        if (theta.length != numParams) {
            throw new IllegalArgumentException("expected " + numParams + " parameters, got " + theta.length);
        }
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            int at = 0;
            for (int i = 0; i < params.size(); i++) {
                int n = paramSpecs.get(i).size();
                // Heap buffers only: PtNDArray.set(directBuffer) makes the tensor alias that
                // buffer's memory instead of copying it, and a buffer viewing a temporary
                // tensor dangles once the temporary is freed (parameters then read garbage).
                // For a heap buffer DJL allocates and keeps its own copy.
                if (dtype == DataType.FLOAT64) {
                    params.get(i).set(java.nio.DoubleBuffer.wrap(theta, at, n).slice());
                } else {
                    float[] f = new float[n];
                    for (int j = 0; j < n; j++) {
                        f[j] = (float) theta[at + j];
                    }
                    params.get(i).set(java.nio.FloatBuffer.wrap(f));
                }
                at += n;
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    /** Splits a flat vector into tensors of the parameters' shapes, in the model's precision. */
    public NDList toArrays(NDManager m, double[] flat) {
        NDList list = new NDList(paramSpecs.size());
        int at = 0;
        for (ParamSpec p : paramSpecs) {
            double[] part = new double[p.size()];
            System.arraycopy(flat, at, part, 0, part.length);
            at += part.length;
            NDArray a = m.create(part, new Shape(p.shape()));
            list.add(dtype == DataType.FLOAT64 ? a : a.toType(dtype, false));
        }
        return list;
    }

    /** Concatenates tensors (in parameter order) into one float64 vector. */
    public static double[] flatten(NDList arrays) {
        int n = 0;
        List<double[]> parts = new ArrayList<>(arrays.size());
        for (NDArray a : arrays) {
            double[] d = a.getDataType() == DataType.FLOAT64 ? a.toDoubleArray() : a.toType(DataType.FLOAT64, false).toDoubleArray();
            parts.add(d);
            n += d.length;
        }
        double[] flat = new double[n];
        int at = 0;
        for (double[] d : parts) {
            System.arraycopy(d, 0, flat, at, d.length);
            at += d.length;
        }
        return flat;
    }

    // ---------------------------------------------------------------- inputs

    /** Images from..to-1 of a data set as a model input: training mean subtracted, model precision. */
    public NDArray inputs(NDManager m, ExampleSet data, int from, int to) {
        int d = data.imageSize();
        int hw = data.height() * data.width();
        float[] buf = new float[(to - from) * d];
        System.arraycopy(data.pixels(), from * d, buf, 0, buf.length);
        float[] mean = spec.inputMean();
        for (int i = 0; i < buf.length; i++) {
            buf[i] -= mean[(i / hw) % data.channels()];
        }
        NDArray x = m.create(buf, new Shape(to - from, data.channels(), data.height(), data.width()));
        return dtype == DataType.FLOAT32 ? x : x.toType(dtype, false);
    }

    /** Labels from..to-1 as an int64 tensor. */
    public static NDArray labels(NDManager m, ExampleSet data, int from, int to) {
        long[] y = new long[to - from];
        for (int i = from; i < to; i++) {
            y[i - from] = data.label(i);
        }
        return m.create(y);
    }

    /** Per-example loss -log p(y|x) from logits. */
    public static NDArray perExampleLoss(NDArray logits, NDArray labels) {
        return logits.logSoftmax(1).gather(labels.reshape(-1, 1), 1).reshape(-1).neg();
    }

    // ---------------------------------------------------------------- scoring

    /** Per-example losses and predictions on a data set (no gradients, streamed in chunks). */
    public Evaluation evaluate(ExampleSet data) {
        spec.checkCompatible(data, "the data");
        int n = data.size();
        double[] loss = new double[n];
        int[] pred = new int[n];
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            for (int from = 0; from < n; from += SCORE_CHUNK) {
                int to = Math.min(n, from + SCORE_CHUNK);
                try (NDManager scope = newScope()) {
                    NDArray logits = logits(inputs(scope, data, from, to));
                    double[] l = perExampleLoss(logits, labels(scope, data, from, to)).toType(DataType.FLOAT64, false)
                            .toDoubleArray();
                    long[] p = logits.argMax(1).toLongArray();
                    System.arraycopy(l, 0, loss, from, l.length);
                    for (int i = 0; i < p.length; i++) {
                        pred[from + i] = (int) p[i];
                    }
                }
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
        return new Evaluation(loss, pred, data.labels());
    }

    /** Class probabilities of every example (N x K), for reports and poisoning. */
    public float[][] probabilities(ExampleSet data) {
        spec.checkCompatible(data, "the data");
        int n = data.size();
        float[][] out = new float[n][];
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            for (int from = 0; from < n; from += SCORE_CHUNK) {
                int to = Math.min(n, from + SCORE_CHUNK);
                try (NDManager scope = newScope()) {
                    float[] p = logits(inputs(scope, data, from, to)).softmax(1).toType(DataType.FLOAT32, false)
                            .toFloatArray();
                    int k = spec.numClasses();
                    for (int i = 0; i < to - from; i++) {
                        out[from + i] = java.util.Arrays.copyOfRange(p, i * k, (i + 1) * k);
                    }
                }
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
        return out;
    }

    // ---------------------------------------------------------------- gradients

    /**
     * Gradient of a scalar objective of the parameters, computed under grad mode in the given
     * scope (the returned tensors belong to the scope).
     */
    public NDList gradient(NDManager scope, Function<NDList, NDArray> objective) {
        for (NDArray p : params) {
            JniUtils.zeroGrad((PtNDArray) p);
        }
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
        try {
            NDArray y = objective.apply(params);
            JniUtils.backward((PtNDArray) y, (PtNDArray) y.onesLike(), false, false);
        } finally {
            JniUtils.setGradMode(grad);
        }
        NDList g = new NDList(params.size());
        for (NDArray p : params) {
            g.add(p.getGradient());
        }
        return g;
    }

    /**
     * Gradient of the mean loss over a data set, grad mean_S l(z; theta), optionally plus the
     * weight-decay term alpha theta (then it is the gradient of R_S).
     */
    public double[] meanLossGradient(ExampleSet data, boolean withWeightDecay) {
        spec.checkCompatible(data, "the data");
        int n = data.size();
        if (n == 0) {
            throw new AmendException("cannot take the gradient of an empty set");
        }
        double[] total = new double[numParams];
        for (int from = 0; from < n; from += CURVATURE_CHUNK) {
            int to = Math.min(n, from + CURVATURE_CHUNK);
            try (NDManager scope = newScope()) {
                NDArray x = inputs(scope, data, from, to);
                NDArray y = labels(scope, data, from, to);
                double[] g = flatten(gradient(scope, p -> perExampleLoss(logits(x), y).sum().div(n)));
                for (int i = 0; i < numParams; i++) {
                    total[i] += g[i];
                }
            }
        }
        if (withWeightDecay && spec.weightDecay() > 0) {
            double[] theta = getParameters();
            for (int i = 0; i < numParams; i++) {
                total[i] += spec.weightDecay() * theta[i];
            }
        }
        return total;
    }

    /** Receives per-example gradients chunk by chunk. */
    @FunctionalInterface
    public interface GradientConsumer {
        /**
         * @param from index of the chunk's first example in the data set
         * @param grads (B, P) per-example gradients g_z (valid only during the call)
         */
        void accept(int from, NDArray grads);
    }

    /** Receives per-example gradients and losses chunk by chunk. */
    @FunctionalInterface
    public interface GradientLossConsumer {
        /**
         * @param from index of the chunk's first example in the data set
         * @param grads the per-example gradients g_z as one (B, size) block per parameter tensor, in
         *     {@link #parameterSpecs()} order: side by side they are the (B, P) matrix (valid only
         *     during the call)
         * @param losses (B) per-example losses l(z; theta) at the same theta (valid only during the call)
         */
        void accept(int from, NDList grads, NDArray losses);
    }

    /** All per-example gradients as an N x P matrix (small data sets and tests only). */
    public double[][] perExampleGradients(ExampleSet data) {
        double[][] out = new double[data.size()][];
        perExampleGradients(data, GRADIENT_CHUNK, (from, g) -> {
            double[] flat = g.toType(DataType.FLOAT64, false).toDoubleArray();
            int b = Math.toIntExact(g.getShape().get(0));
            for (int i = 0; i < b; i++) {
                out[from + i] = java.util.Arrays.copyOfRange(flat, i * numParams, (i + 1) * numParams);
            }
        });
        return out;
    }

    /**
     * Diagonal of the empirical Fisher, (1/N) sum_n g_n^2 (docs/methods.md 2(e)): squares of
     * per-example gradients, accumulated in float64. Never the square of a minibatch gradient.
     *
     * <p>The last result is kept with the data set (by identity) and the parameters it was
     * computed at, and returned again (as a copy) while both are unchanged: identification and
     * the treatments that follow it ask for the Fisher of D at theta* each, and this way the
     * pass over D runs once, without the methods passing it among themselves. The per-example
     * losses that the same pass computes are kept with it ({@link #losses}).
     */
    public double[] fisherDiagonal(ExampleSet data) {
        if (data.size() == 0) {
            throw new AmendException("cannot estimate the Fisher on an empty training set");
        }
        if (hasCachedFisher(data)) {
            return fisherCache.fisher().clone();
        }
        double[] theta = getParameters();
        double[] losses = new double[data.size()];
        double[] f = computeFisherDiagonal(data, losses);
        fisherCache = new FisherCache(data, theta, f.clone(), losses);
        return f;
    }

    /**
     * Per-example losses l(z; theta) on {@code data}: those of the Fisher pass when it ran over
     * the same data set at the current parameters ({@link #hasCachedFisher}), so that theta*'s
     * losses on D cost no second pass; else {@link #evaluate}'s. The two agree to rounding (the
     * Fisher pass computes the logits with per-example copies of the weights).
     */
    public double[] losses(ExampleSet data) {
        if (hasCachedFisher(data)) {
            return fisherCache.losses().clone();
        }
        return evaluate(data).loss();
    }

    /**
     * Whether {@link #fisherDiagonal(ExampleSet)} of {@code data} would return the kept result
     * rather than pass over the data (same data set, parameters unchanged since).
     */
    public boolean hasCachedFisher(ExampleSet data) {
        return fisherCache != null && fisherCache.data() == data && Arrays.equals(fisherCache.theta(), getParameters());
    }

    /** Forgets cached quantities (for timing a method's whole cost). */
    public void forgetCached() {
        fisherCache = null;
    }

    private record FisherCache(ExampleSet data, double[] theta, double[] fisher, double[] losses) {
    }

    /** The Fisher diagonal of {@code data}; fills {@code losses} with the pass's per-example losses. */
    private double[] computeFisherDiagonal(ExampleSet data, double[] losses) {
        try (NDManager keep = manager.newSubManager();
                Progress.Task task = Progress.task("Fisher diagonal over " + data.size() + " examples", data.size())) {
            NDList acc = new NDList(paramSpecs.size());
            for (ParamSpec p : paramSpecs) {
                acc.add(keep.zeros(new Shape(p.size()), DataType.FLOAT64));
            }
            perExampleGradientsAndLosses(data, GRADIENT_CHUNK, (from, grads, l) -> {
                // Block by block, without the (B, P) concatenation; squares of float32 values are
                // exact in float64, so this is the float64 sum of g^2 as before.
                for (int i = 0; i < grads.size(); i++) {
                    NDArray g = grads.get(i).toType(DataType.FLOAT64, true);
                    acc.get(i).addi(g.muli(g).sum(new int[] {0}));
                }
                double[] part = l.toType(DataType.FLOAT64, false).toDoubleArray();
                System.arraycopy(part, 0, losses, from, part.length);
                task.stepTo(from + l.getShape().get(0));
            });
            double[] f = flatten(acc);
            for (int i = 0; i < f.length; i++) {
                f[i] /= data.size();
            }
            return f;
        }
    }

    /** The curvature a product uses. */
    public enum Curvature {
        /** The Hessian of R_S (exact, forward-over-reverse). */
        HESSIAN,
        /** The Gauss-Newton matrix J^T Lambda J of the mean loss plus alpha I (PSD). */
        GGN,
        /** The empirical Fisher mean g g^T plus alpha I (PSD). */
        EMPIRICAL_FISHER
    }

    /** (C + alpha I) v for the curvature C of the mean loss over the whole data set. */
    public double[] curvatureVectorProduct(Curvature curvature, ExampleSet data, double[] v) {
        spec.checkCompatible(data, "the data");
        int n = data.size();
        if (n == 0) {
            throw new AmendException("cannot form a curvature product on an empty set");
        }
        double[] out;
        if (curvature == Curvature.EMPIRICAL_FISHER) {
            out = empiricalFisherProduct(data, v);
        } else {
            out = new double[numParams];
            for (int from = 0; from < n; from += CURVATURE_CHUNK) {
                int to = Math.min(n, from + CURVATURE_CHUNK);
                double[] part = chunkCurvatureProduct(curvature, data, from, to, v, n);
                for (int i = 0; i < numParams; i++) {
                    out[i] += part[i];
                }
            }
        }
        double alpha = spec.weightDecay();
        if (alpha > 0) {
            for (int i = 0; i < numParams; i++) {
                out[i] += alpha * v[i];
            }
        }
        return out;
    }

    /** Hessian-vector product of R_S over the data set. */
    public double[] hessianVectorProduct(ExampleSet data, double[] v) {
        return curvatureVectorProduct(Curvature.HESSIAN, data, v);
    }

    private double[] empiricalFisherProduct(ExampleSet data, double[] v) {
        double[] out = new double[numParams];
        try (NDManager keep = manager.newSubManager()) {
            NDArray vv = keep.create(v).toType(dtype, false);
            NDArray acc = keep.zeros(new Shape(numParams), DataType.FLOAT64);
            perExampleGradients(data, GRADIENT_CHUNK, (from, g) -> {
                NDArray gv = g.matMul(vv);
                acc.addi(g.transpose().matMul(gv).toType(DataType.FLOAT64, false));
            });
            double[] sum = acc.toDoubleArray();
            for (int i = 0; i < numParams; i++) {
                out[i] = sum[i] / data.size();
            }
        }
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
