package dev.amend.data.scenario;

import dev.amend.data.ExampleSet;
import java.util.Map;

/**
 * No corruption: the data unchanged and an all-false mask. The control run for the other
 * scenarios, and the scenario of a user who repairs a model trained on their own data.
 */
public record NoneScenario() implements Scenario {
    public static final String NAME = "none";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> parameters() {
        return Map.of();
    }

    @Override
    public CorruptedData apply(ExampleSet train, long seed) {
        return CorruptedData.clean(train, NAME, Map.of("seed", seed));
    }
}
