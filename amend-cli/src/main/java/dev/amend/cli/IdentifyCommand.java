package dev.amend.cli;

import dev.amend.AmendException;
import dev.amend.data.ExampleSet;
import dev.amend.identify.CauseSelection;
import dev.amend.identify.IdentificationMetrics;
import dev.amend.identify.Identifiers;
import dev.amend.identify.Ranking;
import dev.amend.identify.RankingIo;
import dev.amend.provenance.Provenance;
import dev.amend.report.Table;
import dev.amend.run.IdentifyRun;
import dev.amend.run.QuerySets;
import dev.amend.run.Repair;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code amend identify}: Step I of a repair ({@link IdentifyRun}) from the command line. The
 * output folder appears only when every file is written.
 */
@Command(name = "identify",
        description = {
            "Rank the training examples of a trained model by how much they caused its failures.",
            "Writes ranking.csv (rows of your training file, most harmful first), ranking.json (method, settings, "
                    + "seconds, training-set fingerprint), spec.json and provenance.json; prints the top causes and, "
                    + "when the run knows which examples its scenario corrupted, precision, recall and ROC-AUC."
        })
final class IdentifyCommand implements Callable<Integer> {
    /** Where theta* and D come from: a run, or a model with its data. */
    static final class Target {
        @Option(names = "--run", paramLabel = "DIR", required = true,
                description = "A run folder written by amend train or amend demo (model, D, mask, F_q).")
        Path run;

        @Option(names = "--model", paramLabel = "DIR", required = true,
                description = "A saved model folder or TorchScript file; D is the training part of --data (required), "
                        + "and the failures must be named with --query-indices or --query-data.")
        Path model;
    }

    /** The failure query set, when not the run's F_q. */
    static final class Query {
        @Option(names = "--query-indices", paramLabel = "FILE", required = true,
                description = "Rows of your test file that the model gets wrong: 0-based, one per line, or a CSV with the "
                        + "columns index and optionally label (checked against the test data).")
        Path indices;

        @Option(names = "--query-data", paramLabel = "SPEC", required = true,
                description = "Failing examples with their true labels: idx:IMAGES,LABELS, csv:FILE[,OPTION], "
                        + "folder:DIR (DIR/CLASS/*.png), or a --data form whose test part is used.")
        String data;
    }

    /** How C is chosen; without any, score > 0 for the scoring methods and nothing for random and oracle. */
    static final class Selection {
        @Option(names = "--top-k", paramLabel = "K", required = true,
                description = "Select the K most harmful training examples (1 <= K <= N).")
        Integer topK;

        @Option(names = "--top-fraction", paramLabel = "F", required = true,
                description = "Select the round(F N) most harmful, 0 < F <= 1.")
        Double topFraction;

        @Option(names = "--threshold", required = true,
                description = "Select every example with a score above 0 ([T22] Algorithm 1; the default, except for "
                        + "random and oracle, whose scores are only an order).")
        boolean threshold;

        CauseSelection selection() {
            if (topK != null) {
                return CauseSelection.topK(topK);
            }
            return topFraction != null ? CauseSelection.topFraction(topFraction) : CauseSelection.threshold();
        }
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Mixin
    DataOptions data;

    @Option(names = {"--identify", "--method"}, paramLabel = "NAME", defaultValue = Identifiers.EWC_INFLUENCE,
            description = "ewc-influence (default), influence-cg, influence-lissa, exact, sgd-influence, random or "
                    + "oracle (docs/identification.md).")
    String method;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Query query;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Selection selection;

    @Mixin
    IdentifierOptions methodOptions;

    @Option(names = "--train-auxiliary",
            description = "sgd-influence on a model trained with Adam (or without a recorded trajectory): train a "
                    + "plain-SGD model from the same initialisation (lr 0.05, batch 64, 20 epochs) and score with it.")
    boolean trainAuxiliary;

    @Option(names = "--show", paramLabel = "N", defaultValue = "10",
            description = "Top causes printed (default: ${DEFAULT-VALUE}); all are in ranking.csv.")
    int show;

    @Mixin
    SeedOptions seed;

    @Mixin
    ThreadOptions threads;

    @Mixin
    OutputOptions output;

