package dev.amend.data.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.amend.AmendException;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class ScenarioSpecTest {

    private static Scenario ready(String spec, String kind) {
        ScenarioSpec parsed = ScenarioSpec.parse(spec, kind, 10);
        assertThat(parsed.victimsNeeded()).isZero();
        return parsed.toScenario(List.of());
    }

    @Test
    void labelFlipTakesThePairOfTheDataKind() {
        assertThat(ready("label-flip", "mnist")).isEqualTo(new LabelFlipScenario(List.of(ClassPair.oneWay(1, 7)), 0.45));
        assertThat(ready("label-flip", "CIFAR-10")).isEqualTo(LabelFlipScenario.of(List.of(ClassPair.oneWay(3, 5))));
        assertThat(ready("label-flip", "fashion-mnist")).isEqualTo(LabelFlipScenario.of(List.of(ClassPair.oneWay(6, 0))));
    }

    @Test
    void anArrowMakesAPairOneWayAndADashTwoWay() {
        assertThat(ready("label-flip:pairs=1>7;4-9", "mnist")).isEqualTo(
                LabelFlipScenario.of(List.of(ClassPair.oneWay(1, 7), new ClassPair(4, 9))));
        assertThat(ready("label-flip:pairs=1>7", "mnist").parameters().get("pairs")).isEqualTo(List.of("1>7"));
    }

    @Test
    void labelFlipPairsAreSeparatedBySemicolons() {
        assertThat(ready(" Label-Flip : pairs = 1-7;4-9 , rate=0.3", "mnist"))
                .isEqualTo(new LabelFlipScenario(List.of(new ClassPair(1, 7), new ClassPair(4, 9)), 0.3));
    }

    @Test
    void pairsSeparatedByCommasAreExplained() {
        assertThatThrownBy(() -> ScenarioSpec.parse("label-flip:pairs=1-7,4-9", "mnist", 10))
                .isInstanceOf(AmendException.class).hasMessageContaining("'4-9'").hasMessageContaining("';'");
    }

    @Test
    void inputNoiseDefaultsAndOptions() {
        assertThat(ready("input-noise", "mnist")).isEqualTo(InputNoiseScenario.of(List.of(1, 6, 7, 9)));
        assertThat(ready("input-noise", "cifar10")).isEqualTo(InputNoiseScenario.of(List.of(0, 2, 3, 5)));
        assertThat(ready("input-noise:classes=1;7;6;9,fraction=0.25,noise=gaussian,amount=0.1,sigma=0.05", "other"))
                .isEqualTo(new InputNoiseScenario(List.of(1, 6, 7, 9), 0.25, NoiseType.GAUSSIAN, 0.1, 0.05));
    }

    @Test
    void poisonReturnsOptionsThatWaitForVictims() {
        ScenarioSpec spec = ScenarioSpec.parse("poison", "mnist", 10);

        assertThat(spec).isEqualTo(PoisonOptions.of(List.of(1, 6, 7, 9)));
        assertThat(spec.victimsNeeded()).isEqualTo(3);
        assertThat(ScenarioSpec.parse("poison:eps=0.1,victims=2,fraction=0.5,classes=3", "x", 10))
                .isEqualTo(new PoisonOptions(List.of(3), 0.5, OptionalDouble.of(0.1), 2));
    }

    @Test
    void noneNeedsNothingAndTakesNoOptions() {
        assertThat(ready("none", "anything")).isEqualTo(new NoneScenario());
        assertThatThrownBy(() -> ScenarioSpec.parse("none:rate=1", "mnist", 10)).isInstanceOf(AmendException.class)
                .hasMessageContaining("no options");
    }

    @Test
    void unknownScenarioListsTheValidOnes() {
        assertThatThrownBy(() -> ScenarioSpec.parse("flip", "mnist", 10)).isInstanceOf(AmendException.class)
                .hasMessageContaining("none, label-flip, input-noise, poison");
        assertThatThrownBy(() -> ScenarioSpec.parse(" ", "mnist", 10)).isInstanceOf(AmendException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void unknownOptionListsTheValidOnes() {
        assertThatThrownBy(() -> ScenarioSpec.parse("poison:sigma=0.1", "mnist", 10)).isInstanceOf(AmendException.class)
                .hasMessageContaining("'sigma'").hasMessageContaining("classes, fraction, eps, victims");
    }

    @Test
    void classesOutsideTheDataAreRejected() {
        assertThatThrownBy(() -> ScenarioSpec.parse("input-noise:classes=1;10", "mnist", 10))
                .isInstanceOf(AmendException.class).hasMessageContaining("class 10").hasMessageContaining("[0, 10)");
        assertThatThrownBy(() -> ScenarioSpec.parse("label-flip:pairs=1-12", "mnist", 10))
                .isInstanceOf(AmendException.class).hasMessageContaining("class 12");
        assertThatThrownBy(() -> ScenarioSpec.parse("label-flip", "mnist", 5))
                .isInstanceOf(AmendException.class).hasMessageContaining("default");
    }

    @Test
    void unknownDataKindNeedsExplicitClasses() {
        assertThatThrownBy(() -> ScenarioSpec.parse("label-flip", "svhn", 10)).isInstanceOf(AmendException.class)
                .hasMessageContaining("no default pairs").hasMessageContaining("svhn");
        assertThatThrownBy(() -> ScenarioSpec.parse("poison", null, 10)).isInstanceOf(AmendException.class)
                .hasMessageContaining("no default classes");
    }

    @Test
    void malformedValuesAreRejected() {
        assertThatThrownBy(() -> ScenarioSpec.parse("label-flip:rate=abc", "mnist", 10))
                .isInstanceOf(AmendException.class).hasMessageContaining("not a number");
        assertThatThrownBy(() -> ScenarioSpec.parse("label-flip:rate=1.5", "mnist", 10))
                .isInstanceOf(AmendException.class).hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> ScenarioSpec.parse("label-flip:pairs=1-7-9", "mnist", 10))
                .isInstanceOf(AmendException.class).hasMessageContaining("a-b");
        assertThatThrownBy(() -> ScenarioSpec.parse("input-noise:classes=1;cat", "mnist", 10))
                .isInstanceOf(AmendException.class).hasMessageContaining("'cat'");
        assertThatThrownBy(() -> ScenarioSpec.parse("input-noise:noise=pink", "mnist", 10))
                .isInstanceOf(AmendException.class).hasMessageContaining("salt-and-pepper");
        assertThatThrownBy(() -> ScenarioSpec.parse("poison:victims=0", "mnist", 10))
                .isInstanceOf(AmendException.class).hasMessageContaining("victims");
        assertThatThrownBy(() -> ScenarioSpec.parse("poison:victims=1.5", "mnist", 10))
                .isInstanceOf(AmendException.class).hasMessageContaining("whole number");
        assertThatThrownBy(() -> ScenarioSpec.parse("poison:eps=", "mnist", 10))
                .isInstanceOf(AmendException.class).hasMessageContaining("no value");
        assertThatThrownBy(() -> ScenarioSpec.parse("poison:eps=0.1,eps=0.2", "mnist", 10))
                .isInstanceOf(AmendException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> ScenarioSpec.parse("input-noise:classes=1;1", "mnist", 10))
                .isInstanceOf(AmendException.class).hasMessageContaining("twice");
    }

    @Test
    void readySpecRefusesVictims() {
        ScenarioSpec spec = ScenarioSpec.parse("label-flip", "mnist", 10);

        assertThatThrownBy(() -> spec.toScenario(List.of(PoisonScenarioTest.LinearVictim.standard())))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
