package dev.amend.data;

import dev.amend.AmendException;
import java.util.Objects;

/**
 * A data set as loaded for a run: a training part and a test part with the same image shape
 * and classes, both non-empty, with at least two classes.
 *
 * @param name what the user asked for, as a canonical data spec (see {@link DataSpec})
 * @param train the training part (for {@code mnist}: the seeded pool, see {@link Splits#mnistPool})
 * @param test the test part
 * @param kind which known data set this is ({@link #MNIST}, {@link #FASHION_MNIST},
 *     {@link #CIFAR10}) or {@link #CUSTOM}, so scenarios can pick default class pairs
 */
public record LoadedData(String name, ExampleSet train, ExampleSet test, String kind) {
    public static final String MNIST = "mnist";
    public static final String FASHION_MNIST = "fashion-mnist";
    public static final String CIFAR10 = "cifar10";
    public static final String CUSTOM = "custom";

    public LoadedData {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(kind, "kind");
        // Every reader refuses an empty part the same way (docs/errors.md).
        if (train.size() == 0 || test.size() == 0) {
            throw new AmendException(name + ": the " + (train.size() == 0 ? "training" : "test")
                    + " part has no examples; amend needs both parts non-empty");
        }
        if (train.numClasses() < 2) {
            throw new AmendException(name + ": the data have one class"
                    + (train.numClasses() == 1 ? " (" + train.classNames().get(0) + ")" : "")
                    + "; a classifier needs at least 2");
        }
        if (!train.sameShapeAs(test)) {
            throw new AmendException(name + ": training data is " + train.shapeString() + " with "
                    + train.numClasses() + " classes but test data is " + test.shapeString() + " with "
                    + test.numClasses() + " classes");
        }
    }
}
