package dev.amend.data.scenario;

import dev.amend.AmendException;

/**
 * Two distinct classes whose labels a {@link LabelFlipScenario} flips. One-way ({@code a>b} in a
 * spec): examples of {@code first} may get the label {@code second}, never the reverse; the
 * project's default, see docs/methods.md 4.2. Two-way ({@code a-b}): the flip goes both ways.
 */
public record ClassPair(int first, int second, boolean oneWay) {
    public ClassPair {
        if (first < 0 || second < 0) {
            throw new AmendException("class pair " + first + "-" + second + " has a negative class");
        }
        if (first == second) {
            throw new AmendException("class pair " + first + "-" + second + " must name two different classes");
        }
    }

    /** A two-way pair. */
    public ClassPair(int first, int second) {
        this(first, second, false);
    }

    /** A one-way pair: {@code from}'s examples may be labelled {@code to}. */
    public static ClassPair oneWay(int from, int to) {
        return new ClassPair(from, to, true);
    }

    /** Whether {@code c} is one of the two classes. */
    public boolean contains(int c) {
        return c == first || c == second;
    }

    @Override
    public String toString() {
        return first + (oneWay ? ">" : "-") + second;
    }
}
