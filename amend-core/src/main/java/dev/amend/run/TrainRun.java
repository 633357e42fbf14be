package dev.amend.run;

import dev.amend.data.DataSpec;
import dev.amend.data.ExampleSet;
import dev.amend.data.LoadedData;
import dev.amend.data.Preprocessing;
import dev.amend.data.Splits;
import dev.amend.data.scenario.CorruptedData;
import dev.amend.data.scenario.Scenario;
import dev.amend.data.scenario.ScenarioSpec;
import dev.amend.data.scenario.Victim;
import dev.amend.model.Architectures;
import dev.amend.model.Evaluation;
import dev.amend.model.ModelBudget;
import dev.amend.model.ModelHandle;
import dev.amend.model.ModelSpec;
import dev.amend.run.format.RunDirectory;
import dev.amend.run.format.TrainMetrics;
import dev.amend.run.format.TrainRunSpec;
import dev.amend.train.EpochRecord;
import dev.amend.train.Optimum;
import dev.amend.train.TrainConfig;
import dev.amend.train.TrainResult;
import dev.amend.train.TrainingLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The base-model protocol of [T22] Section 4 (docs/methods.md 4.1 and 4.2), from a
 * {@link TrainRunSpec} to a trained model with its failure sets:
 * <ol>
 *   <li>load the data; parse the scenario for the data's kind;</li>
 *   <li>for poisoning, train the victims on the clean training data (same architecture and
 *       scheme, their own seeds, the same validation positions as the base model);</li>
 *   <li>corrupt the whole training data, then split it 90/10 (seeded) into D and the
 *       validation part, so the validation part is as noisy as D;</li>
 *   <li>centre inputs by the per-channel mean of D; create the model; train it with early
 *       stopping on the validation part, or to the exact optimum of the objective on D;</li>
 *   <li>evaluate on T: F = the misclassified examples (of the target classes, for input noise
 *       and poisoning), split 50/50 into F_q and F_h; T\F = the correctly classified ones.</li>
 * </ol>
 * The same spec gives the same result bit for bit at a fixed thread count.
 */
public final class TrainRun {
    /** The gradient norm the exact optimum is trained to. */
    public static final double OPTIMUM_TOLERANCE = 1e-8;
    /** Full-batch iterations before the exact optimum gives up (then metrics.json shows the norm reached). */
    public static final int OPTIMUM_MAX_ITERATIONS = 1000;

    /** Hears what a run is doing, for progress output. */
    public interface Listener {
        Listener NONE = new Listener() {
        };

        /** A step of the protocol starts ("loading data", "training victim 1 of 3", ...). */
        default void stage(String message) {
        }

        /** An epoch of {@code what} ("model", "victim 2/3") finished. */
        default void epoch(String what, EpochRecord record, int maxEpochs) {
        }
    }

    /**
     * The seeds of a run's random choices, all derived from its one seed by a
     * {@link SplittableRandom} (whose algorithm the Java specification fixes), so that no two
     * choices share a random stream. Minibatch shuffling uses the training config's own seed.
     *
     * @param scenario the corruption
     * @param validation the 90/10 split into D and validation
     * @param init the model's initial parameters
     * @param halves the split of F into F_q and F_h
     * @param victims each poisoning victim's initialisation and shuffling
     */
    public record Seeds(long scenario, long validation, long init, long halves, List<Long> victims) {
        public Seeds {
            victims = List.copyOf(victims);
        }

        /** The seeds derived from {@code seed}, with {@code victims} victim seeds. */
        public static Seeds of(long seed, int victims) {
            SplittableRandom random = new SplittableRandom(seed);
            long scenario = random.nextLong();
            long validation = random.nextLong();
            long init = random.nextLong();
            long halves = random.nextLong();
            List<Long> v = new ArrayList<>();
            for (int i = 0; i < victims; i++) {
                v.add(random.nextLong());
            }
            return new Seeds(scenario, validation, init, halves, v);
        }
    }

    private TrainRun() {
    }

