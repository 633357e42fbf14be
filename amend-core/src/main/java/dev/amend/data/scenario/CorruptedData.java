package dev.amend.data.scenario;

import dev.amend.data.ExampleSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * A training set after a {@link Scenario} corrupted it, with the ground truth of what was
 * done ([T22] Section 4.1: the injected corruption is the "ground truth" of failure causes).
 *
 * <p>Position i of every array refers to example i of {@code data}. {@code corrupted} marks
 * the examples the scenario changed in any way (label or pixels); {@code labelChanged} marks
 * those whose label now differs from {@code originalLabels} (always a subset of
 * {@code corrupted}). {@code parameters} holds the scenario's settings as resolved for this
 * data (e.g. the noise type chosen from the channel count) and the seed, for spec.json.
 * Arrays are copied on the way in and out, so an instance cannot be changed after creation;
 * as the components are arrays, {@code equals} is identity: compare through the accessors.
 */
public record CorruptedData(ExampleSet data, boolean[] corrupted, boolean[] labelChanged, int[] originalLabels,
        String scenario, Map<String, Object> parameters) {

    public CorruptedData {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(scenario, "scenario");
        corrupted = corrupted.clone();
        labelChanged = labelChanged.clone();
        originalLabels = originalLabels.clone();
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        int n = data.size();
        if (corrupted.length != n || labelChanged.length != n || originalLabels.length != n) {
            throw new IllegalArgumentException("masks and original labels must have one entry per example (" + n + ")");
        }
        for (int i = 0; i < n; i++) {
            if (labelChanged[i] != (data.label(i) != originalLabels[i])) {
                throw new IllegalArgumentException("labelChanged[" + i + "] disagrees with the labels");
            }
            if (labelChanged[i] && !corrupted[i]) {
                throw new IllegalArgumentException("example " + i + " has a changed label but is not marked corrupted");
            }
        }
    }

    /** A data set with nothing corrupted (the "none" scenario). */
    static CorruptedData clean(ExampleSet data, String scenario, Map<String, Object> parameters) {
        int n = data.size();
        return new CorruptedData(data, new boolean[n], new boolean[n], data.labels(), scenario, parameters);
    }

    @Override
    public boolean[] corrupted() {
        return corrupted.clone();
    }

    @Override
    public boolean[] labelChanged() {
        return labelChanged.clone();
    }

    @Override
    public int[] originalLabels() {
        return originalLabels.clone();
    }

    /** Number of examples. */
    public int size() {
        return corrupted.length;
    }

    public boolean isCorrupted(int i) {
        return corrupted[i];
    }

    public boolean isLabelChanged(int i) {
        return labelChanged[i];
    }

    public int originalLabel(int i) {
        return originalLabels[i];
    }

    /** How many examples the scenario corrupted. */
    public int corruptedCount() {
        return count(corrupted);
    }

    /** How many examples carry a label other than their original one. */
    public int labelChangedCount() {
        return count(labelChanged);
    }

    /** Positions of the corrupted examples, ascending. */
    public int[] corruptedIndices() {
        return indices(corrupted);
    }

    /** Positions of the examples whose label changed, ascending. */
    public int[] labelChangedIndices() {
        return indices(labelChanged);
    }

    private static int count(boolean[] mask) {
        int c = 0;
        for (boolean b : mask) {
            if (b) {
                c++;
            }
        }
        return c;
    }

    private static int[] indices(boolean[] mask) {
        return IntStream.range(0, mask.length).filter(i -> mask[i]).toArray();
    }

    @Override
    public String toString() {
        return "CorruptedData[" + scenario + " " + parameters + ", " + corruptedCount() + " of " + size()
                + " corrupted, " + labelChangedCount() + " labels changed]";
    }
}
