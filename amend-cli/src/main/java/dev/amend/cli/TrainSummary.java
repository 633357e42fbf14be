package dev.amend.cli;

import dev.amend.data.ExampleSet;
import dev.amend.run.TrainRunResult;
import dev.amend.run.format.TrainMetrics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The result of a training run as {@code amend train} and {@code amend demo} print it: the
 * accuracy on T, the sizes of F, F_q, F_h and T\F, and the class histogram of F, which shows
 * whether the failures concentrate in the corrupted classes (docs/methods.md 4.2: "Print the class
 * histogram of F with every run").
 */
final class TrainSummary {
    private TrainSummary() {
    }

    static void print(PrintWriter out, TrainRunResult run, Path folder) {
        TrainMetrics m = run.metrics();
        TrainMetrics.TrainPart d = m.train();
        TrainMetrics.Failures f = m.failures();
        ExampleSet test = run.test();
        out.printf("data        %s: D %d, validation %d, test T %d%n", run.spec().data(), d.size(),
                m.validation().size(), test.size());
        out.printf("scenario    %s%s: %d of %d training examples corrupted, %d labels changed%n", m.scenario().name(),
                parameters(m.scenario().parameters()), d.corrupted(), d.size(), d.labelsChanged());
        TrainMetrics.Training t = m.training();
        String how = t.method().equals("exact")
                ? String.format("exact optimum, %d iterations, gradient norm %.2e", t.iterations(), t.gradientNorm())
                : String.format("%s, %d epochs, best epoch %d", t.method(), t.epochsRun(), t.bestEpoch());
        out.printf("model       %s, %,d parameters, %s, %.1f s%n", run.spec().model(), run.model().numParameters(), how,
                t.seconds());
        out.printf("accuracy    T %s   D %s (clean %s, corrupted %s)   validation %s%n", fraction(m.test().accuracy()),
                fraction(d.accuracy()), fraction(d.cleanAccuracy()), fraction(d.noisyAccuracy()),
                fraction(m.validation().accuracy()));
        out.printf("failures    |F| %d   |F_q| %d   |F_h| %d   |T\\F| %d%n", f.failures(), f.query(), f.holdout(),
                f.remaining());
        if (!f.restrictedToClasses().isEmpty()) {
            out.printf("            F is restricted to the target classes %s; %d other misclassified test examples"
                    + " are in neither F nor T\\F%n", f.restrictedToClasses(), f.otherFailures());
        }
        out.println("F by class (true label):");
        out.printf("  %-12s %6s %7s%n", "class", "count", "share");
        for (TrainMetrics.ClassCount c : f.byClass()) {
            double share = f.failures() == 0 ? 0 : 100.0 * c.count() / f.failures();
            out.printf("  %-12s %6d %6.1f%%%n", c.name(), c.count(), share);
        }
        out.printf("wrote       %s%n", folder);
        out.flush();
    }

    private static String parameters(Map<String, Object> parameters) {
        String text = parameters.entrySet().stream().filter(e -> !e.getKey().equals("seed"))
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
        return text.isEmpty() ? "" : " (" + text + ")";
    }

    private static String fraction(Double value) {
        return value == null ? "-" : String.format("%.4f", value);
    }
}
