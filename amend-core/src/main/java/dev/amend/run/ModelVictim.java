package dev.amend.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.amend.data.ExampleSet;
import dev.amend.data.scenario.Victim;
import dev.amend.model.ModelHandle;
import dev.amend.model.ModelSpec;

/**
 * A trained {@link ModelHandle} as the victim of FGSM poisoning (docs/methods.md 4.2 item 3): its
 * predictions and the gradient of each image's loss with respect to its raw pixels. The
 * model's mean subtraction is a shift, so the gradient with respect to the centred input the
 * network sees is the gradient with respect to the raw pixels.
 */
public final class ModelVictim implements Victim {
    // Bounds the activations kept for one backward pass (the paper's CNN: about 100 MB at 250).
    private static final int CHUNK = 250;

    private final ModelHandle model;

    public ModelVictim(ModelHandle model) {
        this.model = model;
    }

    @Override
    public int[] predict(float[] images, int n) {
        return model.evaluate(asData(images, new int[n])).predictions();
    }

    @Override
    public float[] inputLossGradient(float[] images, int[] labels, int n) {
        ExampleSet data = asData(images, labels);
        float[] gradient = new float[images.length];
        int d = data.imageSize();
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
        try {
            for (int from = 0; from < n; from += CHUNK) {
                int to = Math.min(n, from + CHUNK);
                try (NDManager scope = model.newScope()) {
                    NDArray x = model.inputs(scope, data, from, to);
                    x.setRequiresGradient(true);
                    // The images are independent, so the gradient of the summed loss holds each image's own gradient.
                    NDArray loss = ModelHandle.perExampleLoss(model.logits(x), ModelHandle.labels(scope, data, from, to))
                            .sum();
                    JniUtils.backward((PtNDArray) loss, (PtNDArray) loss.onesLike(), false, false);
                    float[] g = x.getGradient().toType(DataType.FLOAT32, false).toFloatArray();
                    System.arraycopy(g, 0, gradient, from * d, g.length);
                }
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
        return gradient;
    }

    private ExampleSet asData(float[] images, int[] labels) {
        ModelSpec spec = model.spec();
        return new ExampleSet(images, labels, new int[labels.length], spec.channels(), spec.height(), spec.width(),
                spec.classNames());
    }
}
