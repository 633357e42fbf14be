package dev.amend.cli;

import dev.amend.AmendException;
import dev.amend.data.DataSpec;
import dev.amend.data.ExampleSet;
import dev.amend.data.LoadedData;
import dev.amend.run.CleanData;
import dev.amend.run.RepairInput;
import dev.amend.treat.CleanSet;
import dev.amend.treat.EwcDeletion;
import dev.amend.treat.FinetuneFailures;
import dev.amend.treat.NewtonRemoval;
import dev.amend.treat.Retain;
import dev.amend.treat.StopRule;
import dev.amend.treat.Treatment;
import dev.amend.treat.TreatmentFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The settings of a treatment ({@code --gamma}, {@code --deletion-lambda}, {@code --mu}, {@code --beta},
 * {@code --newton-damping}, {@code --exact-step}, {@code --epochs}); the help texts quote the
 * {@code DEFAULT_*} constants of the treatment classes, and an option given is passed on to
 * {@link TreatmentFactory}, which applies it on top of the treatment's settings record and refuses
 * one the chosen treatment does not take. The treatment's name is the command's
 * own option ({@code --method} for treat, {@code --treat} for repair).
 */
public final class TreatmentOptions {
    @Option(names = "--gamma", paramLabel = "G",
            description = "Deletion strength of ewc-deletion, newton-removal and retain --retain-variant ewc (default "
                    + EwcDeletion.DEFAULT_GAMMA + "; " + NewtonRemoval.DEFAULT_EXACT_GAMMA + " with --exact-step); "
                    + "the paper's Fig. 5 sweeps 0.01 to 0.05.")
    Double gamma;

    @Option(names = "--deletion-lambda", paramLabel = "L",
            description = "ewc-deletion: precision of the isotropic prior (default " + EwcDeletion.DEFAULT_LAMBDA
                    + ", as in the paper).")
    Double lambda;

    @Option(names = "--mu", paramLabel = "M",
            description = "finetune-failures, combined: weight of the L2 pull towards theta* (default "
                    + FinetuneFailures.DEFAULT_MU + ").")
    Double mu;

    @Option(names = "--beta", paramLabel = "B",
            description = "combined: weight of the failure loss beside the loss on D\\C (default "
                    + FinetuneFailures.DEFAULT_BETA + ").")
    Double beta;

    @Option(names = "--newton-damping", paramLabel = "D",
            description = "newton-removal: delta added to the curvature (default: " + NewtonRemoval.DEFAULT_FISHER_DAMPING
                    + " on the mean Fisher of the paper's step, " + NewtonRemoval.DEFAULT_DAMPING
                    + " on the Hessian of --exact-step).")
    Double damping;

    @Option(names = "--exact-step",
            description = "newton-removal: the Guo et al. step with the Hessian of D\\C (conjugate gradients) instead "
                    + "of the paper's Fisher step (Eq. 14).")
    boolean exactStep;

    @Option(names = "--solver", paramLabel = "S",
            description = "newton-removal --exact-step: cg (conjugate gradients, default) or lissa (the stochastic "
                    + "recursion of Agarwal et al.) for the inverse-Hessian-vector product.")
    String solver;

    @Option(names = "--relabel-confidence", paramLabel = "TAU",
            description = "retain: the counterfactual model's probability of its class needed to relabel a flagged "
                    + "example instead of deleting it (default " + Retain.DEFAULT_CONFIDENCE + "; docs/treatment.md).")
    Double relabelConfidence;

    @Option(names = "--retain-variant", paramLabel = "V",
            description = "retain: how the corrected data reach the model: finetune (default; fine-tune the "
                    + "counterfactual model on them) or ewc (edit theta* with the Fisher penalty, --gamma).")
    String retainVariant;

    @Option(names = "--counterfactual-candidate", paramLabel = "true|false", arity = "1",
            description = "retain (finetune): whether the counterfactual model itself (delete-all with the clean set) "
                    + "competes as epoch 0 of the final fine-tuning (default: " + Retain.DEFAULT_COUNTERFACTUAL_CANDIDATE
                    + "; docs/treatment.md).")
    Boolean counterfactualCandidate;

    @Option(names = "--clean-per-class", paramLabel = "N",
            description = "A trusted clean set of N test examples per class, drawn with --seed and removed from the "
                    + "test set (retain's default with --run: " + CleanData.DEFAULT_PER_CLASS + ").")
    Integer cleanPerClass;

    @Option(names = "--clean-data", paramLabel = "SPEC",
            description = "A trusted clean set of your own, as a data spec (both of its parts are used); it must not "
                    + "share an image with the training or test data.")
    String cleanData;

