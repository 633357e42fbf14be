package dev.amend.bench;

import dev.amend.AmendException;
import dev.amend.data.DataSpec;
import dev.amend.data.ExampleSet;
import dev.amend.data.Preprocessing;
import dev.amend.model.ModelHandle;
import dev.amend.model.ModelSpec;
import dev.amend.provenance.EngineInfo;
import dev.amend.run.TrainRun;
import dev.amend.run.TrainRunResult;
import dev.amend.run.format.TrainRunSpec;
import dev.amend.train.EpochRecord;
import dev.amend.train.TrainConfig;
import dev.amend.train.TrainingLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Seconds per training epoch of the paper's CNN on the training part of a data set (the issue's
 * speed target on the 3,000-digit MNIST pool: at most {@value #TARGET_SECONDS} s per epoch on 2
 * cores, where PyTorch 1.13 takes 0.69-0.78 s with the same malloc tuning; docs/benchmarks.md).
 * Each repeat starts a fresh model, trains {@value #WARMUP_EPOCHS} untimed warm-up epoch (oneDNN
 * creates its kernels for new shapes then) and then the timed epochs, without validation, so only
 * training is measured. Optionally a full early-stopped run shows the accuracy the timed scheme
 * reaches.
 */
public final class TrainBench {
    /** The timed network. */
    public static final String MODEL = "paper-cnn";
    /** The target, seconds per epoch on the MNIST pool with 2 threads. */
    public static final double TARGET_SECONDS = 0.7;
    /** What the target is set against. */
    public static final String PYTORCH_REFERENCE = "PyTorch 1.13 with tuned malloc: 0.69-0.78 s/epoch";
    /** Untimed epochs at the start of each repeat. */
    public static final int WARMUP_EPOCHS = 1;

    private TrainBench() {
    }

    /** Hears the epochs of the timed repeats, and the stages and epochs of the full run. */
    public interface Listener extends TrainRun.Listener {
        /**
         * An epoch of repeat {@code repeat} (1-based, of {@code repeats}) finished; warm-up epochs
         * are not counted.
         */
        default void timedEpoch(int repeat, int repeats, EpochRecord record, int maxEpochs, boolean warmup) {
        }
    }

    /** What was timed. */
    public record Settings(String model, String data, int images, int batchSize, String optimizer, double learningRate,
            int threads, int warmupEpochs, int epochs, int repeats, long seed) {
    }

    /** The optional full run: the accuracy the timed scheme reaches. */
    public record FullRun(double testAccuracy, int epochsRun, int bestEpoch, double seconds) {
    }

    /**
     * The bench's numbers.
     *
     * @param settings what was timed
     * @param epochSeconds seconds of each timed epoch, one list per repeat
     * @param repeatMedians the median of each repeat
     * @param median the median over all timed epochs
     * @param min the fastest timed epoch
     * @param max the slowest timed epoch
     * @param targetSeconds {@value #TARGET_SECONDS}
     * @param reference {@value #PYTORCH_REFERENCE}
     * @param loadAverageStart the 1-minute load average before, or null where unknown
     * @param loadAverageEnd the same after
     * @param full the full run, or null
     */
    public record Result(Settings settings, List<List<Double>> epochSeconds, List<Double> repeatMedians, double median,
            double min, double max, double targetSeconds, String reference, Double loadAverageStart,
            Double loadAverageEnd, FullRun full) {

        /** Whether the median meets the target. */
        public boolean met() {
            return median <= targetSeconds;
        }
    }

    /**
     * Times training epochs on the training part of {@code data} (an MNIST source draws the
     * paper's pool of {@value DataSpec#DEFAULT_MNIST_POOL} digits), with the paper's Adam scheme
     * ({@link TrainConfig#baseDefaults}); repeat r seeds its model and shuffling with
     * {@code seed + r}.
     *
     * @param epochs timed epochs per repeat, after the warm-up
     * @param repeats repeats, each with a fresh model
     * @param full also train a full early-stopped run ({@link TrainRunSpec#paper}, scenario none)
     */
    public static Result run(String data, int epochs, int repeats, boolean full, long seed, Listener listener) {
        if (epochs < 1 || repeats < 1) {
            throw new AmendException("the bench's epochs and repeats must be at least 1, got " + epochs + " and "
                    + repeats);
        }
        Double loadStart = IdentifyBench.loadAverage();
        ExampleSet pool = DataSpec.parse(data).load().train();
        ModelSpec modelSpec = new ModelSpec(MODEL, Map.of(), pool.channels(), pool.height(), pool.width(),
                pool.classNames(), Preprocessing.channelMean(pool), ModelSpec.Precision.FLOAT32, 0);
        TrainConfig base = TrainConfig.baseDefaults(seed).withMaxEpochs(WARMUP_EPOCHS + epochs);

        List<List<Double>> seconds = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            List<Double> times = new ArrayList<>();
            int repeat = r + 1;
            try (ModelHandle model = ModelHandle.create(modelSpec, seed + r)) {
                TrainingLoop.train(model, pool, null, base.withSeed(seed + r), null, (record, max) -> {
                    boolean warmup = record.epoch() <= WARMUP_EPOCHS;
                    listener.timedEpoch(repeat, repeats, record, max, warmup);
                    if (!warmup) {
                        times.add(record.seconds());
                    }
                });
            }
            seconds.add(List.copyOf(times));
        }
        FullRun fullRun = full ? fullRun(data, seed, listener) : null;
        Double loadEnd = IdentifyBench.loadAverage();

        List<Double> all = seconds.stream().flatMap(List::stream).toList();
        Settings settings = new Settings(MODEL, data, pool.size(), base.batchSize(), "adam", base.learningRate(),
                EngineInfo.load().threads(), WARMUP_EPOCHS, epochs, repeats, seed);
        return new Result(settings, List.copyOf(seconds), seconds.stream().map(IdentifyBench::median).toList(),
                IdentifyBench.median(all), all.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                all.stream().mapToDouble(Double::doubleValue).max().orElseThrow(), TARGET_SECONDS, PYTORCH_REFERENCE,
                loadStart, loadEnd, fullRun);
    }

    private static FullRun fullRun(String data, long seed, Listener listener) {
        listener.stage("full run: " + MODEL + " with early stopping on 10% of the pool");
        try (TrainRunResult run = TrainRun.run(TrainRunSpec.paper(data, "none", MODEL, seed), listener)) {
            return new FullRun(run.metrics().test().accuracy(), run.metrics().training().epochsRun(),
                    run.metrics().training().bestEpoch(), run.metrics().training().seconds());
        }
    }
}
