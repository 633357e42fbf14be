package dev.amend.cli;

import dev.amend.AmendException;
import dev.amend.data.FailureList;
import dev.amend.data.LoadedData;
import dev.amend.identify.CauseIdentifier;
import dev.amend.identify.CauseSelection;
import dev.amend.identify.Identifiers;
import dev.amend.identify.Ranking;
import dev.amend.identify.RankingIo;
import dev.amend.model.ModelHandle;
import dev.amend.model.ModelStore;
import dev.amend.model.TorchScript;
import dev.amend.provenance.Provenance;
import dev.amend.run.LoadedRun;
import dev.amend.run.QuerySets;
import dev.amend.run.Repair;
import dev.amend.run.RepairInput;
import dev.amend.run.RepairResult;
import dev.amend.run.format.RepairDirectory;
import dev.amend.run.format.RepairSpec;
import dev.amend.run.format.RunDirectory;
import dev.amend.treat.Treatment;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code amend repair}: the whole loop of [T22] Algorithm 1 in one command: identify the causes
 * of the failures, remove them, evaluate. Works on a training run (with its ground truth) or on
 * a model brought from elsewhere with its data and, optionally, a list of failing test rows.
 */
@Command(name = "repair",
        description = {
            "Find the training examples behind a model's failures, remove their effect, and show the accuracy on the "
                    + "failures F_q, F_h and on the rest of the test set before and after.",
            "On a run: amend repair --run DIR. On your own model: amend repair --model DIR --data SPEC "
                    + "[--failures FILE | --failures-data SPEC] [--ranking DIR] (F is halved into F_q and F_h with --seed; no ground "
                    + "truth); its repairs are checked on --check-data, else on --check-fraction of the test examples, "
                    + "held out of T.",
            "The number of causes is chosen automatically (--top-k auto) unless --top-k K, --top-fraction or "
                    + "--threshold is given; every repair is checked without test labels and the table says whether it "
                    + "is accepted.",
            "Writes the ranking, the repaired model, metrics.json (docs/metrics.md), causes.csv, spec.json and "
                    + "provenance.json."
        })
final class RepairCommand implements Callable<Integer> {
    /** What to repair: a run, or a model with its data. */
    static final class Target {
        @Option(names = "--run", paramLabel = "DIR", required = true,
                description = "A training run (amend train or amend demo); its data, failure sets and ground truth are "
                        + "used.")
        Path run;

        @Option(names = "--model", paramLabel = "DIR", required = true,
                description = "A saved model folder or TorchScript file (any name: exported by amend, or any image "
                        + "classifier saved with torch.jit.script or torch.jit.trace that maps N x C x H x W pixels in "
                        + "[0, 1] to logits; docs/models.md), trained on the training part of --data; a TorchScript "
                        + "model is written back as TorchScript too, under its own name.")
        Path model;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Mixin
    DataOptions data;

    @Option(names = "--failures", paramLabel = "FILE",
            description = "With --model: the failing test rows: 0-based rows of the test file, one per line ('#' starts "
                    + "a comment), or a CSV with a header naming the column index and optionally label (checked "
                    + "against the test data). Default: the test examples the model misclassifies.")
    Path failures;

    @Option(names = "--failures-data", paramLabel = "SPEC",
            description = "With --model, instead of --failures: failing examples with their true labels as data of "
                    + "their own (e.g. inputs collected in production): idx:IMAGES,LABELS, csv:FILE[,OPTION], "
                    + "folder:DIR (DIR/CLASS/*.png) or a --data form whose test part is used; of the model's input "
                    + "shape. T is then the test set followed by them.")
    String failuresData;

    @Option(names = "--identify", paramLabel = "METHOD", defaultValue = Identifiers.EWC_INFLUENCE,
            description = "Identification method (default: ${DEFAULT-VALUE}): ewc-influence, influence-cg, "
                    + "influence-lissa, exact, random, oracle (runs only); its settings are the options of amend identify"
                    + " (--ewc-lambda, --influence-damping, --curvature, ...). For sgd-influence: amend identify, then"
                    + " --ranking.")
    String identify;