    /**
     * Runs the protocol; user errors (unknown model or scenario, bad data) are
     * {@link dev.amend.AmendException}s. A null listener hears nothing, as {@link Listener#NONE}.
     */
    public static TrainRunResult run(TrainRunSpec spec, Listener listener) {
        if (listener == null) {
            listener = Listener.NONE;
        }
        listener.stage("loading " + spec.data());
        LoadedData data = DataSpec.parse(spec.data()).load(spec.poolSize(), spec.dataSeed());
        ExampleSet clean = data.train();
        ScenarioSpec scenarioSpec = ScenarioSpec.parse(spec.scenario(), data.kind(), clean.numClasses());
        // Rejects an unknown model or option now, not after victims have been trained for minutes.
        ModelSpec checked = modelSpec(spec, clean, new float[clean.channels()]);
        ModelBudget.check(checked, Architectures.build(checked));
        Seeds seeds = Seeds.of(spec.seed(), scenarioSpec.victimsNeeded());

        CorruptedData corrupted = corrupt(spec, scenarioSpec, clean, seeds, listener);
        Splits.Split split = Splits.trainValidation(corrupted.data(), spec.valFraction(), seeds.validation());
        ExampleSet train = split.kept();
        ExampleSet validation = split.heldOut();
        CorruptedData onTrain = restrict(corrupted, train, split.keptIndices());

        ModelHandle model = ModelHandle.create(modelSpec(spec, train, Preprocessing.channelMean(train)), seeds.init());
        try {
            listener.stage("training " + spec.model() + " on " + train.size() + " examples"
                    + (validation.size() > 0 ? " (" + validation.size() + " for validation)" : ""));
            Fit fit = fit(model, train, validation, spec, spec.train(), "model", listener);
            listener.stage("evaluating on " + data.test().size() + " test examples");
            Evaluation testEval = model.evaluate(data.test());
            FailureSets failures = FailureSets.of(testEval, targetClasses(scenarioSpec), seeds.halves());
            TrainMetrics metrics = metrics(model, train, validation, data.test(), onTrain,
                    count(corrupted, split.heldOutIndices()), testEval, failures, fit, seeds);
            return new TrainRunResult(spec, model, train, validation, data.test(), onTrain, failures, testEval,
                    fit.result(), metrics);
        } catch (RuntimeException | Error e) {
            model.close();
            throw e;
        }
    }

    /** The model spec of a run for data shaped like {@code data}, centred by {@code mean}. */
    static ModelSpec modelSpec(TrainRunSpec spec, ExampleSet data, float[] mean) {
        return new ModelSpec(spec.model(), spec.modelOptions(), data.channels(), data.height(), data.width(),
                data.classNames(), mean, spec.precision(), spec.l2());
    }

    private static CorruptedData corrupt(TrainRunSpec spec, ScenarioSpec scenarioSpec, ExampleSet clean, Seeds seeds,
            Listener listener) {
        List<ModelHandle> victims = new ArrayList<>();
        try {
            if (scenarioSpec.victimsNeeded() > 0) {
                // The victims see the clean version of the base model's D and validation part.
                Splits.Split split = Splits.trainValidation(clean, spec.valFraction(), seeds.validation());
                for (int i = 0; i < scenarioSpec.victimsNeeded(); i++) {
                    String what = "victim " + (i + 1) + "/" + scenarioSpec.victimsNeeded();
                    listener.stage("training " + what + " for poisoning");
                    long seed = seeds.victims().get(i);
                    victims.add(ModelHandle.create(modelSpec(spec, split.kept(), Preprocessing.channelMean(split.kept())),
                            seed));
                    fit(victims.get(i), split.kept(), split.heldOut(), spec, spec.train().withSeed(seed), what, listener);
                }
            }
            Scenario scenario = scenarioSpec.toScenario(victims.stream().<Victim>map(ModelVictim::new).toList());
            listener.stage("applying scenario " + scenario.name());
            return scenario.apply(clean, seeds.scenario());
        } finally {
            victims.forEach(ModelHandle::close);
        }
    }

    /** How a model's parameters were found: a minibatch history, or the full-batch optimum. */
    private record Fit(TrainResult result, Optimum.Result optimum, String method) {
    }

    private static Fit fit(ModelHandle model, ExampleSet train, ExampleSet validation, TrainRunSpec spec, TrainConfig config,
            String what, Listener listener) {
        if (spec.exactOptimum()) {
            long start = System.nanoTime();
            Optimum.Result optimum = Optimum.fit(model, train, OPTIMUM_TOLERANCE, OPTIMUM_MAX_ITERATIONS);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (optimum.gradientNorm() > OPTIMUM_TOLERANCE) {
                listener.stage(String.format("warning: the %s stopped after %d full-batch iterations at gradient norm %.3g"
                        + " (target %.0e); without --l2 the optimum may not exist", what, optimum.iterations(),
                        optimum.gradientNorm(), OPTIMUM_TOLERANCE));
            }
            return new Fit(new TrainResult(0, 0, List.of(), null, seconds), optimum, "exact");
        }
        TrainResult result = TrainingLoop.train(model, train, validation, config, null,
                (record, max) -> listener.epoch(what, record, max));
        return new Fit(result, null, config.optimizer().name().toLowerCase(java.util.Locale.ROOT));
    }

