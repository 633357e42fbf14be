package dev.amend.data.scenario;

import dev.amend.data.ExampleSet;
import java.util.Map;

/**
 * A way of corrupting a training set so that the corrupted examples are known: the injected
 * mask is the ground truth against which cause identification is scored ([T22] Tanno et al.
 * 2022, Section 4.1; docs/methods.md Section 4.2).
 *
 * <p>Contract: {@link #apply} never modifies its input, and for a given data set and seed
 * returns the same result bit for bit. Every random choice is drawn from a
 * {@link java.util.SplittableRandom} created from the seed (its algorithm is fixed by the Java
 * specification, so results do not depend on the JDK build or the thread count).
 */
public interface Scenario {
    /** The scenario's name as written in a spec: "none", "label-flip", "input-noise", "poison". */
    String name();

    /**
     * The settings of this scenario under the option names of the spec syntax, in a fixed
     * order, with values that serialise to JSON (numbers, strings, lists); written to spec.json.
     */
    Map<String, Object> parameters();

    /** Corrupts a copy of {@code train}; the same {@code seed} gives the same corruption. */
    CorruptedData apply(ExampleSet train, long seed);
}
