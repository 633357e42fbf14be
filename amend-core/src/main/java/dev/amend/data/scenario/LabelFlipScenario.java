package dev.amend.data.scenario;

import dev.amend.AmendException;
import dev.amend.data.ExampleSet;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Class-dependent label noise ([T22] Section 4.1, "Annotation Noise": labels flipped between
 * semantically similar classes; docs/methods.md 4.2 item 1): every training example whose label is
 * the source class of a pair (either class of a two-way pair) gets the other class of that pair
 * with probability {@code rate}, independently of all other examples. The defaults are one-way
 * (MNIST 1 -> 7): two-way flips at 0.45 leave both classes' labels nearly a coin toss and the
 * model's decision between them on a knife edge that any further training tips (measured in
 * docs/results.md). Pixels are untouched; {@code corrupted} and
 * {@code labelChanged} are the same mask.
 *
 * <p>The paper gives its flip rates only as a figure (Fig. 2a); the project default is
 * {@value #DEFAULT_RATE} (docs/methods.md 4.2 explains why not less). A class may belong to at most one
 * pair, so that its partner is unambiguous.
 *
 * <p>Randomness: one {@code new SplittableRandom(seed)}; examples are visited in index order and
 * one {@code nextDouble()} is drawn for each example of a paired class only.
 */
public record LabelFlipScenario(List<ClassPair> pairs, double rate) implements Scenario {
    public static final String NAME = "label-flip";
    public static final double DEFAULT_RATE = 0.45;

    public LabelFlipScenario {
        pairs = List.copyOf(pairs);
        if (pairs.isEmpty()) {
            throw new AmendException("scenario " + NAME + " needs at least one class pair");
        }
        for (int i = 0; i < pairs.size(); i++) {
            for (int j = 0; j < i; j++) {
                ClassPair p = pairs.get(i);
                ClassPair q = pairs.get(j);
                if (q.contains(p.first()) || q.contains(p.second())) {
                    throw new AmendException("class pairs " + q + " and " + p + " share a class; each class may be in one pair only");
                }
            }
        }
        Checks.unitInterval("rate", rate);
    }

    /** The given pairs at the default rate. */
    public static LabelFlipScenario of(List<ClassPair> pairs) {
        return new LabelFlipScenario(pairs, DEFAULT_RATE);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("pairs", pairs.stream().map(ClassPair::toString).toList());
        p.put("rate", rate);
        return Collections.unmodifiableMap(p);
    }

    @Override
    public CorruptedData apply(ExampleSet train, long seed) {
        int[] partner = new int[train.numClasses()];
        Arrays.fill(partner, -1);
        for (ClassPair p : pairs) {
            TargetSelection.checkClasses(List.of(p.first(), p.second()), train);
            partner[p.first()] = p.second();
            if (!p.oneWay()) {
                partner[p.second()] = p.first();
            }
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int[] original = train.labels();
        int[] labels = original.clone();
        boolean[] flipped = new boolean[labels.length];
        for (int i = 0; i < labels.length; i++) {
            int to = partner[original[i]];
            if (to >= 0 && rng.nextDouble() < rate) {
                labels[i] = to;
                flipped[i] = true;
            }
        }
        Map<String, Object> params = new LinkedHashMap<>(parameters());
        params.put("seed", seed);
        return new CorruptedData(train.withLabels(labels), flipped, flipped, original, NAME, params);
    }
}
