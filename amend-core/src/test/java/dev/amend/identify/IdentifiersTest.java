package dev.amend.identify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.amend.AmendException;
import dev.amend.model.ModelHandle.Curvature;
import dev.amend.train.TrainConfig;
import org.junit.jupiter.api.Test;

class IdentifiersTest {

    @Test
    void everyNameMapsToTheIdentifierOfThatName() {
        for (String name : Identifiers.NAMES) {
            CauseIdentifier identifier = Identifiers.create(name, Identifiers.Options.defaults(), 3);
            assertThat(identifier.name()).isEqualTo(name);
        }
        assertThat(Identifiers.create("ewc-influence", Identifiers.Options.defaults(), 0)).isInstanceOf(EwcInfluence.class);
        assertThat(Identifiers.create("influence-cg", Identifiers.Options.defaults(), 0)).isInstanceOf(LinearInfluence.class);
        assertThat(Identifiers.create("influence-lissa", Identifiers.Options.defaults(), 0))
                .isInstanceOf(LinearInfluence.class);
        assertThat(Identifiers.create("exact", Identifiers.Options.defaults(), 0)).isInstanceOf(LinearInfluence.class);
        assertThat(Identifiers.create("sgd-influence", Identifiers.Options.defaults(), 0)).isInstanceOf(SgdInfluence.class);
        assertThat(Identifiers.create("random", Identifiers.Options.defaults(), 0)).isInstanceOf(RandomIdentifier.class);
        assertThat(Identifiers.create("oracle", Identifiers.Options.defaults(), 0)).isInstanceOf(OracleIdentifier.class);
    }

    @Test
    void namesAreReadCaseInsensitively() {
        assertThat(Identifiers.canonical(" EWC-Influence ")).isEqualTo("ewc-influence");
    }

    @Test
    void unknownMethodIsAOneLineErrorListingTheValidNames() {
        assertThatThrownBy(() -> Identifiers.create("tracin", Identifiers.Options.defaults(), 0))
                .isInstanceOf(AmendException.class)
                .hasMessage("unknown identification method 'tracin'; valid: ewc-influence, influence-cg, influence-lissa,"
                        + " exact, sgd-influence, random, oracle");
    }

    @Test
    void givenSettingsReachTheMethod() {
        LinearInfluence.Settings linear = LinearInfluence.Settings.DEFAULTS.withLissaScale(20.0).withLissaDepth(300)
                .withLissaRepeats(2).withLissaBatch(32).withLissaDamping(0.01).withCurvature(Curvature.GGN);
        Identifiers.Options options = Identifiers.Options.DEFAULTS.withLinearInfluence(linear);
        CauseIdentifier lissa = Identifiers.create("influence-lissa", options, 5);
        assertThat(lissa.settings()).containsEntry("lissa_scale", 20.0).containsEntry("lissa_depth", 300)
                .containsEntry("lissa_repeats", 2).containsEntry("lissa_batch", 32).containsEntry("lissa_damping", 0.01)
                .containsEntry("curvature", "ggn").containsEntry("seed", 5L);

        CauseIdentifier cg = Identifiers.create("influence-cg", Identifiers.Options.DEFAULTS.withLinearInfluence(
                LinearInfluence.Settings.DEFAULTS.withDamping(0.1).withCgMaxIterations(7)), 0);
        assertThat(cg.settings()).containsEntry("damping", 0.1).containsEntry("cg_max_iterations", 7)
                .containsEntry("curvature", "hessian");

        assertThat(Identifiers.create("ewc-influence", Identifiers.Options.DEFAULTS.withEwcInfluence(
                EwcInfluence.Settings.DEFAULTS.withLambda(2.0).withStopOn(TrainConfig.StopCriterion.ACCURACY)), 9)
                .settings()).containsEntry("lambda", 2.0).containsEntry("seed", 9L).containsEntry("stop_on", "accuracy");
        assertThat(Identifiers.create("sgd-influence", Identifiers.Options.DEFAULTS.withSgdInfluence(
                SgdInfluence.Settings.DEFAULTS.withLastEpochs(2)), 0).settings()).containsEntry("last_epochs", 2);
    }

    @Test
    void defaultsAreThoseOfTheMethodsSpecification() {
        assertThat(Identifiers.create("influence-lissa", Identifiers.Options.defaults(), 0).settings())
                .containsEntry("lissa_scale", "auto").containsEntry("lissa_depth", 10_000)
                .containsEntry("lissa_damping", 0.001);
        assertThat(Identifiers.create("influence-cg", Identifiers.Options.defaults(), 0).settings())
                .containsEntry("damping", 0.01);
        assertThat(Identifiers.create("ewc-influence", Identifiers.Options.defaults(), 0).settings())
                .containsEntry("lambda", 0.0).containsEntry("stop_on", "loss");
        assertThat(Identifiers.create("sgd-influence", Identifiers.Options.defaults(), 0).settings())
                .containsEntry("last_epochs", "all");
        assertThat(Identifiers.Options.DEFAULTS.sgdInfluence().auxiliaryStart()).isEqualTo(SgdInfluence.AuxiliaryStart.THETA_STAR);
    }

