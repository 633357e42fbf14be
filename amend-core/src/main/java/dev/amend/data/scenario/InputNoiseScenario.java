package dev.amend.data.scenario;

import dev.amend.AmendException;
import dev.amend.data.ExampleSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random input noise ([T22] Section 4.1, "Random Input Noise"; docs/methods.md 4.2 item 2): exactly
 * round({@code fraction} * n_c) randomly chosen training images of each target class c get
 * pixel noise; labels are unchanged, so {@code labelChanged} is all false.
 *
 * <ul>
 *   <li>Salt-and-pepper: each pixel (all channels of a location together) is independently
 *       replaced, with probability {@code amount}, by 0 or 1 with equal odds.</li>
 *   <li>Gaussian: every value (each pixel and channel) becomes clip(x + N(0, sigma^2), 0, 1).</li>
 * </ul>
 * The paper names the noises but not their levels (docs/methods.md 7 item 5); the defaults
 * {@value #DEFAULT_AMOUNT} and {@value #DEFAULT_SIGMA} are the project's choice. Images are
 * expected in [0, 1], before any mean subtraction.
 *
 * <p>Randomness: {@code root = new SplittableRandom(seed)}; {@code root.split()} drives the
 * choice of images (see {@link PoisonScenario}, which uses the same first split, so both
 * scenarios pick the same images for the same seed), and a second {@code root.split()} draws the
 * noise, image by image in index order, value by value in memory order.
 */
public record InputNoiseScenario(List<Integer> classes, double fraction, NoiseType noise, double amount, double sigma)
        implements Scenario {
    public static final String NAME = "input-noise";
    public static final double DEFAULT_FRACTION = 0.3;
    public static final double DEFAULT_AMOUNT = 0.2;
    public static final double DEFAULT_SIGMA = 0.2;

    public InputNoiseScenario {
        classes = Checks.classes(classes);
        Checks.unitInterval("fraction", fraction);
        Checks.unitInterval("amount", amount);
        if (!(sigma >= 0 && Double.isFinite(sigma))) {
            throw new AmendException("option sigma must be a finite number >= 0, got " + sigma);
        }
        if (noise == null) {
            throw new AmendException("scenario " + NAME + " needs a noise type");
        }
    }

    /** The given target classes with every other setting at its default (noise chosen by channel count). */
    public static InputNoiseScenario of(List<Integer> classes) {
        return new InputNoiseScenario(classes, DEFAULT_FRACTION, NoiseType.AUTO, DEFAULT_AMOUNT, DEFAULT_SIGMA);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("classes", classes);
        p.put("fraction", fraction);
        p.put("noise", noise.specName());
        p.put("amount", amount);
        p.put("sigma", sigma);
        return Collections.unmodifiableMap(p);
    }

    @Override
    public CorruptedData apply(ExampleSet train, long seed) {
        Checks.requirePixels("input-noise", train);
        TargetSelection.checkClasses(classes, train);
        SplittableRandom root = new SplittableRandom(seed);
        boolean[] chosen = TargetSelection.choose(train, classes, fraction, root.split());
        SplittableRandom rng = root.split();
        NoiseType type = noise.resolve(train.channels());
        float[] x = train.pixels().clone();
        int d = train.imageSize();
        for (int i = 0; i < chosen.length; i++) {
            if (chosen[i]) {
                if (type == NoiseType.SALT_AND_PEPPER) {
                    saltAndPepper(x, i * d, train.channels(), train.height() * train.width(), rng);
                } else {
                    gaussian(x, i * d, d, rng);
                }
            }
        }
        Map<String, Object> params = new LinkedHashMap<>(parameters());
        params.put("noise", type.specName());
        params.put("seed", seed);
        return new CorruptedData(train.withImages(x), chosen, new boolean[chosen.length], train.labels(), NAME, params);
    }

    private void saltAndPepper(float[] x, int offset, int channels, int plane, SplittableRandom rng) {
        for (int p = 0; p < plane; p++) {
            if (rng.nextDouble() < amount) {
                float v = rng.nextBoolean() ? 1f : 0f;
                for (int c = 0; c < channels; c++) {
                    x[offset + c * plane + p] = v;
                }
            }
        }
    }

    private void gaussian(float[] x, int offset, int length, SplittableRandom rng) {
        for (int j = offset; j < offset + length; j++) {
            double v = x[j] + sigma * rng.nextGaussian();
            x[j] = (float) Math.min(1.0, Math.max(0.0, v));
        }
    }
}