    @Mixin
    JsonOption json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Instant start = Instant.now();
        String name = Identifiers.canonical(method);
        Identifiers.Options options = methodOptions.options(name);
        // Checks the settings against the method before anything is loaded.
        Identifiers.create(name, options, seed.seed());
        if (show < 0) {
            throw new AmendException("--show must not be negative, got " + show);
        }
        CauseSelection chosen = selection != null ? selection.selection()
                : Identifiers.RANDOM.equals(name) || Identifiers.ORACLE.equals(name) ? null : CauseSelection.threshold();
        if (target.run != null && DataOptions.given(spec)) {
            throw new AmendException("--run uses the data of the run's spec.json; leave out --data (or use --model)");
        }
        if (target.model != null) {
            DataOptions.requireWithModel(spec);
        }
        TrainProgress progress = new TrainProgress(output);
        try (IdentifyRun.Source source = target.run != null ? IdentifyRun.Source.load(target.run)
                : IdentifyRun.Source.load(target.model, data.spec().toString(), data.poolSize(), data.dataSeed(),
                        seed.seed())) {
            ExampleSet querySet = query == null ? source.query()
                    : query.indices != null ? QuerySets.fromIndices(query.indices, source.test())
                    : QuerySets.fromData(query.data, source.model().spec());
            OneClassQuery.noteIfSingle(spec.commandLine().getErr(), name, querySet);
            IdentifyRun.Result result = IdentifyRun.identify(source, querySet, name, options, trainAuxiliary, chosen,
                    seed.seed(), progress);
            IdentifyRun.Spec runSpec = new IdentifyRun.Spec(string(target.run), string(target.model),
                    target.model == null ? null : data.spec().toString(), target.model == null ? null : data.poolSize(),
                    target.model == null ? null : data.dataSeed(), name, options, trainAuxiliary, describeQuery(),
                    chosen == null ? null : chosen.toString(), seed.seed());
            Provenance provenance = RunOutput.provenance(spec, seed.seed(), start);
            Path folder = RunOutput.folder(output, "identify");
            IdentifyRun.write(folder, result, source, runSpec, provenance);
            if (json.enabled()) {
                JsonOption.print(spec.commandLine().getOut(), folder.resolve(RankingIo.JSON));
            } else {
                print(spec.commandLine().getOut(), result, source, folder);
            }
        }
        return 0;
    }

    private String describeQuery() {
        if (query == null) {
            return "F_q";
        }
        return query.indices != null ? "indices:" + string(query.indices) : "data:" + QuerySets.absolute(query.data);
    }

    private static String string(Path path) {
        return RunOutput.recorded(path);
    }

    private void print(PrintWriter out, IdentifyRun.Result r, IdentifyRun.Source source, Path folder) {
        Ranking ranking = r.ranking();
        ExampleSet train = source.train();
        out.printf(Locale.ROOT, "method      %s: %d training examples scored for %d failures in %.2f s%n",
                ranking.method(), ranking.size(), r.querySize(), r.seconds());
        if (r.auxiliary() != null) {
            out.printf(Locale.ROOT, "            scored with an auxiliary plain-SGD model (%s steps, trained in %.1f s),"
                    + " not with the given model, which was trained with %s%n", r.auxiliary().get("steps"),
                    ((Number) r.auxiliary().get("training_seconds")).doubleValue(),
                    source.trainedWith() == null ? "an unknown optimiser" : source.trainedWith());
        }
        String unconverged = Repair.unconvergedNote(ranking);
        if (unconverged != null) {
            out.println("            " + unconverged);
        }
        Table top = new Table("rank", "row", "label", "score", "corrupted").withDecimals(6);
        int[] order = ranking.order();
        List<String> names = train.classNames();
        for (int rank = 0; rank < Math.min(show, order.length); rank++) {
            int i = order[rank];
            String corrupted = "-";
            if (source.corruption() != null) {
                corrupted = !source.corruption().isCorrupted(i) ? "no"
                        : source.corruption().isLabelChanged(i)
                                ? "yes (was " + names.get(source.corruption().originalLabel(i)) + ")" : "yes";
            }
            top.addRow(rank + 1, train.row(i), names.get(train.label(i)), ranking.score(i), corrupted);
        }
        if (show > 0) {
            out.print(top);
        }
        if (r.selection() != null) {
            out.printf(Locale.ROOT, "selected    %d of %d by %s%n", r.selected().length, ranking.size(),
                    r.selection());
            if (r.selection().mode() == CauseSelection.Mode.THRESHOLD) {
                out.println("            (every score above 0: each example the failures conflict with at all, not"
                        + " a number to remove; amend repair chooses how many with --top-k auto)");
            }
        }
        IdentificationMetrics m = r.metrics();
        if (m != null) {
            if (r.selected() != null) {
                out.printf(Locale.ROOT, "            precision %.4f, recall %.4f against the %d corrupted examples%n",
                        m.precision(r.selected()), m.recall(r.selected()), m.noisyCount());
            }
            out.printf(Locale.ROOT, "ROC-AUC     %.4f (%d of %d training examples corrupted; random ranking 0.5)%n",
                    m.rocAuc(), m.noisyCount(), m.size());
        } else if (source.corruption() == null) {
            out.println("            (no ground truth: precision, recall and ROC-AUC need a run's corruption mask)");
        }
        out.printf("wrote       %s (%s, %s)%n", folder, RankingIo.CSV, RankingIo.JSON);
        out.flush();
    }
}