    @Test
    void aSettingTheMethodDoesNotUseIsRefusedByName() {
        assertThatThrownBy(() -> Identifiers.requireApplicable("influence-cg",
                java.util.Map.of("lambda", "lambda")))
                .isInstanceOf(AmendException.class)
                .hasMessage("lambda (ewc-influence only) does not apply to influence-cg");
        java.util.Map<String, String> two = new java.util.LinkedHashMap<>();
        two.put("lambda", "lambda");
        two.put("lissa-depth", "lissa-depth");
        assertThatThrownBy(() -> Identifiers.requireApplicable("influence-cg", two))
                .hasMessage("lambda (ewc-influence only), lissa-depth (influence-lissa only) do not apply to influence-cg");
        assertThatThrownBy(() -> Identifiers.requireApplicable("influence-lissa", java.util.Map.of("damping", "damping")))
                .hasMessageContaining("damping (influence-cg, exact only) does not apply to influence-lissa");
        Identifiers.requireApplicable("exact", java.util.Map.of("damping", "damping", "curvature", "curvature"));
        for (String setting : Identifiers.SETTING_USERS.keySet()) {
            assertThat(Identifiers.usesSetting("random", setting)).as(setting).isFalse();
        }
    }

    @Test
    void badSettingsAreRefusedWhenTheRecordsAreBuilt() {
        assertThatThrownBy(() -> LinearInfluence.Settings.DEFAULTS.withLissaDepth(0))
                .isInstanceOf(AmendException.class).hasMessage("lissa-depth must be at least 1, got 0");
        assertThatThrownBy(() -> LinearInfluence.Settings.DEFAULTS.withLissaScale(-1.0))
                .isInstanceOf(AmendException.class).hasMessageStartingWith("lissa-scale must be a positive number");
        assertThatThrownBy(() -> LinearInfluence.Settings.DEFAULTS.withDamping(Double.NaN))
                .isInstanceOf(AmendException.class).hasMessageStartingWith("damping must be");
        assertThatThrownBy(() -> LinearInfluence.Settings.DEFAULTS.withLissaDamping(1))
                .isInstanceOf(AmendException.class).hasMessage("lissa-damping must be in [0, 1), got 1.0");
        assertThatThrownBy(() -> EwcInfluence.Settings.DEFAULTS.withLambda(-1))
                .isInstanceOf(AmendException.class).hasMessage("lambda must be a finite number >= 0, got -1.0");
        assertThatThrownBy(() -> SgdInfluence.Settings.DEFAULTS.withLastEpochs(-2))
                .isInstanceOf(AmendException.class).hasMessageStartingWith("last-epochs must be");
    }

    @Test
    void aSolveHoldsTheLinearInfluenceSettingsAndTheyCheckIt() {
        LinearInfluence.Settings linear = LinearInfluence.Settings.DEFAULTS.withCgMaxIterations(7).withLissaBatch(3);
        assertThat(linear.config(InverseHvp.Solver.CG, 4)).isEqualTo(new InverseHvp.Config(InverseHvp.Solver.CG,
                linear, 4));
        InverseHvp.Config lissa = InverseHvp.Config.defaults(InverseHvp.Solver.LISSA, 1).withLissa(2, 0.01, 5, 2, 8);
        assertThat(lissa.settings()).isEqualTo(LinearInfluence.Settings.DEFAULTS.withLissaScale(2)
                .withLissaDamping(0.01).withLissaDepth(5).withLissaRepeats(2).withLissaBatch(8));
        assertThatThrownBy(() -> lissa.withLissa(2, 0.01, 0, 2, 8)).isInstanceOf(AmendException.class)
                .hasMessage("lissa-depth must be at least 1, got 0");
        assertThatThrownBy(() -> lissa.withDamping(-1)).isInstanceOf(AmendException.class)
                .hasMessageStartingWith("damping must be");
    }

    @Test
    void theOptionsKeepTheirFlatFormInSpecJson() {
        String json = dev.amend.util.Json.toJson(Identifiers.Options.DEFAULTS);
        assertThat(json).contains("\"lambda\" : 0.0", "\"damping\" : 0.01", "\"curvature\" : \"HESSIAN\"",
                "\"lissaDepth\" : 10000", "\"lastEpochs\" : 0", "\"ewcStopOn\" : \"LOSS\"", "\"auxiliaryStart\" : \"THETA_STAR\"");
    }

    @Test
    void curvaturesAreReadByTheirOptionNames() {
        assertThat(Identifiers.parseCurvature("hessian")).isEqualTo(Curvature.HESSIAN);
        assertThat(Identifiers.parseCurvature("GGN")).isEqualTo(Curvature.GGN);
        assertThat(Identifiers.parseCurvature("empirical-fisher")).isEqualTo(Curvature.EMPIRICAL_FISHER);
        assertThat(Identifiers.parseCurvature("empirical_fisher")).isEqualTo(Curvature.EMPIRICAL_FISHER);
        assertThatThrownBy(() -> Identifiers.parseCurvature("fisher")).isInstanceOf(AmendException.class)
                .hasMessage("unknown curvature 'fisher'; valid: hessian, ggn, empirical-fisher");
    }
}
