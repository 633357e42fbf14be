package dev.amend.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import dev.amend.AmendException;
import dev.amend.data.ExampleSet;
import dev.amend.model.Evaluation;
import dev.amend.model.ModelHandle;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Minibatch training with early stopping, the one scheme every training in amend uses
 * (base models, EWC fine-tuning, treatments): minimise
 * {@code lossSign * mean_B l + penalty(theta) [+ (alpha/2)||theta||^2]} with Adam or plain SGD,
 * minibatches reshuffled each epoch from a seeded generator, and after every epoch an
 * evaluation on the validation set. The parameters with the best validation score (the
 * starting point included when {@link TrainConfig#startCompetes()}) are kept; training stops after
 * {@code patience} epochs without strict improvement or at {@code maxEpochs}. Without a
 * validation set it runs all epochs and keeps the last. "Best" is set by
 * {@link TrainConfig.StopCriterion}.
 */
public final class TrainingLoop {
    private TrainingLoop() {
    }

    /** Trains {@code model} in place. */
    public static TrainResult train(ModelHandle model, ExampleSet train, ExampleSet validation, TrainConfig cfg,
            Penalty penalty, EpochListener listener) {
        return train(model, new ExampleSet[] {train}, new double[] {1}, validation, cfg, penalty, listener);
    }

    /**
     * Trains on several data sets at once: every step draws one minibatch from each (the
     * first set defines the epoch; the others cycle) and minimises sum_s weight_s * mean_B_s l.
     */
    public static TrainResult train(ModelHandle model, ExampleSet[] sets, double[] weights, ExampleSet validation,
            TrainConfig cfg, Penalty penalty, EpochListener listener) {
        ExampleSet train = sets[0];
        if (train.size() == 0) {
            throw new AmendException("cannot train on an empty training set");
        }
        for (ExampleSet s : sets) {
            model.spec().checkCompatible(s, "the training data");
        }
        long start = System.nanoTime();
        Random rng = new Random(cfg.seed());
        // Without overflow for any batch size a user can type.
        int stepsPerEpoch = train.size() / cfg.batchSize() + (train.size() % cfg.batchSize() == 0 ? 0 : 1);
        Trajectory trajectory = cfg.recordTrajectory()
                ? new Trajectory((int) Math.ceil(Math.sqrt((double) stepsPerEpoch * Math.max(1, cfg.maxEpochs()))),
                        stepsPerEpoch, cfg.weightDecay())
                : null;
        boolean validate = validation != null && validation.size() > 0;
        Evaluation best = validate && cfg.startCompetes() ? model.evaluate(validation) : null;
        double[] bestTheta = model.getParameters();
        int bestEpoch = 0;
        int bestSteps = 0;
        List<EpochRecord> history = new ArrayList<>();
        int[][] orders = new int[sets.length][];
        int[] cursors = new int[sets.length];
        for (int s = 0; s < sets.length; s++) {
            orders[s] = shuffled(sets[s].size(), rng);
        }
        int sinceBest = 0;
        int epoch = 0;
        try (Optimizer opt = new Optimizer(model, cfg, true)) {
            for (epoch = 1; epoch <= cfg.maxEpochs(); epoch++) {
                long t0 = System.nanoTime();
                orders[0] = shuffled(train.size(), rng);
                double lossSum = 0;
                for (int step = 0; step < stepsPerEpoch; step++) {
                    int from = (int) Math.min(train.size(), (long) step * cfg.batchSize());
                    int[][] batches = new int[sets.length][];
                    batches[0] = slice(orders[0], from, (int) Math.min(train.size(), (long) from + cfg.batchSize()));
                    for (int s = 1; s < sets.length; s++) {
                        int b = Math.min(cfg.batchSize(), sets[s].size());
                        if (cursors[s] + b > orders[s].length) {
                            orders[s] = shuffled(sets[s].size(), rng);
                            cursors[s] = 0;
                        }
                        batches[s] = slice(orders[s], cursors[s], cursors[s] + b);
                        cursors[s] += b;
                    }
                    if (trajectory != null) {
                        trajectory.record(model.getParameters(), batches[0], cfg.learningRate());
                    }
                    lossSum += opt.step(sets, weights, batches, penalty, cfg.learningRate());
                }
                double trainLoss = lossSum / stepsPerEpoch;
                if (!Double.isFinite(trainLoss)) {
                    throw new AmendException("training diverged: the loss is " + trainLoss + " in epoch " + epoch);
                }
                double valAcc = Double.NaN;
                double valLoss = Double.NaN;
                if (validate) {
                    Evaluation e = model.evaluate(validation);
                    valAcc = e.accuracy();
                    valLoss = e.meanLoss();
                    if (better(e, best, cfg.stopOn())) {
                        best = e;
                        bestTheta = model.getParameters();
                        bestEpoch = epoch;
                        bestSteps = epoch * stepsPerEpoch;
                        sinceBest = 0;
                    } else {
                        sinceBest++;
                    }
                } else {
                    bestTheta = null;
                    bestEpoch = epoch;
                    bestSteps = epoch * stepsPerEpoch;
                }
                EpochRecord r = new EpochRecord(epoch, trainLoss, valAcc, valLoss, (System.nanoTime() - t0) / 1e9);
                history.add(r);
                listener.epochFinished(r, cfg.maxEpochs());
                if (validate && sinceBest >= cfg.patience()) {
                    break;
                }
            }
        }
        if (bestTheta != null) {
            model.setParameters(bestTheta);
        }
        if (trajectory != null) {
            trajectory.truncate(bestSteps, model.getParameters());
        }
        return new TrainResult(bestEpoch, history.size(), List.copyOf(history), trajectory,
                (System.nanoTime() - start) / 1e9);
    }

    /**
     * Re-runs the recorded plain-SGD steps [from, to) on the model in place, through the same
     * code path as training, so the parameters come out bitwise as they were recorded.
     */
    public static void replay(ModelHandle model, ExampleSet train, Trajectory trajectory, int from, int to) {
        TrainConfig cfg = new TrainConfig(TrainConfig.Optimizer.SGD, 1, 0.9, 0.999, 1e-8, 1, 1, 1, 0,
                trajectory.weightDecay(), 1, false, TrainConfig.StopCriterion.ACCURACY, true);
        // Unstaged: SGD-influence replays one step per call, and staging would copy the set each time.
        try (Optimizer opt = new Optimizer(model, cfg, false)) {
            for (int t = from; t < to; t++) {
                opt.step(new ExampleSet[] {train}, new double[] {1}, new int[][] {trajectory.batch(t)}, null,
                        trajectory.rate(t));
            }
        }
    }

    private static boolean better(Evaluation e, Evaluation best, TrainConfig.StopCriterion criterion) {
        if (best == null) {
            return true;
        }
        if (criterion == TrainConfig.StopCriterion.LOSS) {
            return e.meanLoss() < best.meanLoss();
        }
        return e.accuracy() > best.accuracy() || (e.accuracy() == best.accuracy() && e.meanLoss() < best.meanLoss());
    }

    private static int[] shuffled(int n, Random rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static int[] slice(int[] a, int from, int to) {
        int[] s = new int[to - from];
        System.arraycopy(a, from, s, 0, s.length);
        return s;
    }

    /**
     * Adam or SGD state and the step itself. The step's arithmetic is fixed (documented results
     * come from trained models, and {@code TrainingBitsTest} pins its bits); this class only keeps
     * what does not change between steps out of them: the training sets' inputs and labels are
     * staged as native tensors once (a minibatch is then one native index), and the optimiser's
     * scalar constants are tensors made once, the same float64 scalars each operation was given
     * before.
     */
    private static final class Optimizer implements AutoCloseable {
        /**
         * Sets with at most this many input values (all images' pixels) are staged whole; larger
         * ones are copied batch by batch, as before, so staging never holds a large data set twice.
         */
        static final long STAGE_LIMIT = 1L << 25;

        private final ModelHandle model;
        private final TrainConfig cfg;
        private final NDManager state;
        private final NDList m = new NDList();
        private final NDList v = new NDList();
        private final boolean stage;
        private final Map<ExampleSet, NDArray[]> staged = new IdentityHashMap<>();
        private final NDArray beta1;
        private final NDArray oneMinusBeta1;
        private final NDArray beta2;
        private final NDArray oneMinusBeta2;
        private final NDArray epsilon;
        private int t;

        /** {@code stage}: stage the sets' inputs whole (for runs of many steps). */
        Optimizer(ModelHandle model, TrainConfig cfg, boolean stage) {
            this.model = model;
            this.cfg = cfg;
            this.stage = stage;
            this.state = model.newStateManager();
            if (cfg.optimizer() == TrainConfig.Optimizer.ADAM) {
                for (NDArray p : model.parameters()) {
                    m.add(state.zeros(p.getShape(), p.getDataType()));
                    v.add(state.zeros(p.getShape(), p.getDataType()));
                }
            }
            // Float64 scalars, as NDArray.mul(double) and its kin create them for every call.
            beta1 = state.create(cfg.beta1());
            oneMinusBeta1 = state.create(1 - cfg.beta1());
            beta2 = state.create(cfg.beta2());
            oneMinusBeta2 = state.create(1 - cfg.beta2());
            epsilon = state.create(cfg.epsilon());
        }

        /** Inputs and labels of examples {@code batch} of {@code set}, in the scope. */
        private NDArray[] batch(NDManager scope, ExampleSet set, int[] batch) {
            NDArray[] all = staged.get(set);
            if (all == null && stage && (long) set.size() * set.imageSize() <= STAGE_LIMIT) {
                // The same values inputs() gives batch by batch: mean subtraction per pixel in float.
                all = new NDArray[] {model.inputs(state, set, 0, set.size()),
                    ModelHandle.labels(state, set, 0, set.size())};
                staged.put(set, all);
            }
            if (all == null) {
                ExampleSet b = set.subset(batch);
                return new NDArray[] {model.inputs(scope, b, 0, b.size()), ModelHandle.labels(scope, b, 0, b.size())};
            }
            long[] rows = new long[batch.length];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = batch[i];
            }
            NDIndex index = new NDIndex("{}", scope.create(rows));
            NDArray x = all[0].get(index);
            NDArray y = all[1].get(index);
            x.attach(scope);
            y.attach(scope);
            return new NDArray[] {x, y};
        }

        /** One step; returns the minibatch objective before the update. */
        double step(ExampleSet[] sets, double[] weights, int[][] batches, Penalty penalty, double lr) {
            double alpha = cfg.weightDecay() ? model.spec().weightDecay() : 0;
            try (NDManager scope = model.newScope()) {
                NDArray[] xs = new NDArray[sets.length];
                NDArray[] ys = new NDArray[sets.length];
                for (int s = 0; s < sets.length; s++) {
                    NDArray[] xy = batch(scope, sets[s], batches[s]);
                    xs[s] = xy[0];
                    ys[s] = xy[1];
                }
                double[] objective = new double[1];
                NDList grads = model.gradient(scope, p -> {
                    NDArray total = null;
                    for (int s = 0; s < sets.length; s++) {
                        NDArray l = ModelHandle.perExampleLoss(model.logits(xs[s]), ys[s]).mean();
                        double factor = weights[s] * cfg.lossSign();
                        // A factor of 1 changes no bit forwards or backwards: the multiplication is left out.
                        if (factor != 1) {
                            l = l.mul(factor);
                        }
                        total = total == null ? l : total.add(l);
                    }
                    if (penalty != null) {
                        total = total.add(penalty.apply(p));
                    }
                    if (alpha > 0) {
                        NDArray sq = null;
                        for (NDArray a : p) {
                            NDArray term = a.square().sum();
                            sq = sq == null ? term : sq.add(term);
                        }
                        total = total.add(sq.mul(alpha / 2));
                    }
                    // Widening a float32 objective to a double is exact, so it is read as it is.
                    DataType type = total.getDataType();
                    objective[0] = type == DataType.FLOAT32 ? total.getFloat()
                            : type == DataType.FLOAT64 ? total.getDouble()
                            : total.toType(DataType.FLOAT64, false).getDouble();
                    return total;
                });
                boolean grad = JniUtils.isGradMode();
                JniUtils.setGradMode(false);
                try {
                    update(scope, grads, lr);
                } finally {
                    JniUtils.setGradMode(grad);
                }
                return objective[0];
            }
        }

        private void update(NDManager scope, NDList grads, double lr) {
            NDList params = model.parameters();
            if (cfg.optimizer() == TrainConfig.Optimizer.SGD) {
                NDArray rate = scope.create(lr);
                for (int i = 0; i < params.size(); i++) {
                    params.get(i).subi(grads.get(i).mul(rate));
                }
                return;
            }
            t++;
            double c1 = 1 - Math.pow(cfg.beta1(), t);
            double c2 = 1 - Math.pow(cfg.beta2(), t);
            NDArray sqrtC2 = scope.create(Math.sqrt(c2));
            NDArray stepSize = scope.create(lr / c1);
            for (int i = 0; i < params.size(); i++) {
                NDArray g = grads.get(i);
                m.get(i).muli(beta1).addi(g.mul(oneMinusBeta1));
                v.get(i).muli(beta2).addi(g.square().muli(oneMinusBeta2));
                // PyTorch's Adam: theta -= lr/c1 * m / (sqrt(v)/sqrt(c2) + eps)
                NDArray denom = v.get(i).sqrt().divi(sqrtC2).addi(epsilon);
                params.get(i).subi(m.get(i).div(denom).muli(stepSize));
            }
        }

        @Override
        public void close() {
            state.close();
        }
    }
}
