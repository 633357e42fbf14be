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
        Identifiers.Options options = Identifiers.Options.builder().optLissaScale(20.0).optLissaDepth(300)
                .optLissaRepeats(2).optLissaBatch(32).optLissaDamping(0.01).optCurvature(Curvature.GGN).build();
        CauseIdentifier lissa = Identifiers.create("influence-lissa", options, 5);
        assertThat(lissa.settings()).containsEntry("lissa_scale", 20.0).containsEntry("lissa_depth", 300)
                .containsEntry("lissa_repeats", 2).containsEntry("lissa_batch", 32).containsEntry("lissa_damping", 0.01)
                .containsEntry("curvature", "ggn").containsEntry("seed", 5L);

        CauseIdentifier cg = Identifiers.create("influence-cg",
                Identifiers.Options.builder().optDamping(0.1).optCgMaxIterations(7).build(), 0);
        assertThat(cg.settings()).containsEntry("damping", 0.1).containsEntry("cg_max_iterations", 7)
                .containsEntry("curvature", "hessian");

        assertThat(Identifiers.create("ewc-influence", Identifiers.Options.builder().optLambda(2.0)
                .optEwcStopOn(TrainConfig.StopCriterion.LOSS).build(), 9).settings())
                .containsEntry("lambda", 2.0).containsEntry("seed", 9L).containsEntry("stop_on", "loss");
        assertThat(Identifiers.create("sgd-influence", Identifiers.Options.builder().optLastEpochs(2).build(), 0)
                .settings()).containsEntry("last_epochs", 2);
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
    }

    @Test
    void aSettingTheMethodDoesNotUseIsRefused() {
        Identifiers.Options options = Identifiers.Options.builder().optLambda(1.0).optLissaDepth(10).build();
        assertThatThrownBy(() -> Identifiers.create("influence-cg", options, 0))
                .isInstanceOf(AmendException.class)
                .hasMessage("lambda (ewc-influence only), lissa-depth (influence-lissa only) do not apply to influence-cg");
        assertThatThrownBy(() -> Identifiers.create("influence-lissa",
                Identifiers.Options.builder().optDamping(0.1).build(), 0))
                .hasMessageContaining("damping (influence-cg, exact only) does not apply to influence-lissa");
        assertThatThrownBy(() -> Identifiers.create("influence-cg",
                Identifiers.Options.builder().optEwcStopOn(TrainConfig.StopCriterion.LOSS).build(), 0))
                .hasMessageContaining("ewc-stop-on (ewc-influence only) does not apply to influence-cg");
    }

    @Test
    void restrictingOptionsKeepsOnlyWhatTheMethodUses() {
        Identifiers.Options all = Identifiers.Options.builder().optLambda(1.0).optDamping(0.1).optLissaDepth(10)
                .optLastEpochs(2).optCurvature(Curvature.GGN).optEwcStopOn(TrainConfig.StopCriterion.LOSS).build();
        assertThat(all.restrictTo("ewc-influence").describe()).containsOnlyKeys("lambda", "ewc-stop-on");
        assertThat(all.restrictTo("influence-cg").describe()).containsOnlyKeys("damping", "curvature");
        assertThat(all.restrictTo("influence-lissa").describe()).containsOnlyKeys("lissa-depth", "curvature");
        assertThat(all.restrictTo("sgd-influence").describe()).containsOnlyKeys("last-epochs");
        assertThat(all.restrictTo("random").describe()).isEmpty();
        for (String name : Identifiers.NAMES) {
            assertThat(Identifiers.create(name, all.restrictTo(name), 0).name()).isEqualTo(name);
        }
    }

    @Test
    void badSettingsAreRefusedWhenTheOptionsAreBuilt() {
        assertThatThrownBy(() -> Identifiers.Options.builder().optLissaDepth(0).build())
                .isInstanceOf(AmendException.class).hasMessage("lissa-depth must be at least 1, got 0");
        assertThatThrownBy(() -> Identifiers.Options.builder().optLissaScale(-1.0).build())
                .isInstanceOf(AmendException.class).hasMessage("lissa-scale must be a positive number, got -1.0");
        assertThatThrownBy(() -> Identifiers.Options.builder().optDamping(Double.NaN).build())
                .isInstanceOf(AmendException.class);
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
