package dev.amend.data.scenario;

/**
 * A trained model that a {@link PoisonScenario} crafts adversarial images against ([T22]
 * Section 4.1, "Adversarial Poisoning": victims trained on the clean data set). Models are
 * trained elsewhere; this is the little a poisoning attack needs from one.
 *
 * <p>Images use the {@link dev.amend.data.ExampleSet} layout and scale: {@code n} images of
 * C x H x W values in [0, 1], concatenated; a victim applies its own normalisation (e.g. mean
 * subtraction) inside. Both methods must be deterministic and must not modify their arguments.
 */
public interface Victim {
    /** The predicted class argmax_k p(k | x) of each of the {@code n} images; length {@code n}. */
    int[] predict(float[] images, int n);

    /**
     * The gradient of the loss -log p(y | x) with respect to the input pixels x (in [0, 1]
     * units) of each of the {@code n} images with its label; same length and layout as
     * {@code images}.
     */
    float[] inputLossGradient(float[] images, int[] labels, int n);
}
