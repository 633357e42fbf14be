package dev.amend.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --model} and {@code --model-option}: the architecture of the models a command trains. */
public final class ModelOptions {
    @Option(names = "--model", paramLabel = "NAME", defaultValue = "paper-cnn",
            description = "Architecture (default: ${DEFAULT-VALUE}): paper-cnn, mlp, logreg or resnet.")
    String name;

    @Option(names = "--model-option", paramLabel = "KEY=VALUE",
            description = "An option of the architecture, repeatable: mlp hidden=128,64 activation=relu|tanh; "
                    + "resnet depth=8 width=16.")
    Map<String, String> options = new LinkedHashMap<>();

    public String name() {
        return name;
    }

    public Map<String, String> options() {
        return options;
    }
}
