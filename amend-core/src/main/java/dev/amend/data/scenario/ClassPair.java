package dev.amend.data.scenario;

import dev.amend.AmendException;

/**
 * Two distinct classes whose labels a {@link LabelFlipScenario} swaps; written "a-b" in a spec.
 * The order carries no meaning: the flip goes both ways.
 */
public record ClassPair(int first, int second) {
    public ClassPair {
        if (first < 0 || second < 0) {
            throw new AmendException("class pair " + first + "-" + second + " has a negative class");
        }
        if (first == second) {
            throw new AmendException("class pair " + first + "-" + second + " must name two different classes");
        }
    }

    /** Whether {@code c} is one of the two classes. */
    public boolean contains(int c) {
        return c == first || c == second;
    }

    @Override
    public String toString() {
        return first + "-" + second;
    }
}
