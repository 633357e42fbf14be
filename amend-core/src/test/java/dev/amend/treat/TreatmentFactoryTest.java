package dev.amend.treat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.amend.AmendException;
import org.junit.jupiter.api.Test;

class TreatmentFactoryTest {

    @Test
    void everyNameBuildsItsTreatmentWithTheDefaultsOfMethodsSection3() {
        for (String name : TreatmentFactory.NAMES) {
            assertThat(TreatmentFactory.create(name, 1).name()).isEqualTo(name);
        }
        assertThat(TreatmentFactory.create("ewc-deletion", 1)).isInstanceOf(EwcDeletion.class);
        assertThat(TreatmentFactory.create("ewc-deletion", 1).settings()).containsEntry("gamma", 0.03)
                .containsEntry("lambda", 0.0).containsEntry("max_epochs", 100).containsEntry("patience", 5)
                .containsEntry("learning_rate", 1e-3).containsEntry("batch_size", 64);
        assertThat(TreatmentFactory.create("newton-removal", 1).settings()).containsEntry("step", "paper")
                .containsEntry("gamma", 0.03).containsEntry("damping", 1e-6);
        assertThat(TreatmentFactory.builder("newton-removal").optExactStep(true).build().settings())
                .containsEntry("step", "exact").containsEntry("gamma", 1.0).containsEntry("solver", "cg")
                .containsEntry("damping", 0.01);
        assertThat(TreatmentFactory.create("finetune-failures", 1).settings()).containsEntry("mu", 0.1)
                .doesNotContainKey("beta");
        assertThat(TreatmentFactory.create("combined", 1).settings()).containsEntry("mu", 0.1).containsEntry("beta", 1.0);
        assertThat(TreatmentFactory.create("retrain", 1)).isInstanceOf(Retrain.class);
    }

    @Test
    void optionsReachTheTreatmentAndNamesAreCaseInsensitive() {
        Treatment t = TreatmentFactory.builder(" EWC-Deletion ").optGamma(0.05).optLambda(2).optSeed(9).optMaxEpochs(7)
                .build();

        assertThat(t.settings()).containsEntry("gamma", 0.05).containsEntry("lambda", 2.0).containsEntry("seed", 9L)
                .containsEntry("max_epochs", 7);
    }

    @Test
    void aNumberThatIsNotFiniteOrOutOfRangeIsRefusedUpFront() {
        assertThatThrownBy(() -> TreatmentFactory.builder("ewc-deletion").optGamma(Double.NaN))
                .isInstanceOf(AmendException.class).hasMessage("gamma must be a number >= 0, got NaN");
        assertThatThrownBy(() -> TreatmentFactory.builder("newton-removal").optDamping(Double.POSITIVE_INFINITY))
                .isInstanceOf(AmendException.class).hasMessageStartingWith("damping must be");
        assertThatThrownBy(() -> TreatmentFactory.builder("ewc-deletion").optLambda(-1))
                .isInstanceOf(AmendException.class).hasMessageStartingWith("lambda must be");
        assertThatThrownBy(() -> TreatmentFactory.builder("combined").optBeta(Double.NaN))
                .isInstanceOf(AmendException.class).hasMessageStartingWith("beta must be");
    }

    @Test
    void everyTreatmentStopsByItsDefaultRuleUnlessToldOtherwise() {
        assertThat(TreatmentFactory.create("finetune-remaining", 1).settings()).containsEntry("stop_on", "validation:loss")
                .containsEntry("start_candidate", false);
        assertThat(TreatmentFactory.create("finetune-failures", 1).settings()).containsEntry("stop_on", "query:loss");
        assertThat(TreatmentFactory.create("combined", 1).settings()).containsEntry("stop_on",
                "validation+query:loss");
        assertThat(TreatmentFactory.create("ewc-deletion", 1).settings()).containsEntry("stop_on", "query:accuracy");
        assertThat(TreatmentFactory.create("newton-removal", 1).settings()).containsEntry("stop_on", "query:accuracy");
        assertThat(TreatmentFactory.builder("retrain").optStopOn(StopRule.parse("stop", "query:accuracy"))
                .optStartCandidate(true).build().settings()).containsEntry("stop_on", "query:accuracy")
                .containsEntry("start_candidate", true);
        assertThatThrownBy(() -> StopRule.parse("--treat-stop-on", "test:loss")).isInstanceOf(AmendException.class)
                .hasMessageContaining("unknown check set 'test'");
        assertThatThrownBy(() -> StopRule.parse("--treat-stop-on", "loss")).isInstanceOf(AmendException.class)
                .hasMessageContaining("is not SET:METRIC");
    }

    @Test
    void anOptionTheTreatmentDoesNotTakeIsRefused() {
        assertThatThrownBy(() -> TreatmentFactory.builder("ewc-deletion").optMu(1).build())
                .isInstanceOf(AmendException.class).hasMessage("mu does not apply to treatment ewc-deletion; it takes gamma,"
                        + " lambda, start-candidate, stop-on");
        assertThatThrownBy(() -> TreatmentFactory.builder("finetune-remaining").optGamma(0.1).build())
                .isInstanceOf(AmendException.class).hasMessageContaining("it takes start-candidate, stop-on");
        assertThatThrownBy(() -> TreatmentFactory.builder("finetune-failures").optExactStep(true).build())
                .isInstanceOf(AmendException.class).hasMessageStartingWith("exact-step does not apply");
        assertThatThrownBy(() -> TreatmentFactory.builder("newton-removal").optSolver("lissa").build())
                .isInstanceOf(AmendException.class).hasMessageStartingWith("solver applies to newton-removal with "
                        + "exact-step only");
    }

