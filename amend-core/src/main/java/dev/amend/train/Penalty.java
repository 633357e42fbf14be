package dev.amend.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.amend.model.ModelHandle;

/**
 * A differentiable term added to the minibatch loss, a function of the parameters only:
 * the EWC penalty of [T22] Eq. 10/15, the L2 locality term of App. B.4, ...
 * Implementations own native arrays; close them after training.
 */
public interface Penalty extends AutoCloseable {

    /** The scalar penalty at the given parameter tensors. */
    NDArray apply(NDList params);

    @Override
    void close();

    /**
     * scale * sum_j w_j (theta_j - c_j)^2; w = null means w_j = 1 (an isotropic L2 pull to c).
     */
    static Penalty quadratic(ModelHandle model, double[] center, double[] weights, double scale) {
        NDManager owned = model.newStateManager();
        NDList c = model.toArrays(owned, center);
        NDList w = weights == null ? null : model.toArrays(owned, weights);
        return new Penalty() {
            @Override
            public NDArray apply(NDList params) {
                NDArray total = null;
                for (int i = 0; i < params.size(); i++) {
                    NDArray d = params.get(i).sub(c.get(i)).square();
                    NDArray term = (w == null ? d : d.mul(w.get(i))).sum();
                    total = total == null ? term : total.add(term);
                }
                return total.mul(scale);
            }

            @Override
            public void close() {
                owned.close();
            }
        };
    }
}