    @Mixin
    IdentifierOptions identification;

    @Option(names = "--ranking", paramLabel = "FILE|DIR",
            description = "Instead of identifying: the ranking.csv of an earlier amend identify (or repair), or the "
                    + "folder holding it; with its ranking.json beside it, it must have been made for this training "
                    + "set.")
    Path ranking;

    @Mixin
    CauseSelectionOptions selection;

    @Option(names = "--treat", paramLabel = "NAME", defaultValue = "finetune-remaining",
            description = "The treatment (default: ${DEFAULT-VALUE}): ewc-deletion, newton-removal, finetune-remaining, "
                    + "finetune-failures, combined, retrain or retain (needs a clean set: --clean-per-class or "
                    + "--clean-data).")
    String treat;

    @Mixin
    TreatmentOptions options;

    @Mixin
    AcceptanceOptions acceptance;

    @Mixin
    CheckDataOptions checkData;

    @Mixin
    SeedOptions seed;

    @Mixin
    ThreadOptions threads;

    @Mixin
    OutputOptions output;

    @Mixin
    JsonOption json;

    @Mixin
    ReportOptions report;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Instant start = Instant.now();
        CauseSelection select = selection.selection();
        Treatment treatment = options.create(treat, seed.seed());
        String method = Identifiers.canonical(identify);
        if (Identifiers.needsTrajectory(method)) {
            throw new AmendException(method + " needs a recorded plain-SGD trajectory, which a repair does not record;"
                    + " run amend identify --method " + method + ", then give its folder to --ranking");
        }
        if (Identifiers.needsMask(method) && target.model != null) {
            // Refused before the model is evaluated and noted on, as amend identify refuses it.
            throw new AmendException("the oracle needs the ground-truth corruption mask, which only a training run has;"
                    + " use --run");
        }
        boolean dataGiven = DataOptions.given(spec);
        if (target.run != null && (dataGiven || failures != null || failuresData != null)) {
            throw new AmendException("--run uses the run's data and failure sets; leave out --data, --failures and"
                    + " --failures-data (or use --model)");
        }
        if (failures != null && failuresData != null) {
            throw new AmendException("give the failures either as test rows (--failures) or as data (--failures-data),"
                    + " not both");
        }
        checkData.check(target.run != null);
        if (ranking != null && spec.commandLine().getParseResult().hasMatchedOption("--identify")) {
            throw new AmendException("--ranking uses a ranking made earlier; leave out --identify");
        }
        if (ranking != null && !identification.given().isEmpty()) {
            throw new AmendException("--ranking uses a ranking made earlier, with the settings it was made with; leave"
                    + " out " + String.join(", ", identification.given().values()));
        }
        Path rankingCsv = ranking == null ? null : TreatCommand.rankingCsv(ranking);
        if (target.model != null) {
            DataOptions.requireWithModel(spec);
        }
        FailureList failureList = failures == null ? null : FailureList.read(failures);
        RepairOutput.checkWritable(output.out);
        Provenance provenance = RunOutput.provenance(spec, seed.seed(), start);
        TrainProgress progress = new TrainProgress(output);
        CauseIdentifier identifier = Identifiers.create(method, identification.options(method), seed.seed(),
                (r, max) -> progress.epoch(method + " fine-tuning", r, max));
        if (target.run != null) {
            output.progress("loading the run %s", target.run);
            try (LoadedRun run = RunDirectory.load(target.run)) {
                TreatmentOptions.Clean clean = options.clean(RepairInput.of(run), treatment, true, seed.seed());
                RepairSpec repairSpec = new RepairSpec(string(target.run), null, null, null, null, null,
                        string(ranking), ranking == null ? method : null, ranking == null ? identifier.settings() : null,
                        selection.describe(), treatment.name(), clean.with(treatment.settings()),
                        acceptance.settings(), seed.seed());
                return repair(clean, identifier, rankingCsv, select, treatment, repairSpec, provenance, progress, null);
            }
        }
        output.progress("loading the model %s and the data %s", target.model, data.spec());
        LoadedData loaded = data.load();
        try (ModelHandle model = ModelStore.load(RunDirectory.modelFolder(target.model), loaded.train())) {
            RepairInput given = checkData.apply(failuresData == null
                    ? RepairInput.ofFailureList(model, loaded.train(), loaded.test(), failureList, seed.seed())
                    : RepairInput.ofFailureData(model, loaded.train(), loaded.test(),
                            QuerySets.fromData(failuresData, model.spec()), seed.seed()), seed.seed());
            TreatmentOptions.Clean clean = options.clean(given, treatment, false, seed.seed());
            RepairSpec repairSpec = new RepairSpec(null, string(target.model), data.spec().toString(),
                    data.poolSize(), data.dataSeed(), string(failures), QuerySets.absolute(failuresData),
                    string(ranking), ranking == null ? method : null, ranking == null ? identifier.settings() : null,
                    selection.describe(), treatment.name(),
                    clean.with(treatment.settings()), checkData.settings(acceptance.settings()), seed.seed());
            // A model that came as TorchScript goes back as TorchScript too, beside the model folder.
            String torchScript = TorchScript.isTorchScriptFile(target.model) ? target.model.getFileName().toString()
                    : null;
            return repair(clean, identifier, rankingCsv, select, treatment, repairSpec, provenance, progress,
                    torchScript);
        }
    }