    @Test
    void takesSaysWhatBuildWouldRefuse() {
        assertThat(TreatmentFactory.takes("Retrain", "start-candidate")).isTrue();
        assertThat(TreatmentFactory.takes("newton-removal", "start-candidate")).isFalse();
        assertThatThrownBy(() -> TreatmentFactory.builder("newton-removal").optStartCandidate(false).build())
                .isInstanceOf(AmendException.class).hasMessageStartingWith("start-candidate does not apply");
        assertThatThrownBy(() -> TreatmentFactory.takes("magic", "stop-on")).isInstanceOf(AmendException.class);
    }

    @Test
    void theExactNewtonStepSolvesWithCgOrLissa() {
        assertThat(TreatmentFactory.builder("newton-removal").optExactStep(true).optSolver("LiSSA").build().settings())
                .containsEntry("solver", "lissa");
        assertThat(TreatmentFactory.builder("newton-removal").optExactStep(true).optSolver("cg").build().settings())
                .containsEntry("solver", "cg");
        assertThatThrownBy(() -> TreatmentFactory.builder("newton-removal").optExactStep(true).optSolver("newton"))
                .isInstanceOf(AmendException.class).hasMessage("unknown solver 'newton' for newton-removal: cg or lissa");
    }

    @Test
    void unknownNamesAndBadValuesAreUserErrors() {
        assertThatThrownBy(() -> TreatmentFactory.builder("forget")).isInstanceOf(AmendException.class)
                .hasMessage("unknown treatment 'forget'; valid: ewc-deletion, newton-removal, finetune-remaining,"
                        + " finetune-failures, combined, retrain, retain");
        assertThatThrownBy(() -> TreatmentFactory.builder("ewc-deletion").optGamma(0).build())
                .isInstanceOf(AmendException.class).hasMessageContaining("gamma");
        assertThatThrownBy(() -> TreatmentFactory.builder("combined").optMu(-1).build())
                .isInstanceOf(AmendException.class).hasMessageContaining("mu");
    }

    @Test
    void settingsRecordsReachTheTreatmentAndSingleOptionsApplyOnTop() {
        assertThat(TreatmentFactory.builder("ewc-deletion").optSettings(EwcDeletion.Settings.DEFAULTS.withGamma(0.02)
                .withLambda(1)).build().settings()).containsEntry("gamma", 0.02).containsEntry("lambda", 1.0);
        assertThat(TreatmentFactory.builder("ewc-deletion").optSettings(EwcDeletion.Settings.DEFAULTS.withLambda(1))
                .optGamma(0.04).build().settings()).containsEntry("gamma", 0.04).containsEntry("lambda", 1.0);
        assertThat(TreatmentFactory.builder("newton-removal").optSettings(NewtonRemoval.Settings.EXACT_DEFAULTS
                .withSolver(dev.amend.identify.InverseHvp.Solver.LISSA)).build().settings())
                .containsEntry("step", "exact").containsEntry("gamma", 1.0).containsEntry("solver", "lissa");
        assertThat(TreatmentFactory.builder("combined").optSettings(FinetuneFailures.Settings.DEFAULTS.withBeta(2))
                .build().settings()).containsEntry("mu", 0.1).containsEntry("beta", 2.0);
        assertThat(TreatmentFactory.builder("retain").optSettings(Retain.Settings.DEFAULTS.withVariant(Retain.Variant.EWC)
                .withGamma(0.05)).build().settings()).containsEntry("variant", "ewc").containsEntry("gamma", 0.05);
        assertThatThrownBy(() -> TreatmentFactory.builder("retrain").optSettings(EwcDeletion.Settings.DEFAULTS))
                .isInstanceOf(AmendException.class).hasMessage("these settings are ewc-deletion's, not retrain's");
    }

    @Test
    void aSettingsRecordRefusesValuesOutOfRangeByName() {
        assertThatThrownBy(() -> EwcDeletion.Settings.DEFAULTS.withGamma(0)).isInstanceOf(AmendException.class)
                .hasMessage("gamma must be a positive number, got 0.0");
        assertThatThrownBy(() -> FinetuneFailures.Settings.DEFAULTS.withMu(-1)).isInstanceOf(AmendException.class)
                .hasMessage("mu must be a finite number >= 0, got -1.0");
        assertThatThrownBy(() -> Retain.Settings.DEFAULTS.withRelabelConfidence(2)).isInstanceOf(AmendException.class)
                .hasMessage("relabel-confidence must be in [0, 1], got 2.0");
        assertThatThrownBy(() -> NewtonRemoval.Settings.PAPER_DEFAULTS.withSolver(
                dev.amend.identify.InverseHvp.Solver.LISSA)).isInstanceOf(AmendException.class)
                .hasMessageStartingWith("solver applies to newton-removal with exact-step only");
        assertThat(NewtonRemoval.Settings.defaults(NewtonRemoval.Step.EXACT).damping())
                .isEqualTo(NewtonRemoval.DEFAULT_DAMPING);
    }
}
