package dev.amend.example;

import dev.amend.data.DataSpec;
import dev.amend.data.LoadedData;
import dev.amend.identify.CauseSelection;
import dev.amend.identify.Identifiers;
import dev.amend.model.Engines;
import dev.amend.model.ModelHandle;
import dev.amend.model.ModelStore;
import dev.amend.run.Repair;
import dev.amend.run.RepairInput;
import dev.amend.run.RepairResult;
import dev.amend.run.TrainRun;
import dev.amend.run.format.RepairMetrics;
import dev.amend.treat.TreatmentFactory;
import java.nio.file.Path;

/**
 * The example of docs/library.md: repair a TorchScript image classifier from Java.
 *
 * <p>Usage: {@code RepairExample MODEL.pt OUT.pt ROW...}: the model, where to write the repaired
 * one, and the test rows it fails on. The data is the embedded MNIST set (a pool of 500 training
 * images, the rest for testing).
 */
public final class RepairExample {
    private RepairExample() {
    }

    public static void main(String[] args) {
        long seed = 0;
        Engines.configure(1);                                         // libtorch threads, before any model work
        int[] failures = java.util.Arrays.stream(args).skip(2).mapToInt(Integer::parseInt).toArray();
        LoadedData data = DataSpec.parse("mnist").load(500, seed);
        try (ModelHandle model = ModelStore.load(Path.of(args[0]), data.train())) {
            RepairInput input = RepairInput.bringYourOwn(model, data.train(), data.test(), failures, seed)
                    .withHeldOutCheck(0.2, seed);                     // V for the acceptance check
            Repair repair = Repair.of(input, seed, TrainRun.Listener.NONE);
            repair.notes().forEach(n -> System.out.println("note: " + n));
            try (RepairResult result = repair.run(Identifiers.create("ewc-influence", Identifiers.Options.defaults(), seed),
                    CauseSelection.topK(20), TreatmentFactory.create("finetune-remaining", seed))) {
                RepairMetrics m = result.metrics();
                System.out.printf("held-out failures fixed: %.2f -> %.2f%n", m.before().fh(), m.after().fh());
                System.out.printf("test accuracy: %.4f -> %.4f%n", m.before().test(), m.after().test());
                System.out.println((m.acceptance().accepted() ? "ACCEPTED: " : "NOT ACCEPTED: ") + m.acceptance().reason());
                int[] rows = java.util.Arrays.stream(result.causes()).map(data.train()::row).toArray();
                System.out.println("training rows removed as causes: " + java.util.Arrays.toString(rows));
                result.model().exportTorchScript(Path.of(args[1]));
            }
        }
    }
}
