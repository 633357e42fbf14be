package dev.amend.cli;

import dev.amend.AmendException;
import dev.amend.data.ExampleSet;
import dev.amend.model.Confusion;
import dev.amend.model.Evaluation;
import dev.amend.model.ModelHandle;
import dev.amend.model.ModelStore;
import dev.amend.run.LoadedRun;
import dev.amend.run.format.RunDirectory;
import dev.amend.util.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * {@code amend eval}: scores a saved model on a data set's test part, or a training run on its
 * test set and failure sets, without changing anything.
 */
@Command(name = "eval",
        description = {
            "Print the accuracy and mean loss of a saved model or of a training run.",
            "With --model: on the test part of --data. With --run: on the run's T, F, F_q, F_h, T\\F, D and "
                    + "validation part."
        })
final class EvalCommand implements Callable<Integer> {
    /** What to score: a model folder or a whole run, exactly one. */
    static final class Target {
        @Option(names = "--model", paramLabel = "DIR", required = true,
                description = "A saved model folder or TorchScript file (a run folder's model/ is found too), with "
                        + "--data: the data set it was trained on.")
        Path model;

        @Option(names = "--run", paramLabel = "DIR", required = true,
                description = "A run folder written by amend train or amend demo; its data spec is used.")
        Path run;
    }

    /** One scored set, as printed and as JSON. */
    record Score(String set, int size, Double accuracy, Double loss) {
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Mixin
    DataOptions data;

    @Option(names = "--json", description = "Print the scores as JSON instead of a table.")
    boolean json;

    @Option(names = "--confusion", paramLabel = "N", arity = "0..1", fallbackValue = "10",
            description = "Also print the confusion matrix of T and its N most confused class pairs "
                    + "(default N: ${FALLBACK-VALUE}); with --json, as fields confusion and mostConfused.")
    Integer confusion;

    @Mixin
    ThreadOptions threads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (confusion != null && confusion < 1) {
            throw new AmendException("--confusion must be at least 1, got " + confusion);
        }
        if (target.model != null) {
            DataOptions.requireWithModel(spec);
        }
        Scored scored = target.run != null ? scoreRun(target.run) : scoreModel(target.model);
        List<Score> scores = scored.scores();
        Confusion matrix = scored.confusion();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            if (matrix == null) {
                out.print(Json.toJson(scores));
            } else {
                out.print(Json.toJson(new ScoresWithConfusion(scores, matrix.classNames(), matrix.counts(),
                        matrix.mostConfused(confusion))));
            }
        } else {
            out.printf(Locale.ROOT, "%-12s %7s %9s %9s%n", "set", "size", "accuracy", "loss");
            for (Score s : scores) {
                out.printf(Locale.ROOT, "%-12s %7d %9s %9s%n", s.set(), s.size(), number(s.accuracy()), number(s.loss()));
            }
            if (matrix != null) {
                printConfusion(out, matrix, confusion);
            }
        }
        out.flush();
        return 0;
    }

    /** The JSON of {@code --confusion}: the scores and T's confusion matrix (rows: labels, columns: predictions). */
    record ScoresWithConfusion(List<Score> scores, List<String> classNames, int[][] confusion,
            List<Confusion.Pair> mostConfused) {
    }

    /** The scores, and T's confusion matrix when {@code --confusion} asks for it (else null). */
    private record Scored(List<Score> scores, Confusion confusion) {
    }

    /** "6 Shirt" for a named class, "6" where the name is the number. */
    private static String className(Confusion matrix, int c) {
        String name = matrix.classNames().get(c);
        return name.equals(String.valueOf(c)) ? name : c + " " + name;
    }

    private static void printConfusion(PrintWriter out, Confusion matrix, int n) {
        int k = matrix.classNames().size();
        out.println();
        out.println("confusion matrix of T (rows: label, columns: prediction)");
        out.printf(Locale.ROOT, "%5s", "");
        for (int p = 0; p < k; p++) {
            out.printf(Locale.ROOT, " %5d", p);
        }
        out.println();
        for (int t = 0; t < k; t++) {
            out.printf(Locale.ROOT, "%5d", t);
            for (int p = 0; p < k; p++) {
                out.printf(Locale.ROOT, " %5d", matrix.counts()[t][p]);
            }
            String name = matrix.classNames().get(t);
            out.printf(Locale.ROOT, "  %s%n", name.equals(String.valueOf(t)) ? "" : name);
        }
        out.println();
        out.println("most confused (label -> prediction: examples, share of the label's)");
        for (Confusion.Pair pair : matrix.mostConfused(n)) {
            out.printf(Locale.ROOT, "  %s -> %s: %d, %.3f%n", className(matrix, pair.trueClass()),
                    className(matrix, pair.predicted()), pair.count(), pair.rate());
        }
    }

    private Scored scoreModel(Path folder) {
        Path modelFolder = RunDirectory.modelFolder(folder);
        dev.amend.data.LoadedData loaded = data.load();
        try (ModelHandle model = ModelStore.load(modelFolder, loaded.train())) {
            return scoreT(model, loaded.test());
        }
    }

    private Scored scoreRun(Path folder) {
        if (DataOptions.given(spec)) {
            throw new AmendException("--run uses the data of the run's spec.json; leave out --data (or use --model)");
        }
        try (LoadedRun run = RunDirectory.load(folder)) {
            Scored t = scoreT(run.model(), run.test());
            List<Score> scores = new ArrayList<>(t.scores());
            scores.add(score(run.model(), "F", run.failureSet()));
            scores.add(score(run.model(), "F_q", run.querySet()));
            scores.add(score(run.model(), "F_h", run.holdoutSet()));
            scores.add(score(run.model(), "T\\F", run.remainingSet()));
            scores.add(score(run.model(), "D", run.train()));
            scores.add(score(run.model(), "validation", run.validation()));
            return new Scored(scores, t.confusion());
        }
    }

    /** T's score, and its confusion matrix from the same evaluation when {@code --confusion} asks for it. */
    private Scored scoreT(ModelHandle model, ExampleSet test) {
        if (confusion == null || test.size() == 0) {
            return new Scored(List.of(score(model, "T", test)), null);
        }
        Evaluation e = model.evaluate(test);
        return new Scored(List.of(new Score("T", test.size(), e.accuracy(), e.meanLoss())),
                Confusion.of(e, test.classNames()));
    }

    private static Score score(ModelHandle model, String name, ExampleSet set) {
        if (set.size() == 0) {
            return new Score(name, 0, null, null);
        }
        Evaluation e = model.evaluate(set);
        return new Score(name, set.size(), e.accuracy(), e.meanLoss());
    }

    private static String number(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.4f", value);
    }
}
