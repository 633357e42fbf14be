package dev.amend.data.scenario;

import dev.amend.data.ExampleSet;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Adversarial poisoning with the fast gradient sign method ([T22] Section 4.1, "Adversarial
 * Poisoning", FGSM of Goodfellow et al. [T22 ref. 43]; docs/methods.md 4.2 item 3). The same images
 * as {@link InputNoiseScenario} are chosen (round(fraction * n_c) per target class); each gets
 * one victim, drawn uniformly, and is replaced by
 * <pre>
 *   x_adv = clip(x + eps * sign(grad_x -log p(y | x; victim)), 0, 1)
 * </pre>
 * (sign(0) = 0: a pixel with zero gradient stays) and labelled y_new = argmax_k p(k | x_adv; victim).
 * {@code corrupted} marks every poisoned image, {@code labelChanged} those with y_new != y.
 *
 * <p>Randomness: {@code root = new SplittableRandom(seed)}; the first {@code root.split()}
 * chooses the images exactly as in {@link InputNoiseScenario}, the second draws one
 * {@code nextInt(victims)} per poisoned image in index order. Victims are called in batches of
 * at most {@value #BATCH} images, so that a network on an accelerator stays within its memory.
 */
public final class PoisonScenario implements Scenario {
    public static final String NAME = "poison";
    static final int BATCH = 256;

    private final PoisonOptions options;
    private final List<Victim> victims;

    /** Poisoning with these settings against these trained victims ({@code options.victims()} of them). */
    public PoisonScenario(PoisonOptions options, List<Victim> victims) {
        this.options = Objects.requireNonNull(options, "options");
        this.victims = List.copyOf(victims);
        if (this.victims.size() != options.victims()) {
            throw new IllegalArgumentException("poisoning was set up for " + options.victims() + " victims but got "
                    + this.victims.size());
        }
    }

    public PoisonOptions options() {
        return options;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> parameters() {
        return options.parameters();
    }

    @Override
    public CorruptedData apply(ExampleSet train, long seed) {
        Checks.requirePixels("poison", train);
        TargetSelection.checkClasses(options.classes(), train);
        SplittableRandom root = new SplittableRandom(seed);
        boolean[] chosen = TargetSelection.choose(train, options.classes(), options.fraction(), root.split());
        SplittableRandom pick = root.split();
        int[] victimOf = new int[chosen.length];
        Arrays.fill(victimOf, -1);
        for (int i = 0; i < chosen.length; i++) {
            if (chosen[i]) {
                victimOf[i] = pick.nextInt(victims.size());
            }
        }
        double eps = options.epsFor(train.channels());
        float[] x = train.pixels().clone();
        int[] labels = train.labels();
        for (int v = 0; v < victims.size(); v++) {
            int vv = v;
            int[] mine = IntStream.range(0, chosen.length).filter(i -> victimOf[i] == vv).toArray();
            for (int from = 0; from < mine.length; from += BATCH) {
                attack(victims.get(v), Arrays.copyOfRange(mine, from, Math.min(mine.length, from + BATCH)), (float) eps, x, labels,
                        train);
            }
        }
        int[] original = train.labels();
        boolean[] changed = new boolean[labels.length];
        for (int i = 0; i < changed.length; i++) {
            changed[i] = labels[i] != original[i];
        }
        Map<String, Object> params = new LinkedHashMap<>(parameters());
        params.put("eps", eps);
        params.put("seed", seed);
        return new CorruptedData(train.withImages(x).withLabels(labels), chosen, changed, original, NAME, params);
    }

    /** Replaces the images and labels at {@code idx} (in {@code x}, {@code labels}) by the FGSM image and the victim's label. */
    private static void attack(Victim victim, int[] idx, float eps, float[] x, int[] labels, ExampleSet train) {
        int n = idx.length;
        int d = train.imageSize();
        float[] batch = new float[n * d];
        int[] y = new int[n];
        for (int j = 0; j < n; j++) {
            System.arraycopy(x, idx[j] * d, batch, j * d, d);
            y[j] = labels[idx[j]];
        }
        float[] grad = victim.inputLossGradient(batch, y, n);
        if (grad == null || grad.length != batch.length) {
            throw new IllegalStateException("victim returned a gradient of length " + (grad == null ? 0 : grad.length)
                    + " for " + n + " images of " + d + " values");
        }
        for (int k = 0; k < batch.length; k++) {
            if (!Float.isFinite(grad[k])) {
                throw new IllegalStateException("victim returned a non-finite input gradient");
            }
            batch[k] = Math.min(1f, Math.max(0f, batch[k] + eps * Math.signum(grad[k])));
        }
        int[] predicted = victim.predict(batch, n);
        if (predicted == null || predicted.length != n) {
            throw new IllegalStateException("victim returned " + (predicted == null ? 0 : predicted.length)
                    + " predictions for " + n + " images");
        }
        for (int j = 0; j < n; j++) {
            if (predicted[j] < 0 || predicted[j] >= train.numClasses()) {
                throw new IllegalStateException("victim predicted class " + predicted[j] + " outside the "
                        + train.numClasses() + " classes");
            }
            System.arraycopy(batch, j * d, x, idx[j] * d, d);
            labels[idx[j]] = predicted[j];
        }
    }
}
