package dev.amend.cli;

import dev.amend.identify.CauseIdentifier;
import dev.amend.identify.CauseSelection;
import dev.amend.identify.EwcInfluence;
import dev.amend.identify.Identifiers;
import dev.amend.provenance.Provenance;
import dev.amend.run.Repair;
import dev.amend.run.RepairInput;
import dev.amend.run.RepairResult;
import dev.amend.run.TrainRun;
import dev.amend.run.TrainRunResult;
import dev.amend.run.format.RepairDirectory;
import dev.amend.run.format.RepairSpec;
import dev.amend.run.format.RunDirectory;
import dev.amend.run.format.TrainRunSpec;
import dev.amend.treat.Treatment;
import dev.amend.treat.TreatmentFactory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code amend demo}: the first command a new user runs, the whole repair loop of the paper's
 * label-noise experiment (docs/methods.md 4.2 item 1) on the embedded MNIST pool: train the paper's
 * CNN with 45% of the 1s labelled 7, find the causes of its failures with EWC-influence, remove
 * the top k by fine-tuning on the rest (the paper's Fig. 3 treatment; k chosen automatically by
 * default), check the repair without test labels, and compare before and after. The training run goes to the output folder, the repair to its {@code repair/}
 * subfolder, so {@code amend treat --run DIR --ranking DIR/repair} can try other treatments.
 */
@Command(name = "demo",
        description = {
            "Repair the paper's CNN trained on built-in MNIST with noisy labels, from training to the before/after "
                    + "table.",
            "Labels 45%% of the 1s among the 3000 training digits as 7, trains, ranks the training digits by "
                    + "EWC-influence, removes the top --top-k by fine-tuning on the rest, checks the repair on the "
                    + "validation split, and prints the accuracy on the failures and on the rest of the test set before "
                    + "and after. A few minutes on 2 cores; written to runs/demo/<UTC time>."
        })
final class DemoCommand implements Callable<Integer> {
    static final String DATA = "mnist";
    static final String SCENARIO = "label-flip";
    static final String MODEL = "paper-cnn";
    static final String IDENTIFY = Identifiers.EWC_INFLUENCE;
    static final String TREAT = "finetune-remaining";
    static final String REPAIR_FOLDER = "repair";

    @Mixin
    SeedOptions seed;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "100",
            description = "Maximum epochs of every training: the model, EWC-influence's fine-tuning and the treatment; "
                    + "early stopping usually ends them sooner (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Mixin
    CauseSelectionOptions selection;

    @Mixin
    AcceptanceOptions acceptance;

    @Mixin
    ThreadOptions threads;

    @Mixin
    OutputOptions output;

    @Mixin
    ReportOptions report;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Instant start = Instant.now();
        long t0 = System.nanoTime();
        CauseSelection select = selection.selection();
        TrainRunSpec runSpec = TrainRunSpec.paper(DATA, SCENARIO, MODEL, seed.seed());
        runSpec = runSpec.withTrain(runSpec.train().withMaxEpochs(epochs));
        if (select != null) {
            // D's size is known before training: the pool less its validation part.
            select.checkForRemoval(runSpec.poolSize() - (int) Math.round(runSpec.valFraction() * runSpec.poolSize()));
        }
        Treatment treatment = TreatmentFactory.builder(TREAT).optSeed(seed.seed()).optMaxEpochs(epochs).build();
        TrainProgress progress = new TrainProgress(output);
        // EWC-influence with the paper's settings, built here rather than by Identifiers so that
        // --epochs caps its fine-tuning too (a one-epoch model fails on half the test set).
        CauseIdentifier identifier = new EwcInfluence(0, EwcInfluence.defaultTraining(seed.seed()).withMaxEpochs(epochs),
                (r, max) -> progress.epoch(IDENTIFY + " fine-tuning", r, max));
        output.progress("amend demo: %s on the embedded MNIST pool of 3000 digits, scenario %s (1->7 at 45%%); then %s"
                + " and %s of the %s", MODEL, SCENARIO, IDENTIFY, TREAT, selection.describe());
        Provenance provenance = RunOutput.provenance(spec, seed.seed(), start);
        PrintWriter out = spec.commandLine().getOut();
        try (TrainRunResult run = TrainRun.run(runSpec, progress)) {
            Path folder = RunOutput.folder(output, "demo");
            RunDirectory.write(folder, run, provenance);
            heading(out, "1. the trained model and its failures");
            TrainSummary.print(out, run, folder);
            RepairInput input = RepairInput.of(run);
            Repair repair = acceptance.apply(Repair.of(input, seed.seed(), progress));
            if (select != null) {
                repair.checkSelection(select);
            }
            repair.notes().forEach(output::note);
            try (RepairResult result = select == null ? repair.runAuto(identifier, treatment)
                    : repair.run(identifier, select, treatment)) {
                Path repairFolder = folder.resolve(REPAIR_FOLDER);
                RepairSpec repairSpec = new RepairSpec(RunOutput.recorded(folder), null, null, null, null, null, null, IDENTIFY,
                        identifier.settings(), selection.describe(), treatment.name(), treatment.settings(),
                        acceptance.settings(), seed.seed());
                RepairDirectory.write(repairFolder, result, input, repairSpec, provenance, null);
                heading(out, "2. repair: remove the training digits EWC-influence ranks most harmful to F_q ("
                        + selection.describe() + "), then fine-tune on the rest");
                RepairSummary.print(out, result.metrics(), repairFolder);
                report.write(repairFolder, output);
            }
        }
        output.progress("amend demo took %.0f s", (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    private static void heading(PrintWriter out, String text) {
        out.println();
        out.println("== " + text);
    }
}
