package dev.amend.data.scenario;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A parsed scenario spec, the user's choice of failure scenario ([T22] Section 4.1;
 * docs/methods.md 4.2). Either {@link Ready}, a scenario that can be applied at once, or
 * {@link PoisonOptions}, which first needs {@link #victimsNeeded()} victim models trained on
 * the clean data. A caller can treat both alike:
 * <pre>
 *   ScenarioSpec spec = ScenarioSpec.parse(text, "mnist", 10);
 *   Scenario scenario = spec.toScenario(trainVictims(spec.victimsNeeded()));
 * </pre>
 *
 * <p>Syntax: {@code name[:key=value,key=value...]}. Options are separated by ',', the items of
 * a list by ';', the two classes of a pair by '>' (one-way, a's labels become b) or '-' (both ways); names and keys are case-insensitive and
 * spaces around tokens are ignored. Classes are class indices.
 * <ul>
 *   <li>{@code none}</li>
 *   <li>{@code label-flip[:pairs=1>7;4-9,rate=0.45]}</li>
 *   <li>{@code input-noise[:classes=1;7;6;9,fraction=0.3,noise=auto|salt-and-pepper|gaussian,amount=0.2,sigma=0.2]}</li>
 *   <li>{@code poison[:classes=1;7;6;9,fraction=0.3,eps=0.2,victims=3]}</li>
 * </ul>
 * Options left out take the defaults of {@link ScenarioDefaults} and of each scenario.
 */
public sealed interface ScenarioSpec permits ScenarioSpec.Ready, PoisonOptions {

    /**
     * Parses {@code spec} for data of kind {@code dataKind} (e.g. "mnist", "cifar10",
     * "fashion-mnist"; others have no default classes) with {@code numClasses} classes.
     *
     * @throws dev.amend.AmendException for an unknown scenario or option (the message lists the
     *     valid ones), a malformed value, a class outside [0, numClasses), or a missing
     *     default for this data kind
     */
    static ScenarioSpec parse(String spec, String dataKind, int numClasses) {
        return ScenarioSpecParser.parse(spec, dataKind, numClasses);
    }

    /** The scenario's name, as in the spec. */
    String name();

    /** The settings, as {@link Scenario#parameters()}. */
    Map<String, Object> parameters();

    /** How many victim models {@link #toScenario(List)} wants: 0 except for poisoning. */
    int victimsNeeded();

    /**
     * The scenario, given exactly {@link #victimsNeeded()} trained victims.
     *
     * @throws IllegalArgumentException if the number of victims differs
     */
    Scenario toScenario(List<Victim> victims);

    /** A scenario that needs no victims. */
    record Ready(Scenario scenario) implements ScenarioSpec {
        public Ready {
            Objects.requireNonNull(scenario, "scenario");
        }

        @Override
        public String name() {
            return scenario.name();
        }

        @Override
        public Map<String, Object> parameters() {
            return scenario.parameters();
        }

        @Override
        public int victimsNeeded() {
            return 0;
        }

        @Override
        public Scenario toScenario(List<Victim> victims) {
            if (!victims.isEmpty()) {
                throw new IllegalArgumentException("scenario " + scenario.name() + " takes no victims");
            }
            return scenario;
        }
    }
}