    /** The target classes F is restricted to (input noise, poisoning; docs/methods.md 4.2), else empty. */
    static List<Integer> targetClasses(ScenarioSpec scenario) {
        Object classes = scenario.parameters().get("classes");
        if (!(classes instanceof List<?> list)) {
            return List.of();
        }
        return list.stream().map(c -> ((Number) c).intValue()).toList();
    }

    /** The corruption of the examples at {@code positions}, which make up {@code part}, in that order. */
    static CorruptedData restrict(CorruptedData all, ExampleSet part, int[] positions) {
        boolean[] corrupted = all.corrupted();
        boolean[] changed = all.labelChanged();
        int[] original = all.originalLabels();
        int n = positions.length;
        boolean[] c = new boolean[n];
        boolean[] l = new boolean[n];
        int[] o = new int[n];
        for (int j = 0; j < n; j++) {
            c[j] = corrupted[positions[j]];
            l[j] = changed[positions[j]];
            o[j] = original[positions[j]];
        }
        return new CorruptedData(part, c, l, o, all.scenario(), all.parameters());
    }

    private static int count(CorruptedData all, int[] positions) {
        return (int) IntStream.of(positions).filter(all::isCorrupted).count();
    }

    private static TrainMetrics metrics(ModelHandle model, ExampleSet train, ExampleSet validation, ExampleSet test,
            CorruptedData onTrain, int validationCorrupted, Evaluation testEval, FailureSets failures, Fit fit,
            Seeds seeds) {
        Evaluation trainEval = model.evaluate(train);
        int[] predictions = trainEval.predictions();
        int[] labels = train.labels();
        int[] clean = IntStream.range(0, train.size()).filter(i -> !onTrain.isCorrupted(i)).toArray();
        int[] noisy = onTrain.corruptedIndices();
        TrainMetrics.TrainPart trainPart = new TrainMetrics.TrainPart(train.size(), onTrain.corruptedCount(),
                onTrain.labelChangedCount(), accuracy(trainEval), loss(trainEval),
                agreement(predictions, labels, clean), agreement(predictions, labels, noisy),
                agreement(predictions, onTrain.originalLabels(), noisy), validationCorrupted);
        Evaluation valEval = validation.size() > 0 ? model.evaluate(validation) : null;
        TrainMetrics.Part valPart = new TrainMetrics.Part(validation.size(), valEval == null ? null : accuracy(valEval),
                valEval == null ? null : loss(valEval));
        TrainMetrics.Part testPart = new TrainMetrics.Part(test.size(), accuracy(testEval), loss(testEval));

        int[] testPredictions = testEval.predictions();
        int[] testLabels = test.labels();
        int[] histogram = failures.histogram(testLabels, test.numClasses());
        List<TrainMetrics.ClassCount> byClass = IntStream.range(0, histogram.length)
                .mapToObj(c -> new TrainMetrics.ClassCount(c, test.classNames().get(c), histogram[c])).toList();
        TrainMetrics.Failures failurePart = new TrainMetrics.Failures(failures.classes(), failures.failures().length,
                failures.query().length, failures.holdout().length, failures.remaining().length,
                failures.otherFailures().length, agreement(testPredictions, testLabels, failures.failures()),
                agreement(testPredictions, testLabels, failures.remaining()), byClass);

        TrainResult r = fit.result();
        TrainMetrics.Training training = new TrainMetrics.Training(fit.method(), r.epochsRun(), r.bestEpoch(),
                fit.optimum() == null ? null : fit.optimum().iterations(),
                fit.optimum() == null ? null : fit.optimum().gradientNorm(), r.seconds());
        return new TrainMetrics(new TrainMetrics.Scenario(onTrain.scenario(), onTrain.parameters()), trainPart, valPart,
                testPart, failurePart, training, seeds, RunDirectory.fingerprint(test));
    }

    private static Double accuracy(Evaluation e) {
        return e.size() == 0 ? null : e.accuracy();
    }

    private static Double loss(Evaluation e) {
        return e.size() == 0 ? null : e.meanLoss();
    }

    /** The fraction of {@code positions} where prediction and label agree; null for none. */
    private static Double agreement(int[] predictions, int[] labels, int[] positions) {
        if (positions.length == 0) {
            return null;
        }
        long ok = IntStream.of(positions).filter(i -> predictions[i] == labels[i]).count();
        return (double) ok / positions.length;
    }
}
