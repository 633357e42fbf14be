package dev.amend.run;

import dev.amend.AmendException;
import dev.amend.data.DataSpec;
import dev.amend.data.ExampleSet;
import dev.amend.data.LoadedData;
import dev.amend.data.scenario.CorruptedData;
import dev.amend.identify.CauseIdentifier;
import dev.amend.identify.CauseSelection;
import dev.amend.identify.IdentificationMetrics;
import dev.amend.identify.IdentificationProblem;
import dev.amend.identify.Identifiers;
import dev.amend.identify.Ranking;
import dev.amend.identify.RankingIo;
import dev.amend.identify.SgdInfluence;
import dev.amend.model.ModelHandle;
import dev.amend.model.ModelStore;
import dev.amend.model.TorchScript;
import dev.amend.provenance.Provenance;
import dev.amend.provenance.RunFiles;
import dev.amend.run.format.RunDirectory;
import dev.amend.train.Trajectory;
import dev.amend.util.AtomicFolders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Step I of a repair on one trained model, as {@code amend identify} runs it (docs/methods.md 1, 2):
 * theta*, its training set D and a failure query set F_q go in; a {@link Ranking} of D comes
 * out, with the method's resolved settings, its wall-clock seconds and, when the scenario's
 * ground truth is known, how well it finds the corrupted examples. {@link #write} saves it as
 * a folder holding ranking.csv, ranking.json, spec.json and provenance.json, all or nothing.
 */
public final class IdentifyRun {
    /** What the folder is called in messages. */
    static final String WHAT = "identification folder";

    private IdentifyRun() {
    }

    /**
     * Where theta*, D and the ground truth come from: a training run, or a saved model with a
     * data set. Owns the model: close it when done.
     *
     * @param model theta*
     * @param train D, the training set the ranking covers
     * @param test T, whose rows a query file names
     * @param defaultQuery F_q as positions in T, or null if unknown (a model without its run)
     * @param corruption the scenario's ground truth over D, or null if unknown
     * @param trajectory a recorded plain-SGD trajectory over D that ends at theta*, or null
     * @param initSeed the seed of theta*'s initialisation (an auxiliary SGD model starts there)
     * @param trainSeed the seed of theta*'s minibatch order
     * @param trainedWith how theta* was trained ("adam", "sgd", "exact"), or null if unknown
     */
    public record Source(ModelHandle model, ExampleSet train, ExampleSet test, int[] defaultQuery, CorruptedData corruption,
            Trajectory trajectory, long initSeed, long trainSeed, String trainedWith) implements AutoCloseable {

        public Source {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(train, "train");
            Objects.requireNonNull(test, "test");
        }

        /** A run folder written by {@code amend train} (docs/runs.md). */
        public static Source load(Path runFolder) {
            LoadedRun run = RunDirectory.load(runFolder);
            return new Source(run.model(), run.train(), run.test(), run.failures().query(), run.corruption(), null,
                    run.metrics().seeds().init(), run.spec().train().seed(), run.metrics().training().method());
        }

        /** A run just trained; closing the source closes its model. */
        public static Source of(TrainRunResult run) {
            return new Source(run.model(), run.train(), run.test(), run.failures().query(), run.corruption(),
                    run.training().trajectory(), run.metrics().seeds().init(), run.spec().train().seed(),
                    run.metrics().training().method());
        }

        /**
         * A saved model (a model folder, or a run folder's model/) with the data set it was
         * trained on: D is the data's whole training part, T its test part. Nothing is known
         * about corruption or failures, and {@code seed} stands in for the initialisation seed.
         */
        public static Source load(Path modelFolder, String data, int poolSize, long dataSeed, long seed) {
            Path folder = RunDirectory.modelFolder(modelFolder);
            // The data first: a mistyped path should fail before libtorch allocates the model.
            if (!TorchScript.isTorchScriptFile(folder)) {
                ModelStore.readModelFile(folder);
            }
            LoadedData loaded = DataSpec.parse(data).load(poolSize, dataSeed);
            ModelHandle model = ModelStore.load(folder, loaded.train());
            try {
                model.spec().checkCompatible(loaded.train(), "the training data " + data);
            } catch (AmendException e) {
                model.close();
                throw e;
            }
            return new Source(model, loaded.train(), loaded.test(), null, null, null, seed, seed, null);
        }

        /**
         * The same data and ground truth with another model of the same function (e.g. the model
         * opened through the generic TorchScript path); closing the result closes {@code other}.
         * A recorded trajectory stays with the original.
         */
        public Source withModel(ModelHandle other) {
            return new Source(other, train, test, defaultQuery, corruption, null, initSeed, trainSeed, trainedWith);
        }

        /** The run's F_q. */
        public ExampleSet query() {
            if (defaultQuery == null) {
                throw new AmendException("a model without its run has no failure query set: name the failures with"
                        + " --query-indices FILE or --query-data SPEC");
            }
            return test.subset(defaultQuery);
        }

        /** The ground-truth mask by position in D, or null if unknown. */
        public boolean[] noisy() {
            return corruption == null ? null : corruption.corrupted();
        }

        @Override
        public void close() {
            model.close();
        }
    }

    /**
     * What {@code amend identify} was given, written as spec.json.
     *
     * @param run the run folder, or null
     * @param model the model folder (with {@code data}), or null
     * @param data the data spec with {@code model}, or null
     * @param poolSize the MNIST pool size with {@code model}, or null
     * @param dataSeed the seed of the MNIST pool with {@code model}, or null
     * @param method the method's canonical name
     * @param options the method settings, the defaults of those not given included
     * @param trainAuxiliary whether SGD-influence trained an auxiliary plain-SGD model
     * @param query "F_q" (the run's), "indices:FILE" or "data:SPEC"
     * @param selection the cause selection, or null for none
     * @param seed the seed of the F_q fit/validation split, EWC fine-tuning, LiSSA, random and oracle
     */
    public record Spec(String run, String model, String data, Integer poolSize, Long dataSeed, String method,
            Identifiers.Options options, boolean trainAuxiliary, String query, String selection, long seed) {
    }

    /**
     * The outcome.
     *
     * @param ranking scores over D
     * @param settings the method's resolved settings (plus the auxiliary model's, if one was trained)
     * @param seconds wall-clock seconds from theta* and F_q to the ranking (docs/methods.md 4.3; an
     *     auxiliary model's training is not included, it is in {@code settings})
     * @param querySize |F_q|
     * @param auxiliary the auxiliary SGD model's description, or null if none was trained
     * @param selection how C was chosen, or null
     * @param selected C as positions in D, most harmful first, or null without a selection
     * @param metrics against the ground truth, or null if unknown or nothing is corrupted
     */
    public record Result(Ranking ranking, Map<String, Object> settings, double seconds, int querySize,
            Map<String, Object> auxiliary, CauseSelection selection, int[] selected, IdentificationMetrics metrics) {

        /** What ranking.json records about the ground truth (null if unknown). */
        public IdentificationMetrics.Summary summary() {
            if (metrics == null) {
                return null;
            }
            int[] ks = IdentificationMetrics.standardKs(ranking.size());
            if (selected != null) {
                return metrics.summary(selected, ks);
            }
            double[] kValues = java.util.Arrays.stream(ks).asDoubleStream().toArray();
            return new IdentificationMetrics.Summary(metrics.size(), metrics.noisyCount(), metrics.rocAuc(), Double.NaN,
                    Double.NaN, 0, kValues, metrics.fractionInTopK(ks));
        }
    }

    /**
     * Scores D for the query set.
     *
     * @param method a name of {@link Identifiers#NAMES}
     * @param trainAuxiliary for sgd-influence: train an {@link AuxiliarySgd} model and score with it
     * @param selection how to choose C, or null for no selection
     * @throws AmendException for every mistake in what was given, before the method runs where
     *     it can be known in advance
     */
    public static Result identify(Source source, ExampleSet query, String method, Identifiers.Options options,
            boolean trainAuxiliary, CauseSelection selection, long seed, TrainRun.Listener listener) {
        String name = Identifiers.canonical(method);
        CauseIdentifier identifier = Identifiers.create(name, options, seed,
                (record, max) -> listener.epoch(name + " fine-tuning", record, max));
        int n = source.train().size();
        // The problem checks these too, but only after an auxiliary model has trained for minutes.
        if (query.size() == 0) {
            throw new AmendException("the failure query set is empty: there is nothing to explain");
        }
        source.model().spec().checkCompatible(query, "the failure query set");
        if (selection != null) {
            // The selection's own checks (k <= N, no threshold for random or oracle) before minutes of work.
            selection.select(new Ranking(name, new double[n]));
        }
        if (Identifiers.needsMask(name) && source.corruption() == null) {
            throw new AmendException("the oracle needs the ground-truth corruption mask, which only a training run has;"
                    + " use --run");
        }
        if (trainAuxiliary && !Identifiers.needsTrajectory(name)) {
            throw new AmendException("--train-auxiliary is for sgd-influence only, not " + name);
        }
        if (Identifiers.needsTrajectory(name) && source.trajectory() == null && !trainAuxiliary) {
            throw new AmendException("sgd-influence needs a recorded plain-SGD trajectory, which "
                    + (source.trainedWith() == null ? "a saved model does not have"
                            : "this run does not store (trained with " + source.trainedWith() + ")")
                    + "; add --train-auxiliary to train an auxiliary plain-SGD model (lr " + AuxiliarySgd.LEARNING_RATE
                    + ", batch " + AuxiliarySgd.BATCH_SIZE + ", " + AuxiliarySgd.EPOCHS + " epochs) and score with it");
        }
        boolean[] noisy = source.noisy();
        Map<String, Object> settings = new LinkedHashMap<>(identifier.settings());
        Ranking ranking;
        double seconds;
        Map<String, Object> auxiliary = null;
        if (trainAuxiliary) {
            SgdInfluence.AuxiliaryStart from = AuxiliarySgd.start(options);
            listener.stage("training an auxiliary plain-SGD model for sgd-influence (" + AuxiliarySgd.describe(from)
                    + ")");
            try (AuxiliarySgd.Trained aux = AuxiliarySgd.train(from, source.model(), source.initSeed(), source.train(),
                    source.trainSeed(), (record, max) -> listener.epoch("auxiliary SGD", record, max))) {
                auxiliary = aux.describe();
                settings.put("auxiliary_model", auxiliary);
                IdentificationProblem problem = IdentificationProblem.of(aux.model(), source.train(), query, noisy,
                        aux.trajectory(), seed);
                listener.stage("scoring " + n + " training examples with " + name);
                long start = System.nanoTime();
                ranking = identifier.identify(problem);
                seconds = (System.nanoTime() - start) / 1e9;
            }
        } else {
            IdentificationProblem problem = IdentificationProblem.of(source.model(), source.train(), query, noisy,
                    source.trajectory(), seed);
            listener.stage("scoring " + n + " training examples with " + name);
            long start = System.nanoTime();
            ranking = identifier.identify(problem);
            seconds = (System.nanoTime() - start) / 1e9;
        }
        int[] selected = selection == null ? null : selection.select(ranking);
        IdentificationMetrics metrics = noisy == null || source.corruption().corruptedCount() == 0 ? null
                : new IdentificationMetrics(ranking, noisy);
        return new Result(ranking, settings, seconds, query.size(), auxiliary, selection, selected, metrics);
    }

    /**
     * Writes ranking.csv, ranking.json, spec.json and provenance.json into {@code folder}
     * atomically. An earlier identification folder there is replaced; any other non-empty
     * folder is refused.
     */
    public static void write(Path folder, Result result, Source source, Spec spec, Provenance provenance) {
        AtomicFolders.write(folder, WHAT, IdentifyRun::isIdentifyFolder, tmp -> {
            RunFiles.writeSpec(tmp, spec);
            RunFiles.writeProvenance(tmp, provenance);
            RankingIo.RankingWriter writer = RankingIo.writer(result.ranking(), source.train())
                    .optSettings(result.settings()).optSeconds(result.seconds());
            if (source.corruption() != null) {
                writer.optCorrupted(source.noisy());
            }
            IdentificationMetrics.Summary summary = result.summary();
            if (summary != null) {
                writer.optMetrics(summary);
            }
            writer.write(tmp);
        });
    }

    /** Whether {@code folder} holds an identification written by {@link #write}. */
    public static boolean isIdentifyFolder(Path folder) {
        return Files.isRegularFile(folder.resolve(RunFiles.SPEC)) && Files.isRegularFile(folder.resolve(RankingIo.JSON));
    }
}
