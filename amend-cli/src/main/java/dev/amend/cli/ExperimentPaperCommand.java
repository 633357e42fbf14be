package dev.amend.cli;

import dev.amend.AmendException;
import dev.amend.experiment.paper.PaperExperiment;
import dev.amend.experiment.paper.PartStore;
import dev.amend.provenance.Provenance;
import dev.amend.report.Table;
import dev.amend.util.AtomicFolders;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code amend experiment paper}: every experiment of [T22] Section 4 and Appendix B in one
 * resumable run, with {@link PaperExperiment}; this class only reads the options and prints the
 * summary.
 */
@Command(name = "paper",
        description = {
            "Run every experiment of the paper (Fig. 2-9 and Table 1; docs/results.md) over --seeds base runs per "
                    + "scenario, each part written into its own subfolder of --out when it finishes. Run the same "
                    + "command again after an interruption and it resumes: finished parts with the same settings are "
                    + "skipped; a part finished with other settings is refused unless --force. The paper's grids took "
                    + "88 minutes for five MNIST seeds on the idle 2-core machine, --quick 33 (docs/benchmarks.md).",
            "Writes base/ (the base runs, one run folder per scenario and seed), one folder per part (results.json, "
                    + "table.md, PNGs; fig7-least-harmful.csv and fig8-most-harmful.csv), summary.json, summary.md and "
                    + "report.html (every finished part on one page; --no-report leaves it out)."
        })
