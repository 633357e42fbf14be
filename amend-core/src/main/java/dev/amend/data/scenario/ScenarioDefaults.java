package dev.amend.data.scenario;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The per-data-set defaults of the scenarios ([T22] Section 4.1; docs/methods.md Section 4.2).
 * A data kind is matched ignoring case, '-' and '_' ("cifar10", "CIFAR-10", "fashion_mnist"
 * all work); for any other kind there are no defaults and the user must give the classes.
 *
 * <p>MNIST and CIFAR-10 follow the paper. Fashion-MNIST is not in the paper; the project
 * mirrors the paper's choices there: the flip Shirt(6) -&gt; T-shirt/top(0) is within its most
 * confused pair, and the noise targets {T-shirt/top 0, Shirt 6, Sneaker 7, Ankle boot 9} are
 * two look-alike pairs, like MNIST's {1, 7} and {6, 9}, covering 40% of the classes.
 */
public final class ScenarioDefaults {
    private ScenarioDefaults() {
    }

    /**
     * Default label flips, one-way (docs/methods.md 4.2): MNIST 1 -&gt; 7, CIFAR-10 cat(3) -&gt; dog(5),
     * Fashion-MNIST Shirt(6) -&gt; T-shirt/top(0).
     */
    public static Optional<List<ClassPair>> flipPairs(String dataKind) {
        return switch (normalise(dataKind)) {
            case "mnist" -> Optional.of(List.of(ClassPair.oneWay(1, 7)));
            case "cifar10" -> Optional.of(List.of(ClassPair.oneWay(3, 5)));
            case "fashionmnist" -> Optional.of(List.of(ClassPair.oneWay(6, 0)));
            default -> Optional.empty();
        };
    }

    /**
     * Default target classes of input noise and poisoning: MNIST {1, 6, 7, 9}, CIFAR-10
     * {airplane 0, bird 2, cat 3, dog 5}, Fashion-MNIST {0, 6, 7, 9}; ascending.
     */
    public static Optional<List<Integer>> targetClasses(String dataKind) {
        return switch (normalise(dataKind)) {
            case "mnist" -> Optional.of(List.of(1, 6, 7, 9));
            case "cifar10" -> Optional.of(List.of(0, 2, 3, 5));
            case "fashionmnist" -> Optional.of(List.of(0, 6, 7, 9));
            default -> Optional.empty();
        };
    }

    private static String normalise(String dataKind) {
        return dataKind == null ? "" : dataKind.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }
}