    /**
     * Identifies with {@code identifier}, or reads the ranking at {@code rankingCsv} (checked against
     * D's fingerprint) when one is given, then treats and writes the repair.
     */
    private static String string(Path path) {
        return RunOutput.recorded(path);
    }

    private int repair(TreatmentOptions.Clean clean, CauseIdentifier identifier, Path rankingCsv,
            CauseSelection select, Treatment treatment, RepairSpec repairSpec, Provenance provenance,
            TrainProgress progress, String torchScript) {
        RepairInput input = clean.input();
        Repair repair = acceptance.apply(Repair.of(input, seed.seed(), progress)).withCleanSet(clean.set());
        // What can refuse the command comes before the notes: a refusal is one line.
        if (select != null) {
            repair.checkSelection(select);
        }
        Repair.Identified identified = null;
        if (rankingCsv != null) {
            Ranking r = RankingIo.read(rankingCsv, input.train());
            identified = new Repair.Identified(r, TreatCommand.identification(rankingCsv, r));
        }
        repair.notes().forEach(output::note);
        if (identified == null) {
            OneClassQuery.noteIfSingle(spec.commandLine().getErr(), identifier.name(), input.querySet());
        }
        try (RepairResult result = identified != null
                ? (select == null ? repair.treatAuto(identified, treatment) : repair.treat(identified, select, treatment))
                : select == null ? repair.runAuto(identifier, treatment) : repair.run(identifier, select, treatment)) {
            // The notes the identification added (metrics.json has them all).
            String unconverged = Repair.unconvergedNote(result.ranking());
            if (unconverged != null) {
                output.note(unconverged);
            }
            Path folder = RunOutput.folder(output, "repair");
            RepairDirectory.write(folder, result, input, repairSpec, provenance, tmp -> {
                if (torchScript != null) {
                    result.model().exportTorchScript(tmp.resolve(torchScript));
                }
                if (options.writeRelabelled()) {
                    RepairDirectory.writeRelabelled(tmp, result, input);
                }
            });
            if (json.enabled()) {
                JsonOption.print(spec.commandLine().getOut(), folder.resolve(RepairDirectory.METRICS));
            } else {
                RepairSummary.print(spec.commandLine().getOut(), result.metrics(), folder);
            }
            report.write(folder, output);
        }
        return 0;
    }

}
