package dev.amend.identify;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.amend.util.Progress;
import ai.djl.ndarray.types.DataType;
import dev.amend.model.ModelHandle;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Linear influence (Koh and Liang 2017; [T22] Eq. 8-9 as a baseline; docs/methods.md 2(b)):
 * <pre>
 *   s(z) = - g_Fq^T (H + delta I)^{-1} g_z
 * </pre>
 * with g_Fq the gradient of the mean query loss at theta*, g_z the per-example training
 * gradient and H the Hessian of the training objective R_D (or its Gauss-Newton / empirical
 * Fisher approximation). s(z) > 0 means removing z lowers the query loss (removal changes it by
 * about -s(z)/N). The solve happens once per query set; scoring streams per-example gradients.
 * Names: {@code exact} (Cholesky), {@code influence-cg} (the paper's "GD" variant),
 * {@code influence-lissa} (its "SA" variant).
 */
public final class LinearInfluence implements CauseIdentifier {
    private final InverseHvp.Config config;

    public LinearInfluence(InverseHvp.Config config) {
        this.config = config;
    }

    @Override
    public String name() {
        switch (config.solver()) {
            case EXACT:
                return "exact";
            case CG:
                return "influence-cg";
            default:
                return "influence-lissa";
        }
    }

    @Override
    public Map<String, Object> settings() {
        return new LinkedHashMap<>(InverseHvp.describe(config));
    }

    @Override
    public Ranking identify(IdentificationProblem p) {
        ModelHandle model = p.model();
        double[] v = model.meanLossGradient(p.query(), false);
        double[] h = InverseHvp.solve(model, p.train(), v, config);
        double[] others = p.others() == null ? null : dotWithGradients(model, p.others(), h, -1);
        return new Ranking(name(), dotWithGradients(model, p.train(), h, -1), others);
    }

    /** sign * (u . g_z) for every training example, streamed in chunks. */
    static double[] dotWithGradients(ModelHandle model, dev.amend.data.ExampleSet data, double[] u, double sign) {
        double[] out = new double[data.size()];
        try (NDManager keep = model.newStateManager();
                Progress.Task task = Progress.task("scoring " + data.size() + " examples", data.size())) {
            NDArray uu = keep.create(u).toType(model.dataType(), false);
            model.perExampleGradients(data, ModelHandle.GRADIENT_CHUNK, (from, g) -> {
                double[] d = g.matMul(uu).toType(DataType.FLOAT64, false).toDoubleArray();
                for (int i = 0; i < d.length; i++) {
                    out[from + i] = sign * d[i];
                }
                task.stepTo(from + d.length);
            });
        }
        return out;
    }
}
