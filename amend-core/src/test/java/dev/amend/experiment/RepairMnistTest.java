package dev.amend.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.amend.identify.CauseSelection;
import dev.amend.identify.Identifiers;
import dev.amend.treat.TreatmentFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The acceptance test of the repair loop ([T22] Fig. 3 at one k), with the default protocol and
 * the demo's setting: the paper's CNN on the embedded MNIST with 1<->7 flips at 45% (seed 0),
 * the top 100 of EWC-influence removed by fine-tuning on D\C. Accuracy on the holdout failures
 * F_h, which neither identification nor treatment saw, must rise clearly, and accuracy on the
 * correctly classified rest T\F must stay high.
 *
 * <p>Measured (2 cores, about two minutes): 52 of the 100 removed are flipped labels; F_h 0 ->
 * 0.41, T\F 1 -> 0.92. The T\F bound is looser than "a little": the treatment keeps the epoch
 * with the best accuracy on F_q_val, 36 examples, and on this base model (stopped early, still
 * moving several percent of its test predictions per epoch) that choice often lands on an epoch
 * that trades T\F for F (docs/results.md, Fig. 3). For the same reason removing 100 random
 * examples is not reliably worse on F_h at k = 100 (seed 0: 0.46 with T\F 0.86), so this test
 * does not compare with random removal; amend experiment treat-k does, over k and seeds.
 *
 * <p>On the same run, EWC-deletion and Newton removal at their defaults (gamma 0.03) remove the
 * top 15%: measured F_h 0.21 / T\F 0.93 and F_h 0.05 / T\F 0.996.
 *
 * <p>The bounds hold over the three seeds of docs/results.md (one thread each), not just this
 * one: top-100 repair F_h 0.41 / 0.45 / 0.60, F_q 0.41 / 0.49 / 0.67, T\F 0.92 / 0.87 / 0.95 and
 * 52 / 67 / 55 flipped; EWC-deletion F_h 0.21 / 0.34 / 0.53, T\F 0.93 / 0.93 / 0.69; Newton
 * removal F_h 0.05 / 0.11 / 0.08, T\F 0.996 / 0.994 / 0.997.
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
                assertThat(e.causes().corrupted()).isGreaterThan(40);
                assertThat(e.after().fh()).isGreaterThan(0.3);
                assertThat(e.after().fq()).isGreaterThan(0.3);
                assertThat(e.after().remaining()).isGreaterThan(0.85);
            }
            // Fig. 5's deletion treatments at their defaults on the top 15%: both must repair some
            // failures without wrecking the model (under another reading of gamma both sent every
            // test image to one class; docs/treatment.md).
            CauseSelection top = CauseSelection.topFraction(0.15);
            try (RepairResult del = repair.treat(identified, top, TreatmentFactory.create("ewc-deletion", seed))) {
                RepairMetrics d = del.metrics();
                System.out.printf("ewc-deletion: F_h %.4f T\\F %.4f%n", d.after().fh(), d.after().remaining());
                assertThat(d.after().fh()).isGreaterThan(0.1);
                assertThat(d.after().remaining()).isGreaterThan(0.6);
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
