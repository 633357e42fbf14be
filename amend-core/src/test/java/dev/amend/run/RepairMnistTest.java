package dev.amend.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.amend.identify.CauseSelection;
import dev.amend.identify.Identifiers;
import dev.amend.run.format.RepairMetrics;
import dev.amend.run.format.TrainRunSpec;
import dev.amend.treat.TreatmentFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The acceptance test of the repair loop ([T22] Fig. 3 at one k), with the default protocol and
 * the demo's setting: the paper's CNN on the embedded MNIST with 45% of the 1s labelled 7
 * (seed 0), the top 100 of EWC-influence removed by fine-tuning on D\C with early stopping on
 * the base validation loss. Accuracy on the holdout failures F_h, which neither identification
 * nor treatment saw, must rise clearly, the correctly classified rest T\F must stay at 0.95 or
 * more, the whole test set must not get worse, and the acceptance check (which sees neither)
 * must accept the repair.
 *
 * <p>Measured on this run (the demo's; docs/results.md has all five seeds): 99 of the 100
 * removed are flipped labels, F_h 0 -> 0.42, T\F 0.989, T 0.919 -> 0.947 (two threads, as CI
 * runs it; one thread: 100 flipped, F_h 0.49, T\F 0.991). EWC-deletion and Newton removal of the
 * top 15% at the default gamma 0.03: F_h 0.33 at T\F 0.994 and F_h 0.22 at T\F 0.999 (one
 * thread: 0.39 / 0.990 and 0.28 / 0.999).
 */
@Tag("slow")
class RepairMnistTest {

    @Test
    void removingTheTopCausesByEwcInfluenceFixesHoldoutFailuresAndKeepsMostOfTheRest() {
        long seed = 0;
        try (TrainRunResult run = TrainRun.run(TrainRunSpec.paper("mnist", "label-flip", "paper-cnn", seed),
                TrainRun.Listener.NONE)) {
            Repair repair = Repair.of(RepairInput.of(run), seed, TrainRun.Listener.NONE);
            Repair.Identified identified = repair.identify(
                    Identifiers.create("ewc-influence", Identifiers.Options.defaults(), seed));
            try (RepairResult ewc = repair.treat(identified, CauseSelection.topK(100),
                    TreatmentFactory.create("finetune-remaining", seed))) {
                RepairMetrics e = ewc.metrics();
                System.out.printf("|F_h| %d, |T\\F| %d; EWC-influence top-100 (%d flipped): F_q %.4f F_h %.4f T\\F %.4f"
                        + " T %.4f (before %.4f)%n", e.sizes().fh(), e.sizes().remaining(), e.causes().corrupted(),
                        e.after().fq(), e.after().fh(), e.after().remaining(), e.after().test(), e.before().test());
                assertThat(e.causes().corrupted()).isGreaterThanOrEqualTo(90);
                assertThat(e.after().fh()).isGreaterThan(0.3);
                assertThat(e.after().fq()).isGreaterThan(0.3);
                assertThat(e.after().remaining()).isGreaterThanOrEqualTo(0.95);
                assertThat(e.after().test()).isGreaterThanOrEqualTo(e.before().test());
                assertThat(e.acceptance().accepted()).as(e.acceptance().reason()).isTrue();
            }
            // Fig. 5's deletion treatments at their defaults on the top 15%: both must repair some
            // failures without wrecking the model (under another reading of gamma both sent every
            // test image to one class; docs/treatment.md).
            CauseSelection top = CauseSelection.topFraction(0.15);
            try (RepairResult del = repair.treat(identified, top, TreatmentFactory.create("ewc-deletion", seed))) {
                RepairMetrics d = del.metrics();
                System.out.printf("ewc-deletion: F_h %.4f T\\F %.4f%n", d.after().fh(), d.after().remaining());
                assertThat(d.after().fh()).isGreaterThan(0.1);
                assertThat(d.after().remaining()).isGreaterThan(0.9);
            }
            try (RepairResult newton = repair.treat(identified, top, TreatmentFactory.create("newton-removal", seed))) {
                RepairMetrics nr = newton.metrics();
                System.out.printf("newton-removal: F_h %.4f T\\F %.4f%n", nr.after().fh(), nr.after().remaining());
                assertThat(nr.after().fh()).isGreaterThan(0.02);
                assertThat(nr.after().remaining()).isGreaterThan(0.98);
            }
        }
    }
}
