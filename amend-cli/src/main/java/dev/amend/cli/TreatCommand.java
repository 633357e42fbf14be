package dev.amend.cli;

import dev.amend.AmendException;
import dev.amend.identify.CauseSelection;
import dev.amend.identify.Ranking;
import dev.amend.identify.RankingIo;
import dev.amend.provenance.Provenance;
import dev.amend.run.LoadedRun;
import dev.amend.run.Repair;
import dev.amend.run.RepairInput;
import dev.amend.run.RepairResult;
import dev.amend.run.format.RepairDirectory;
import dev.amend.run.format.RepairMetrics;
import dev.amend.run.format.RepairSpec;
import dev.amend.run.format.RunDirectory;
import dev.amend.treat.Treatment;
import dev.amend.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code amend treat}: Step II alone. Removes the causes chosen from a ranking (written by
 * {@code amend identify} or {@code amend repair}) from a training run's model and evaluates
 * the result; the run itself is never changed.
 */
@Command(name = "treat",
        description = {
            "Remove the most harmful training examples of a ranking from a run's model and show the accuracy on the "
                    + "failures F_q, F_h and on the rest of the test set before and after.",
            "Writes the repaired model, metrics.json (schema: docs/metrics.md), causes.csv, spec.json and "
                    + "provenance.json; the run is left untouched.",
            "Example: amend treat --run runs/train/X --ranking runs/identify/Y --top-k 100 --method ewc-deletion",
            "Without --top-k, --top-fraction or --threshold, k is chosen automatically (--top-k auto)."
        })
final class TreatCommand implements Callable<Integer> {
    // Not required by picocli: a user with a model of their own is pointed to amend repair instead.
    @Option(names = "--run", paramLabel = "DIR",
            description = "The training run (amend train or amend demo) whose model is treated (required; for a model "
                    + "of your own: amend repair --model DIR --data SPEC --ranking R).")
    Path run;

    // Hidden: accepted only to be refused with the command that does take them.
    @Option(names = "--model", paramLabel = "DIR", hidden = true)
    Path model;

    @Option(names = "--data", paramLabel = "SPEC", hidden = true)
    String data;

    @Option(names = "--ranking", paramLabel = "FILE", required = true,
            description = "ranking.csv, or the folder holding it; with its ranking.json beside it, it must have been "
                    + "made for this run's training set.")
    Path ranking;

    @Mixin
    CauseSelectionOptions selection;

    @Option(names = {"--treat", "--method"}, paramLabel = "NAME", defaultValue = "finetune-remaining",
            description = "The treatment (default: ${DEFAULT-VALUE}): ewc-deletion, newton-removal, finetune-remaining, "
                    + "finetune-failures, combined, retrain or retain (docs/metrics.md).")
    String method;

    @Mixin
    TreatmentOptions options;

    @Mixin
    AcceptanceOptions acceptance;

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
        if (model != null) {
            throw new AmendException("amend treat works on a training run (--run, of amend train or amend demo), not on"
                    + " a model of your own; for that, use amend repair --model " + model + " --data "
                    + (data == null ? "SPEC" : data) + " --ranking " + ranking);
        }
        if (run == null) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--run=DIR' (a training run of"
                    + " amend train or amend demo; for a model of your own: amend repair --model DIR --data SPEC"
                    + " --ranking " + ranking + ")");
        }
        if (data != null) {
            throw new AmendException("--run uses the data of the run's spec.json; leave out --data");
        }
        // Every argument is checked before the run is loaded, so a typo costs no time.
        CauseSelection select = selection.selection();
        Treatment treatment = options.create(method, seed.seed());
        Path rankingCsv = rankingCsv(ranking);
        RepairOutput.checkWritable(output.out);
        Provenance provenance = RunOutput.provenance(spec, seed.seed(), start);
        output.progress("loading the run %s", run);
        try (LoadedRun loaded = RunDirectory.load(run)) {
            Ranking r = RankingIo.read(rankingCsv, loaded.train());
            TreatmentOptions.Clean clean = options.clean(RepairInput.of(loaded), treatment, true, seed.seed());
            RepairInput input = clean.input();
            Repair repair = acceptance.apply(Repair.of(input, seed.seed(), new TrainProgress(output)))
                    .withCleanSet(clean.set());
            if (select != null) {
                select.selectForRemoval(r);
            }
            repair.notes().forEach(output::note);
            Repair.Identified identified = new Repair.Identified(r, identification(rankingCsv, r));
            try (RepairResult result = select == null ? repair.treatAuto(identified, treatment)
                    : repair.treat(identified, select, treatment)) {
                RepairSpec repairSpec = new RepairSpec(RunOutput.recorded(run), null, null, null, null, null,
                        RunOutput.recorded(ranking),
                        null, null, selection.describe(), treatment.name(), clean.with(treatment.settings()),
                        acceptance.settings(), seed.seed());
                Path folder = RunOutput.folder(output, "treat");
                RepairDirectory.write(folder, result, input, repairSpec, provenance, options.writeRelabelled()
                        ? tmp -> RepairDirectory.writeRelabelled(tmp, result, input) : null);
                if (json.enabled()) {
                    JsonOption.print(spec.commandLine().getOut(), folder.resolve(RepairDirectory.METRICS));
                } else {
                    RepairSummary.print(spec.commandLine().getOut(), result.metrics(), folder);
                }
                report.write(folder, output);
            }
        }
        return 0;
    }

    /** The ranking.csv that {@code --ranking} names: the file, or the one in the folder; it must exist. */
    static Path rankingCsv(Path ranking) {
        Path csv = Files.isDirectory(ranking) ? ranking.resolve(RankingIo.CSV) : ranking;
        if (!Files.exists(csv)) {
            throw new AmendException("no ranking at " + ranking + ": " + csv + " does not exist");
        }
        return csv;
    }

    /** How the ranking was made, from the ranking.json beside it (method "external" without one). */
    static RepairMetrics.Identification identification(Path rankingCsv, Ranking ranking) {
        Path json = rankingCsv.resolveSibling(RankingIo.JSON);
        if (!Files.isRegularFile(json)) {
            return new RepairMetrics.Identification(ranking.method(), Map.of(), null);
        }
        RankingIo.RankingInfo info = Json.read(json, RankingIo.RankingInfo.class);
        return new RepairMetrics.Identification(info.method(), info.settings() == null ? Map.of() : info.settings(),
                info.seconds());
    }
}