final class ExperimentPaperCommand implements Callable<Integer> {
    @Mixin
    DataOptions data;

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "5",
            description = "Base runs per scenario, with the seeds --seed, --seed + 1, ..., each drawing its own pool "
                    + "(default: ${DEFAULT-VALUE}, as in the paper).")
    int seeds;

    @Option(names = "--quick", description = "Reduced grids that keep every figure and method (k 50, 100, 200 with"
            + " one random draw, three gammas, two mus, query sizes 10, 50 and all, one timed repeat); five MNIST seeds"
            + " took 33 minutes on the idle 2-core machine (docs/benchmarks.md).")
    boolean quick;

    @Option(names = "--parts", paramLabel = "NAMES", split = ",",
            description = "Run only these parts (default: all: fig2-identify, fig3-treat-k, fig4-input-noise, "
                    + "fig4-treat-k, fig5-tradeoff, fig6-sample-efficiency, fig9-finetune, table1-time).")
    List<String> parts;

    @Option(names = "--force", description = "Run again and replace finished parts (and base runs) whose settings "
            + "differ from this command's, instead of refusing.")
    boolean force;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "100",
            description = "Maximum epochs of every training; early stopping usually ends it sooner "
                    + "(default: ${DEFAULT-VALUE}).")
    int epochs;

    @Mixin
    ModelOptions model;

    @Option(names = "--label-noise", paramLabel = "SPEC", defaultValue = "label-flip",
            description = "Scenario of Fig. 2, 3, 5, 6, 7, 9 (default: ${DEFAULT-VALUE}; docs/scenarios.md).")
    String labelNoise;

    @Option(names = "--input-noise", paramLabel = "SPEC", defaultValue = "input-noise",
            description = "Scenario of Fig. 4 and 8 (default: ${DEFAULT-VALUE}: 30%% of the target classes' images, "
                    + "1, 6, 7, 9 on MNIST).")
    String inputNoise;

    @Mixin
    StartCandidateOption startCandidate;

    @Mixin
    IdentifierOptions methodOptions;

    @Mixin
    SeedOptions seed;

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
        if (spec.commandLine().getParseResult().hasMatchedOption("--data-seed")) {
            throw new AmendException("--data-seed does not apply: each base run draws its pool with its own seed, as in"
                    + " the paper");
        }
        String dataSpec = data.spec().toString();
        var options = BenchIdentifyCommand.benchOptions(methodOptions);
        PaperExperiment.Spec experiment = quick
                ? PaperExperiment.quick(dataSpec, data.poolSize(), seed.seed(), seeds, epochs, threads.threads(), options)
                : PaperExperiment.full(dataSpec, data.poolSize(), seed.seed(), seeds, epochs, threads.threads(), options);
        experiment = new PaperExperiment.Spec(experiment.data(), experiment.poolSize(), experiment.firstSeed(),
                experiment.seeds(), model.name(), model.options(), labelNoise, inputNoise,
                experiment.epochs(), experiment.threads(), parts == null ? PaperExperiment.PARTS : parts,
                experiment.identifyMethods(), experiment.methodOptions(), experiment.kMax(), experiment.ks(),
                experiment.treatMethods(), experiment.randomDraws(), experiment.inputNoiseKs(), experiment.gammas(),
                experiment.mus(), experiment.fraction(), experiment.querySizes(), experiment.sampleMethods(),
                experiment.sampleK(), experiment.benchMethods(), experiment.benchRepeats(), startCandidate.value(),
                experiment.quick());
        Path folder = output.out != null ? output.out : defaultFolder(dataSpec, quick);
        if (output.out == null) {
            // --out is checked before the command runs; the default folder is checked here.
            AtomicFolders.recover(folder);
            AtomicFolders.checkWritable(folder, RunOutput.commandName(spec));
        }
        output.progress("experiment paper: writing to %s (rerun the same command to resume)", folder);
        Provenance provenance = RunOutput.provenance(spec, seed.seed(), start);
        PaperExperiment.Summary summary = PaperExperiment.run(experiment, folder, force, provenance,
                new TrainProgress(output));
        print(spec.commandLine().getOut(), summary, folder);
        report.write(folder, output);
        return 0;
    }

    /** runs/experiment-paper/DATA[-quick]: fixed, so that the same command finds its earlier parts. */
    static Path defaultFolder(String dataSpec, boolean quick) {
        String scheme = dataSpec.split(":", 2)[0];
        return OutputOptions.RUNS_ROOT.resolve("experiment-paper").resolve(scheme + (quick ? "-quick" : ""));
    }

    private static void print(PrintWriter out, PaperExperiment.Summary summary, Path folder) {
        Table table = new Table("part", "status", "seconds", "headline");
        for (PaperExperiment.PartOutcome p : summary.parts()) {
            table.addRow(p.part(), p.status(), String.format(Locale.ROOT, "%.0f", p.seconds()), headline(p.headline()));
        }
        out.print(table);
        out.printf(Locale.ROOT, "base runs   %d, %.0f s%n", summary.bases().size(),
                summary.bases().stream().mapToDouble(PaperExperiment.PartOutcome::seconds).sum());
        out.printf(Locale.ROOT, "wall time   %.0f s now; %.0f s for all parts and base runs (load average %s -> %s)%n",
                summary.seconds(), summary.partSeconds(), load(summary.loadAverageStart()),
                load(summary.loadAverageEnd()));
        PaperExperiment.Reused reused = summary.reused();
        if (reused.identifications() + reused.repairs() > 0) {
            out.printf(Locale.ROOT, "reused      %d identifications and %d repairs of earlier parts, not computed again%n",
                    reused.identifications(), reused.repairs());
        }
        out.printf("wrote       %s (%s, %s; each part's %s marks it finished)%n", folder, PaperExperiment.SUMMARY_MD,
                PaperExperiment.SUMMARY_JSON, PartStore.PART);
        out.flush();
    }

    private static String headline(Map<String, Object> values) {
        // The first two numbers: the rest are in summary.md.
        return values.entrySet().stream().limit(2).map(e -> e.getKey() + " " + e.getValue())
                .reduce((a, b) -> a + "; " + b).orElse("");
    }

    private static String load(Double v) {
        return v == null ? "unknown" : String.format(Locale.ROOT, "%.2f", v);
    }
}
