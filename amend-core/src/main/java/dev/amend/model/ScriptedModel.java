package dev.amend.model;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dev.amend.AmendException;
import dev.amend.data.ExampleSet;
import dev.amend.model.nn.ParamSpec;
import dev.amend.util.AtomicFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Any TorchScript image classifier (scripted or traced; BatchNorm, Dropout, residual blocks,
 * any layer libtorch runs) whose forward takes one float tensor N x C x H x W and returns
 * logits N x K (docs/models.md, "Your own PyTorch model").
 *
 * <p>The module runs in evaluation mode throughout, for scoring, gradients, the Fisher,
 * curvature products and fine-tuning alike: Dropout is off and BatchNorm normalises with its
 * stored running statistics, which amend never changes (they are buffers, not parameters). So
 * the model amend repairs is exactly the function the user deploys, and a fine-tuning step moves
 * only the trainable parameters (docs/models.md says why). Every parameter the module has is
 * treated as trainable.
 *
 * <p>Derivatives come from libtorch's autograd through the module: per-example gradients by one
 * backward pass per example (the module is a black box, so the expanded-weights trick of
 * {@link NetworkModel} does not apply), Hessian- and Gauss-Newton-vector products by double
 * backward through {@code torch.autograd.grad}, which DJL does not expose; amend ships it as two
 * tiny TorchScript helpers (resources under {@value #AUTOGRAD}, made by
 * scripts/make-torchscript-templates.py). Unlike {@code backward(create_graph=True)}, {@code
 * autograd.grad} leaves the parameters' {@code .grad} alone, so no parameter/gradient reference
 * cycle forms and memory stays flat.
 *
 * <p>The inputs are the pixels as the data readers give them (in [0, 1]; no mean subtracted:
 * the spec's input mean is zero), so a model that normalises its inputs must do it in its
 * forward. The repaired model is written back with the user's own module code and the new
 * parameters ({@link #exportTorchScript}), in the training/evaluation mode the file came in.
 */
public final class ScriptedModel extends ModelHandle {
    /** The architecture name in the spec of a model brought as TorchScript. */
    public static final String ARCHITECTURE = "torchscript";
    /** Resource folder of the autograd helpers. */
    static final String AUTOGRAD = "/dev/amend/model/autograd/";
    /** How many images of the data {@link #open(Path, ExampleSet)} checks the module with. */
    static final int PROBE_IMAGES = 8;
    /** Outputs closer than this, relative to the largest (or 1), count as equal in the open checks. */
    private static final double SAME_OUTPUT = 1e-4;

    private final byte[] moduleBytes;
    private final String source;
    private final boolean fileTraining;
    private final PtSymbolBlock block;
    private final PtSymbolBlock grad;
    private final PtSymbolBlock gradWithGraph;
    private final List<String> frozen;

    private ScriptedModel(ModelSpec spec, List<ParamSpec> specs, DataType dtype, byte[] moduleBytes, String source,
            boolean fileTraining) {
        super(spec, specs, dtype);
        this.moduleBytes = moduleBytes;
        this.source = source;
        this.fileTraining = fileTraining;
        PtNDManager m = (PtNDManager) manager();
        this.block = loadModule(m, moduleBytes, source);
        JniUtils.enableInferenceMode(block);
        this.grad = loadHelper(m, "grad");
        this.gradWithGraph = loadHelper(m, "grad-graph");
        NDList live = JniUtils.moduleGetParams(block, m);
        List<String> names = new ArrayList<>();
        for (NDArray p : live) {
            if (!p.hasGradient()) {
                names.add(p.getName());
            }
        }
        this.frozen = List.copyOf(names);
        adoptParameters(live);
    }

    /**
     * The parameters the file marks frozen ({@code requires_grad} false), by name. amend repairs
     * every parameter, these included (docs/models.md), and writes them back marked frozen.
     */
    public List<String> frozenParameters() {
        return frozen;
    }

    /**
     * Opens a TorchScript classifier for the images and classes of {@code data}, checked with the
     * forward of its first {@value #PROBE_IMAGES} images (fewer if it has fewer).
     */
    public static ScriptedModel open(Path file, ExampleSet data) {
        if (data.size() == 0) {
            throw new AmendException("cannot check " + file + " against an empty data set");
        }
        int n = Math.min(PROBE_IMAGES, data.size());
        float[] probe = Arrays.copyOf(data.pixels(), n * data.imageSize());
        return open(file, data.channels(), data.height(), data.width(), data.classNames(), probe);
    }

    /** Reopens a module saved with its spec ({@link ModelStore}), checked on a blank image. */
    static ScriptedModel open(Path file, ModelSpec spec) {
        return open(file, spec.channels(), spec.height(), spec.width(), spec.classNames(),
                new float[spec.channels() * spec.height() * spec.width()]);
    }

    /**
     * Opens a TorchScript classifier for data of {@code channels x height x width} images and
     * the given classes, checking with the forward of the probe images that the module takes
     * such input and returns one logit per class, not probabilities, and that its output is a
     * function of each image alone: the same every time, and the same for an image alone as in
     * a batch (docs/models.md, "Your own PyTorch model"). Every problem is a one-line
     * {@link AmendException}.
     *
     * @param probe one or more images of the data, one after the other (n x C x H x W in
     *     [0, 1]), for the check
     */
    public static ScriptedModel open(Path file, int channels, int height, int width, List<String> classNames,
            float[] probe) {
        TorchScript.Attributes attributes = TorchScript.readAttributes(file);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new AmendException("cannot read " + file + ": " + e.getMessage(), e);
        }
        DataType dtype;
        List<ParamSpec> specs = new ArrayList<>();
        try (PtNDManager m = (PtNDManager) Engines.newManager()) {
            PtSymbolBlock b = loadModule(m, bytes, file.toString());
            try {
                NDList found = JniUtils.moduleGetParams(b, m);
                if (found.isEmpty()) {
                    throw new AmendException(file + " has no parameters to repair");
                }
                dtype = found.get(0).getDataType();
                for (NDArray p : found) {
                    if (p.getDataType() != dtype || (dtype != DataType.FLOAT32 && dtype != DataType.FLOAT64)) {
                        throw new AmendException(file + ": parameter " + p.getName() + " is " + p.getDataType()
                                + " and " + found.get(0).getName() + " is " + dtype
                                + "; amend repairs models whose parameters are all float32 or all float64");
                    }
                    specs.add(ParamSpec.uniform(p.getName(), 1, p.getShape().getShape()));
                }
            } finally {
                b.close();
            }
        }
        ModelSpec spec = new ModelSpec(ARCHITECTURE, Map.of(), channels, height, width, classNames, new float[channels],
                dtype == DataType.FLOAT64 ? ModelSpec.Precision.FLOAT64 : ModelSpec.Precision.FLOAT32, 0);
        ScriptedModel model = new ScriptedModel(spec, specs, dtype, bytes, file.toString(),
                Boolean.TRUE.equals(attributes.training()));
        try {
            model.checkOutput(probe);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
    }

    private void checkOutput(float[] probe) {
        ModelSpec spec = spec();
        int imageSize = spec.channels() * spec.height() * spec.width();
        if (probe.length == 0 || probe.length % imageSize != 0) {
            throw new IllegalArgumentException("the probe holds " + probe.length + " values, not whole images of "
                    + imageSize);
        }
        int n = probe.length / imageSize;
        boolean g = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager scope = newScope()) {
            NDArray x = scope.create(probe, new Shape(n, spec.channels(), spec.height(), spec.width()));
            x = dataType() == DataType.FLOAT32 ? x : x.toType(dataType(), false);
            double[] alone = probeOutput(x.get("0:1"));
            double[] batch = n == 1 ? alone : probeOutput(x);
            if (!same(batch, probeOutput(x))) {
                throw new AmendException(source + " gives different outputs for the same input (dropout traced in"
                        + " training mode?); call model.eval() before torch.jit.trace, or script it");
            }
            if (!same(alone, Arrays.copyOf(batch, alone.length))) {
                throw new AmendException(source + ": the output of an image depends on the other images of its batch"
                        + " (BatchNorm traced in training mode?); call model.eval() before torch.jit.trace, or script"
                        + " it");
            }
            if (probabilities(batch, spec.numClasses())) {
                throw new AmendException(source + " returns probabilities (every row is non-negative and sums to 1),"
                        + " not logits; return the logits, or log-probabilities (log_softmax), from forward");
            }
        } finally {
            JniUtils.setGradMode(g);
        }
    }

    /** The module's output for a probe batch, checked to be (batch, classes). */
    private double[] probeOutput(NDArray x) {
        ModelSpec spec = spec();
        long n = x.getShape().get(0);
        NDArray out = logits(x);
        Shape s = out.getShape();
        if (s.dimension() != 2 || s.get(0) != n) {
            throw new AmendException(source + " returns " + s + " for " + (n == 1 ? "one " : "a batch of " + n + " ")
                    + spec.channels() + "x" + spec.height() + "x" + spec.width() + " image" + (n == 1 ? "" : "s")
                    + "; amend needs logits of shape (batch, classes)");
        }
        if (s.get(1) != spec.numClasses()) {
            throw new AmendException(source + " returns " + s.get(1) + " logits per image but the data has "
                    + spec.numClasses() + " classes");
        }
        return out.toType(DataType.FLOAT64, false).toDoubleArray();
    }

    /** Whether two outputs agree to {@value #SAME_OUTPUT} relative to their largest value (or 1). */
    private static boolean same(double[] a, double[] b) {
        double scale = 1;
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
            scale = Math.max(scale, Math.max(Math.abs(a[i]), Math.abs(b[i])));
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
        }
        return diff <= SAME_OUTPUT * scale;
    }

    /**
     * Whether every row of {@code out} (rows of {@code classes} values) is a probability
     * distribution: a forward that ends in softmax. Cross-entropy on such outputs is wrong;
     * log-probabilities are fine, since log_softmax leaves them unchanged.
     */
    static boolean probabilities(double[] out, int classes) {
        if (classes < 2) {
            return false;
        }
        for (int row = 0; row < out.length; row += classes) {
            double sum = 0;
            for (int k = row; k < row + classes; k++) {
                if (!(out[k] >= 0)) {
                    return false;
                }
                sum += out[k];
            }
            if (Math.abs(sum - 1) > 1e-4) {
                return false;
            }
        }
        return true;
    }

    private static PtSymbolBlock loadModule(PtNDManager m, byte[] bytes, String source) {
        try (InputStream in = new ByteArrayInputStream(bytes)) {
            return JniUtils.loadModule(m, in, true, false); // false: the stream is the bare file, not size-prefixed
        } catch (EngineException e) {
            throw new AmendException("cannot load " + source + " as TorchScript: " + reduce(e.getMessage()), e);
        } catch (IOException e) {
            throw new AmendException("cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    private static PtSymbolBlock loadHelper(PtNDManager m, String name) {
        try (InputStream in = ScriptedModel.class.getResourceAsStream(AUTOGRAD + name + TorchScript.EXTENSION)) {
            if (in == null) {
                throw new IllegalStateException("autograd helper " + name + " missing from the amend jar");
            }
            return JniUtils.loadModule(m, in, true, false);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read autograd helper " + name, e);
        }
    }

    /**
     * libtorch's message for a failed TorchScript call is a traceback of many lines; the line a
     * user needs is the error itself ("RuntimeError: ..."), usually the last.
     */
    static String reduce(String message) {
        if (message == null || message.isBlank()) {
            return "libtorch gave no reason";
        }
        List<String> lines = message.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        String pick = null;
        for (String line : lines) {
            if (line.matches("^[A-Za-z_.]*(Error|Exception): .*")) {
                pick = line;
            }
        }
        if (pick == null) {
            pick = lines.get(lines.size() - 1);
        }
        return pick.length() > 400 ? pick.substring(0, 400) + "..." : pick;
    }

    /** The file the model came from. */
    public String source() {
        return source;
    }

    @Override
    public ScriptedModel copy() {
        ScriptedModel copy = new ScriptedModel(spec(), parameterSpecs(), dataType(), moduleBytes, source, fileTraining);
        copy.setParameters(getParameters());
        return copy;
    }

    @Override
    public ModelHandle reinitialised(long seed) {
        throw new AmendException("retraining from scratch needs a model whose initialisation amend knows (its own"
                + " architectures); " + source + " is a TorchScript model brought from elsewhere: use finetune-remaining,"
                + " which starts from the trained weights");
    }

    @Override
    public NDArray logits(NDArray x) {
        try {
            return IValueUtils.forward(block, new NDList(x), true).singletonOrThrow();
        } catch (EngineException e) {
            throw new AmendException(source + " fails on a batch of shape " + x.getShape() + ": "
                    + reduce(e.getMessage()), e);
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new AmendException(source + " does not return one tensor of logits", e);
        }
    }

    @Override
    public void perExampleGradientsAndLosses(ExampleSet data, int chunk, GradientLossConsumer consumer) {
        spec().checkCompatible(data, "the data");
        int n = data.size();
        NDList params = parameters();
        boolean mode = JniUtils.isGradMode();
        try {
            for (int from = 0; from < n; from += chunk) {
                int to = Math.min(n, from + chunk);
                try (NDManager scope = newScope()) {
                    List<NDList> rows = new ArrayList<>(params.size());
                    for (int j = 0; j < params.size(); j++) {
                        rows.add(new NDList(to - from));
                    }
                    NDList losses = new NDList(to - from);
                    for (int i = from; i < to; i++) {
                        NDArray x = inputs(scope, data, i, i + 1);
                        NDArray y = labels(scope, data, i, i + 1);
                        NDList g = gradient(scope, p -> {
                            NDArray l = perExampleLoss(logits(x), y);
                            losses.add(l);
                            return l.sum();
                        });
                        JniUtils.setGradMode(false);
                        for (int j = 0; j < g.size(); j++) {
                            // A copy: the gradient tensors are reset and refilled for the next example.
                            rows.get(j).add(g.get(j).reshape(-1).duplicate());
                        }
                    }
                    JniUtils.setGradMode(false);
                    NDList blocks = new NDList(rows.size());
                    for (NDList r : rows) {
                        blocks.add(NDArrays.stack(r));
                    }
                    consumer.accept(from, blocks, NDArrays.concat(losses).stopGradient());
                }
            }
        } finally {
            JniUtils.setGradMode(mode);
        }
        for (NDArray p : params) {
            JniUtils.zeroGrad((PtNDArray) p);
        }
    }

    @Override
    protected double[] chunkCurvatureProduct(Curvature curvature, ExampleSet data, int from, int to, double[] v, int n) {
        boolean mode = JniUtils.isGradMode();
        try (NDManager scope = newScope()) {
            NDArray x = inputs(scope, data, from, to);
            NDArray y = labels(scope, data, from, to);
            NDList vs = toArrays(scope, v);
            JniUtils.setGradMode(true);
            NDArray z = logits(x);
            if (curvature == Curvature.HESSIAN) {
                // g = grad(mean loss) with its graph; H v = grad(g . v).
                NDArray loss = perExampleLoss(z, y).sum().div(n);
                NDList g = autograd(scope, gradWithGraph, loss, parameters());
                return flatten(autograd(scope, grad, dot(g, vs), parameters()));
            }
            // Gauss-Newton by the double-backward trick: with a dummy u, J^T u = grad(z . u) is
            // linear in u, so J v = grad_u((J^T u) . v); then J^T (Lambda J v) = grad(z . c) for the
            // constant c = Lambda J v, with Lambda = diag(p) - p p^T the softmax's curvature.
            NDArray u = scope.zeros(z.getShape(), z.getDataType());
            u.setRequiresGradient(true);
            NDList jtu = autograd(scope, gradWithGraph, z.mul(u).sum(), parameters());
            NDArray jv = autograd(scope, gradWithGraph, dot(jtu, vs), new NDList(u)).get(0);
            JniUtils.setGradMode(false);
            NDArray p = z.softmax(1).stopGradient();
            NDArray pj = p.mul(jv);
            NDArray c = pj.sub(p.mul(pj.sum(new int[] {1}, true))).stopGradient();
            JniUtils.setGradMode(true);
            return flatten(autograd(scope, grad, z.mul(c).sum().div(n), parameters()));
        } finally {
            JniUtils.setGradMode(mode);
        }
    }

    private static NDArray dot(NDList a, NDList b) {
        NDArray s = null;
        for (int i = 0; i < a.size(); i++) {
            NDArray t = a.get(i).mul(b.get(i)).sum();
            s = s == null ? t : s.add(t);
        }
        return s;
    }

    /** torch.autograd.grad(y, xs) through a helper; the results belong to {@code scope}. */
    private static NDList autograd(NDManager scope, PtSymbolBlock helper, NDArray y, NDList xs) {
        // The helper's inputs are matched by name: "y" and the list "xs[]".
        NDList in = new NDList(xs.size() + 1);
        y.setName("y");
        in.add(y);
        for (NDArray x : xs) {
            x.setName("xs[]");
            in.add(x);
        }
        NDList out = helper.forward(new ParameterStore(scope, false), in, true);
        for (NDArray a : out) {
            a.attach(scope);
        }
        return out;
    }

    @Override
    public void exportTorchScript(Path file) {
        boolean mode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            if (fileTraining) {
                JniUtils.enableTrainingMode(block);
            }
            markFrozen(false);
            AtomicFiles.write(file, out -> JniUtils.writeModule(block, out, false));
        } finally {
            markFrozen(true);
            if (fileTraining) {
                JniUtils.enableInferenceMode(block);
            }
            JniUtils.setGradMode(mode);
        }
    }

    // The file's frozen parameters get requires_grad false for the export, and true again after.
    private void markFrozen(boolean requiresGradient) {
        if (frozen.isEmpty()) {
            return;
        }
        for (NDArray p : parameters()) {
            if (frozen.contains(p.getName())) {
                p.setRequiresGradient(requiresGradient);
            }
        }
    }

    @Override
    public void close() {
        block.close();
        grad.close();
        gradWithGraph.close();
        super.close();
    }

    @Override
    public String toString() {
        return "TorchScript model " + source + " " + Arrays.toString(new int[] {spec().channels(), spec().height(),
            spec().width()}) + " -> " + spec().numClasses() + " classes";
    }
}
