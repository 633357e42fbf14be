package dev.amend.cli;

import dev.amend.AmendException;
import dev.amend.data.ExampleSet;
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
                description = "A saved model folder (a run folder's model/ is found too).")
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

    @Mixin
    ThreadOptions threads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<Score> scores = target.run != null ? scoreRun(target.run) : scoreModel(target.model);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.print(Json.toJson(scores));
        } else {
            out.printf(Locale.ROOT, "%-12s %7s %9s %9s%n", "set", "size", "accuracy", "loss");
            for (Score s : scores) {
                out.printf(Locale.ROOT, "%-12s %7d %9s %9s%n", s.set(), s.size(), number(s.accuracy()), number(s.loss()));
            }
        }
        out.flush();
        return 0;
    }

    private List<Score> scoreModel(Path folder) {
        Path modelFolder = RunDirectory.modelFolder(folder);
        dev.amend.data.LoadedData loaded = data.load();
        try (ModelHandle model = ModelStore.load(modelFolder, loaded.train())) {
            ExampleSet test = loaded.test();
            return List.of(score(model, "T", test));
        }
    }

    private List<Score> scoreRun(Path folder) {
        if (spec.commandLine().getParseResult().hasMatchedOption("--data")) {
            throw new AmendException("--run uses the data of the run's spec.json; leave out --data (or use --model)");
        }
        try (LoadedRun run = RunDirectory.load(folder)) {
            List<Score> scores = new ArrayList<>();
            scores.add(score(run.model(), "T", run.test()));
            scores.add(score(run.model(), "F", run.failureSet()));
            scores.add(score(run.model(), "F_q", run.querySet()));
            scores.add(score(run.model(), "F_h", run.holdoutSet()));
            scores.add(score(run.model(), "T\\F", run.remainingSet()));
            scores.add(score(run.model(), "D", run.train()));
            scores.add(score(run.model(), "validation", run.validation()));
            return scores;
        }
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
