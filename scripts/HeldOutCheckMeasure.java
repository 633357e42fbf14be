import dev.amend.identify.CauseSelection;
import dev.amend.identify.Identifiers;
import dev.amend.run.LoadedRun;
import dev.amend.run.Repair;
import dev.amend.run.RepairInput;
import dev.amend.run.RepairResult;
import dev.amend.run.TrainRun;
import dev.amend.run.format.RepairMetrics;
import dev.amend.run.format.RunDirectory;
import dev.amend.treat.TreatmentFactory;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * The measurement of docs/methods.md 3(e), "Why V is drawn before F is found": a training run's
 * model and training data are brought as a user's model, F is its misclassified test examples,
 * and V is held out of the test set (fraction 0.2) either from all of it before F is found
 * ({@code uniform}, amend's rule) or from the examples outside F ({@code outside-f}, by naming
 * every misclassified row as a failure). For k = 50 and 400 of EWC-influence's ranking and
 * finetune-remaining at its defaults, prints the verdict on V and on V' and the change of
 * accuracy on the whole test set (V included) and on T without V.
 *
 * <p>Usage, with the jar of amend-cli: {@code amend train --scenario label-flip --seed S --out
 * runs/seedS}, then {@code java -cp amend.jar scripts/HeldOutCheckMeasure.java runs/seedS S
 * uniform|outside-f} (one libtorch thread: OMP_NUM_THREADS=1).
 */
public class HeldOutCheckMeasure {
    public static void main(String[] args) {
        long seed = Long.parseLong(args[1]);
        boolean uniform = args[2].equals("uniform");
        try (LoadedRun run = RunDirectory.load(Path.of(args[0]))) {
            boolean[] mask = run.corruption().corrupted();
            int[] predicted = run.model().evaluate(run.test()).predictions();
            int[] mistakes = IntStream.range(0, run.test().size()).filter(i -> predicted[i] != run.test().label(i))
                    .map(i -> run.test().row(i)).toArray();
            RepairInput input = RepairInput.bringYourOwn(run.model(), run.train(), run.test(), uniform ? null : mistakes,
                    seed).withHeldOutCheck(RepairInput.DEFAULT_CHECK_FRACTION, seed);
            Repair repair = Repair.of(input, seed, TrainRun.Listener.NONE);
            Repair.Identified identified = repair.identify(Identifiers.create("ewc-influence",
                    Identifiers.Options.defaults(), seed));
            double before = run.model().evaluate(run.test()).accuracy();
            for (int k : new int[] {50, 400}) {
                try (RepairResult r = repair.treat(identified, CauseSelection.topK(k),
                        TreatmentFactory.create("finetune-remaining", seed))) {
                    RepairMetrics.Acceptance a = r.metrics().acceptance();
                    int flipped = 0;
                    for (int c : r.causes()) {
                        flipped += mask[c] ? 1 : 0;
                    }
                    RepairMetrics.Check v = a.validation();
                    RepairMetrics.Check u = a.unflaggedValidation();
                    boolean rose = a.queryValidation().accuracyAfter() > a.queryValidation().accuracyBefore();
                    System.out.printf(Locale.ROOT, "%s seed %d k %d: flipped %d; |V| %d, V %.4f -> %.4f (accepted %b);"
                            + " |V'| %d, V' %.4f -> %.4f (accepted %b); whole test set %.4f -> %.4f; T without V %.4f ->"
                            + " %.4f%n", args[2], seed, k, flipped, v.size(), v.accuracyBefore(), v.accuracyAfter(),
                            rose && v.accuracyBefore() - v.accuracyAfter() <= a.tolerance() + 1e-12, u.size(),
                            u.accuracyBefore(), u.accuracyAfter(),
                            rose && u.accuracyBefore() - u.accuracyAfter() <= a.tolerance() + 1e-12, before,
                            r.model().evaluate(run.test()).accuracy(), r.metrics().before().test(),
                            r.metrics().after().test());
                }
            }
        }
    }
}
