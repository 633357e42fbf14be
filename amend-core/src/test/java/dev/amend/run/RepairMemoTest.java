package dev.amend.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.amend.identify.CauseSelection;
import dev.amend.identify.Identifiers;
import dev.amend.run.format.RepairMetrics;
import dev.amend.treat.Treatment;
import dev.amend.treat.TreatmentFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RepairMemo}: a remembered identification or repair is the one a new computation gives,
 * and a memo answers only what its key fully names.
 */
class RepairMemoTest {
    @TempDir
    static Path dir;

    private static TrainRunResult run;

    @BeforeAll
    static void train() {
        run = TinyRuns.swappedLabels(dir);
    }

    @AfterAll
    static void close() {
        run.close();
    }

    private static Repair.Identified ewc(Repair repair) {
        return repair.identify(Identifiers.create("ewc-influence", Identifiers.Options.defaults(), 5));
    }

    private static Treatment finetune(int epochs) {
        return TreatmentFactory.builder("finetune-remaining").optSeed(1).optMaxEpochs(epochs).build();
    }

    private static Repair repair(RepairMemo memo, String name) {
        Repair r = Repair.of(RepairInput.of(run), 5, TrainRun.Listener.NONE);
        return memo == null ? r : r.withMemo(memo, name);
    }

    @Test
    void aRememberedRepairIsTheOneAFreshComputationGives() {
        Repair plain = repair(null, null);
        Repair.Identified fresh = ewc(plain);
        RepairMetrics expected = plain.metrics(fresh, CauseSelection.topK(20), finetune(3));

        RepairMemo memo = new RepairMemo();
        Repair first = repair(memo, "run-a");
        RepairMetrics made = first.metrics(ewc(first), CauseSelection.topK(20), finetune(3));
        assertThat(memo.identificationHits()).isZero();
        assertThat(memo.repairHits()).isZero();
        // A second Repair of the same base run (another part of an experiment) asks again.
        Repair second = repair(memo, "run-a");
        Repair.Identified again = ewc(second);
        RepairMetrics reused = second.metrics(again, CauseSelection.topK(20), finetune(3));
        assertThat(memo.identificationHits()).isEqualTo(1);
        assertThat(memo.repairHits()).isEqualTo(1);
        assertThat(reused).isSameAs(made);
        // What the memo handed out equals what a repair without a memo computes.
        assertThat(again.ranking().scores()).containsExactly(fresh.ranking().scores());
        assertThat(made.after()).isEqualTo(expected.after());
        assertThat(made.parameterDistance()).isEqualTo(expected.parameterDistance());
        assertThat(made.acceptance().checkLoss()).isEqualTo(expected.acceptance().checkLoss());
    }

    @Test
    void anythingTheKeyNamesThatDiffersIsComputedAgain() {
        RepairMemo memo = new RepairMemo();
        Repair a = repair(memo, "run-a");
        Repair.Identified identified = ewc(a);
        a.metrics(identified, CauseSelection.topK(20), finetune(3));
        // Another k, another treatment setting, another acceptance tolerance, another base run.
        a.metrics(identified, CauseSelection.topK(10), finetune(3));
        a.metrics(identified, CauseSelection.topK(20), finetune(2));
        Repair strict = repair(memo, "run-a").withAcceptance(0, Repair.CheckSet.VALIDATION);
        strict.metrics(ewc(strict), CauseSelection.topK(20), finetune(3));
        assertThat(memo.identificationHits()).isEqualTo(0);
        Repair other = repair(memo, "run-b");
        other.metrics(ewc(other), CauseSelection.topK(20), finetune(3));
        assertThat(memo.identificationHits()).isZero();
        assertThat(memo.repairHits()).isZero();
        // Another identification seed is another ranking.
        a.identify(Identifiers.create("random", Identifiers.Options.defaults(), 1));
        a.identify(Identifiers.create("random", Identifiers.Options.defaults(), 2));
        assertThat(memo.identificationHits()).isZero();
        a.identify(Identifiers.create("random", Identifiers.Options.defaults(), 1));
        assertThat(memo.identificationHits()).isEqualTo(1);
    }
}
