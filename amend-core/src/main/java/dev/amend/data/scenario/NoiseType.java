package dev.amend.data.scenario;

import dev.amend.AmendException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The pixel noise of an {@link InputNoiseScenario}. {@link #AUTO} follows [T22] Section 4.1:
 * salt-and-pepper for grey images (MNIST), Gaussian for colour images (CIFAR-10).
 */
public enum NoiseType {
    AUTO("auto"),
    SALT_AND_PEPPER("salt-and-pepper"),
    GAUSSIAN("gaussian");

    private final String specName;

    NoiseType(String specName) {
        this.specName = specName;
    }

    /** The name used in specs and spec.json. */
    public String specName() {
        return specName;
    }

    /** The concrete noise for images with this many channels ({@link #AUTO} resolved). */
    public NoiseType resolve(int channels) {
        if (this != AUTO) {
            return this;
        }
        return channels == 1 ? SALT_AND_PEPPER : GAUSSIAN;
    }

    /** The noise type with this spec name (case-insensitive). */
    public static NoiseType parse(String name) {
        for (NoiseType t : values()) {
            if (t.specName.equals(name.toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new AmendException("unknown noise '" + name + "'; valid: "
                + Arrays.stream(values()).map(NoiseType::specName).collect(Collectors.joining(", ")));
    }
}