    @Option(names = "--write-relabelled",
            description = "retain: also write the corrected training set (relabelled, without the deleted examples) "
                    + "as relabelled-train-images-idx3-ubyte and relabelled-train-labels-idx1-ubyte (grey images).")
    boolean writeRelabelled;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "100",
            description = "Maximum epochs of the treatment's training; early stopping usually ends it sooner "
                    + "(default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--treat-stop-on", paramLabel = "SET:METRIC",
            description = "What the treatment's early stopping watches: SET validation (the base validation split), "
                    + "query (F_q_val), validation+query, clean (D_c_val of the clean set) or clean+query, METRIC loss or "
                    + "accuracy. Defaults: validation:loss for finetune-remaining and retrain, query:loss for "
                    + "finetune-failures, validation+query:loss for combined, query:accuracy for ewc-deletion and "
                    + "newton-removal, clean+query:loss for retain (docs/treatment.md).")
    String stopOn;

    @Option(names = "--start-candidate", paramLabel = "true|false", arity = "1",
            defaultValue = "" + TreatmentFactory.DEFAULT_START_CANDIDATE,
            description = "Whether theta* itself competes with the trained epochs in early stopping (default: "
                    + "${DEFAULT-VALUE}; docs/treatment.md).")
    boolean startCandidate;

    /** The treatment {@code name} with these options and the seed. */
    public Treatment create(String name, long seed) {
        TreatmentFactory.Builder b = TreatmentFactory.builder(name).optSeed(seed).optMaxEpochs(epochs)
                .optExactStep(exactStep);
        if (gamma != null) {
            b.optGamma(gamma);
        }
        if (lambda != null) {
            b.optLambda(lambda);
        }
        if (mu != null) {
            b.optMu(mu);
        }
        if (beta != null) {
            b.optBeta(beta);
        }
        if (damping != null) {
            b.optDamping(damping);
        }
        if (solver != null) {
            b.optSolver(solver);
        }
        if (stopOn != null) {
            b.optStopOn(StopRule.parse("--treat-stop-on", stopOn));
        }
        // newton-removal has no epochs for theta* to compete with: it gets the setting only when a user
        // asks for theta* to compete, and then refuses it.
        if (TreatmentFactory.takes(name, "start-candidate")
                || startCandidate != TreatmentFactory.DEFAULT_START_CANDIDATE) {
            b.optStartCandidate(startCandidate);
        }
        if (relabelConfidence != null) {
            b.optRelabelConfidence(relabelConfidence);
        }
        if (retainVariant != null) {
            b.optVariant(retainVariant);
        }
        if (counterfactualCandidate != null) {
            b.optCounterfactualCandidate(counterfactualCandidate);
        }
        Treatment t = b.build();
        if (cleanPerClass != null && cleanData != null) {
            throw new AmendException("give either --clean-per-class or --clean-data, not both");
        }
        if (writeRelabelled && !t.name().equals("retain")) {
            throw new AmendException("--write-relabelled applies to --treat retain only");
        }
        return t;
    }

    /**
     * The repair input with the clean set the options ask for, checked before any work: drawn
     * out of T ({@code --clean-per-class}, retain's default for a run), or the user's own
     * ({@code --clean-data}); none when neither is given and the treatment does not need one.
     */
    Clean clean(RepairInput input, Treatment treatment, boolean isRun, long seed) {
        if (writeRelabelled && input.train().channels() != 1) {
            throw new AmendException("--write-relabelled writes IDX files, which hold grey images only; the data is "
                    + input.train().shapeString());
        }
        Integer perClass = cleanPerClass;
        if (cleanData == null && perClass == null && treatment.name().equals("retain")) {
            if (!isRun) {
                throw new AmendException("retain needs a trusted clean set: give --clean-data SPEC (or --clean-per-class N"
                        + " to draw one from the test data)");
            }
            perClass = CleanData.DEFAULT_PER_CLASS;
        }
        if (perClass != null) {
            CleanData.Drawn drawn = CleanData.perClass(input, perClass, seed);
            return new Clean(drawn.input(), CleanSet.split(drawn.clean(), seed), Map.of("clean_per_class", perClass));
        }
        if (cleanData != null) {
            LoadedData loaded = DataSpec.parse(cleanData).absolute().load();
            ExampleSet set = loaded.train().concat(loaded.test());
            CleanData.check(set, input);
            return new Clean(input, CleanSet.split(set, seed), Map.of("clean_data", DataSpec.parse(cleanData).absolute()
                    .toString()));
        }
        return new Clean(input, null, Map.of());
    }

    /** Whether the corrected training set is to be written. */
    boolean writeRelabelled() {
        return writeRelabelled;
    }

    /**
     * A repair input with its clean set.
     *
     * @param input what the repair works on (T without a drawn clean set)
     * @param set D_c split, or null
     * @param settings how D_c was made, for spec.json
     */
    record Clean(RepairInput input, CleanSet set, Map<String, Object> settings) {
        /** The treatment's settings with those of the clean set, for spec.json. */
        Map<String, Object> with(Map<String, Object> treatSettings) {
            Map<String, Object> all = new LinkedHashMap<>(treatSettings);
            all.putAll(settings);
            if (set != null) {
                all.put("clean_fit", set.fit().size());
                all.put("clean_validation", set.validation().size());
            }
            return all;
        }
    }
}
