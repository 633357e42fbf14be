package dev.amend.data;

import dev.amend.AmendException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What {@code --data} names, parsed. The forms:
 *
 * <pre>
 * mnist                  the 10,000 embedded MNIST digits; train = a seeded pool of 3,000
 *                        (see {@link Splits#mnistPool}), test = the other 7,000
 * fashion-mnist[:DIR]    Fashion-MNIST IDX files in DIR (default {@value #FASHION_MNIST_DIR},
 *                        where Debian's package dataset-fashion-mnist installs them)
 * idx:TRAIN_IMAGES,TRAIN_LABELS,TEST_IMAGES,TEST_LABELS
 *                        any IDX files (gz or plain); classes "0".."k-1"
 * cifar10:DIR            CIFAR-10 binary batches (see {@link Cifar10Reader})
 * csv:TRAIN.csv,TEST.csv[,OPTION]
 *                        a label and the values per line (see {@link CsvReader}); OPTION
 *                        shape=CxHxW (or HxW) declares an image shape, features reads the
 *                        values as a feature vector; without it, square grey or RGB images
 * folder:DIR             DIR/train/CLASS/*.png|jpg and DIR/test/CLASS/... (see {@link ImageFolderReader})
 * </pre>
 *
 * The scheme is the text before the first colon, so paths may contain colons; paths in the
 * comma-separated forms may not contain commas. All forms except {@code mnist} and
 * {@code fashion-mnist} give {@link LoadedData#CUSTOM} data. Only {@code mnist} subsamples;
 * for the others the training part is the whole training file (use
 * {@link Splits#sample} to draw from it).
 *
 * @param scheme the form, one of {@link #SCHEMES}
 * @param arguments the paths after the colon (empty for {@code mnist}; for
 *     {@code fashion-mnist} the folder, defaulted when not given)
 */
public record DataSpec(String scheme, List<String> arguments) {
    public static final List<String> SCHEMES = List.of("mnist", "fashion-mnist", "idx", "cifar10", "csv", "folder");
    public static final String FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";
    public static final int DEFAULT_MNIST_POOL = 3000;
    public static final List<String> FASHION_MNIST_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    // The digits live in the amend-mnist artifact (amend-mnist/pom.xml says why), found on the class path.
    static final String MNIST_RESOURCE = "/dev/amend/data/mnist/";
    private static final String VALID = "mnist, fashion-mnist[:DIR], idx:TRAIN_IMAGES,TRAIN_LABELS,TEST_IMAGES,"
            + "TEST_LABELS, cifar10:DIR, csv:TRAIN.csv,TEST.csv[,shape=CxHxW|,features], folder:DIR";

    public DataSpec {
        arguments = List.copyOf(arguments);
    }

    /** Parses a {@code --data} value; an unknown or malformed one raises an {@link AmendException}. */
    public static DataSpec parse(String text) {
        String spec = text == null ? "" : text.strip();
        int colon = spec.indexOf(':');
        String scheme = (colon < 0 ? spec : spec.substring(0, colon)).toLowerCase(Locale.ROOT);
        String rest = colon < 0 ? null : spec.substring(colon + 1).strip();
        return switch (scheme) {
            case "mnist" -> {
                if (rest != null) {
                    throw new AmendException("--data mnist takes no path (the digits are built in); got '" + spec + "'");
                }
                yield new DataSpec(scheme, List.of());
            }
            case "fashion-mnist" -> new DataSpec(scheme, List.of(rest == null || rest.isEmpty() ? FASHION_MNIST_DIR : rest));
            case "idx" -> new DataSpec(scheme, paths(spec, rest, 4, "TRAIN_IMAGES,TRAIN_LABELS,TEST_IMAGES,TEST_LABELS"));
            case "cifar10" -> new DataSpec(scheme, paths(spec, rest, 1, "DIR"));
            case "csv" -> csv(spec, rest);
            case "folder" -> new DataSpec(scheme, paths(spec, rest, 1, "DIR"));
            default -> throw new AmendException("unknown data '" + spec + "'; valid: " + VALID);
        };
    }

    /** The files or folders this spec reads (none for {@code mnist}). */
    public List<Path> paths() {
        return scheme.equals("mnist") ? List.of() : pathArguments().stream().map(Path::of).toList();
    }

    // The arguments that are paths: all but a csv layout option.
    private List<String> pathArguments() {
        return scheme.equals("csv") ? arguments.subList(0, 2) : arguments;
    }

    /** For {@code csv}: how its lines are read (square images unless an option says otherwise). */
    public CsvReader.Layout csvLayout() {
        return scheme.equals("csv") && arguments.size() > 2 ? CsvReader.Layout.parse(arguments.get(2))
                : CsvReader.Layout.SQUARE;
    }

    /**
     * This spec with every path made absolute against the current folder, so that a run that
     * records it can be used from any folder (docs/runs.md). A path whose absolute form contains
     * a comma cannot be written in the comma-separated forms and is kept as given.
     */
    public DataSpec absolute() {
        if (scheme.equals("mnist")) {
            return this;
        }
        List<String> resolved = new java.util.ArrayList<>(pathArguments().stream().map(a -> {
            String full = Path.of(a).toAbsolutePath().normalize().toString();
            return full.contains(",") ? a : full;
        }).toList());
        resolved.addAll(arguments.subList(resolved.size(), arguments.size()));
        return new DataSpec(scheme, resolved);
    }

    /** The canonical text of this spec; {@code parse(toString())} gives an equal spec. */
    @Override
    public String toString() {
        return arguments.isEmpty() ? scheme : scheme + ":" + String.join(",", arguments);
    }

    /**
     * The training pool a data set gets when none is asked for: {@value #DEFAULT_MNIST_POOL}
     * digits of the embedded MNIST, all of any other data set (0).
     */
    public int defaultPoolSize() {
        return scheme.equals("mnist") ? DEFAULT_MNIST_POOL : 0;
    }

    /** Loads the data, with its default pool ({@link #defaultPoolSize}, seed 0). */
    public LoadedData load() {
        return load(defaultPoolSize(), 0L);
    }

    /**
     * Loads the data.
     *
     * @param poolSize for {@code mnist}: how many of the 10,000 digits to draw for training (the
     *     rest are the test set); for every other data set: how many training examples to keep, a
     *     seeded draw in file order, with 0 (or the whole size or more) keeping all of them; the
     *     test set is never cut (docs/data.md)
     * @param seed the seed of that draw
     */
    public LoadedData load(int poolSize, long seed) {
        if (scheme.equals("mnist")) {
            Splits.Split split = Splits.mnistPool(embeddedMnist(), poolSize, seed);
            return new LoadedData(toString(), split.kept(), split.heldOut(), LoadedData.MNIST);
        }
        if (poolSize < 0) {
            throw new AmendException("the training subset size must be 0 (all) or more, got " + poolSize);
        }
        LoadedData whole = loadWhole();
        if (poolSize == 0 || poolSize >= whole.train().size()) {
            return whole;
        }
        return new LoadedData(whole.name(), Splits.sample(whole.train(), poolSize, seed), whole.test(), whole.kind());
    }

    /** The whole of a data set other than {@code mnist}. */
    private LoadedData loadWhole() {
        String name = toString();
        return switch (scheme) {
            case "fashion-mnist" -> fashionMnist(Path.of(arguments.get(0)), name);
            case "idx" -> idx(name);
            case "cifar10" -> Cifar10Reader.read(Path.of(arguments.get(0)));
            case "csv" -> CsvReader.read(Path.of(arguments.get(0)), Path.of(arguments.get(1)), csvLayout());
            case "folder" -> ImageFolderReader.read(Path.of(arguments.get(0)));
            default -> throw new IllegalStateException("scheme " + scheme + " was not rejected by parse");
        };
    }

    /** All 10,000 embedded MNIST digits; row i is record i of the embedded IDX files. */
    public static ExampleSet embeddedMnist() {
        IdxReader.Images images = resource("images-idx3-ubyte.gz", IdxReader::readImages);
        int[] labels = resource("labels-idx1-ubyte.gz", IdxReader::readLabels);
        return IdxReader.combine(images, "embedded MNIST images", labels, "embedded MNIST labels",
                ExampleSet.numberedClasses(10));
    }

    private interface ResourceReader<T> {
        T read(String name, InputStream in);
    }

    private static <T> T resource(String file, ResourceReader<T> reader) {
        String path = MNIST_RESOURCE + file;
        try (InputStream in = DataSpec.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new AmendException("the embedded MNIST digits (" + path + ") are not on the class path:"
                        + " add the artifact dev.amend:amend-mnist, or choose another data set");
            }
            return reader.read("embedded " + file, in);
        } catch (IOException e) {
            throw ReaderSupport.ioError(path, e);
        }
    }

    private LoadedData idx(String name) {
        Path trainImages = Path.of(arguments.get(0));
        Path trainLabels = Path.of(arguments.get(1));
        Path testImages = Path.of(arguments.get(2));
        Path testLabels = Path.of(arguments.get(3));
        int[] trainY = IdxReader.readLabels(trainLabels);
        int[] testY = IdxReader.readLabels(testLabels);
        // One class list for both parts, even if the test file lacks the highest class.
        List<String> classes = ReaderSupport.classesOfParts(trainY, trainLabels.toString(), testY,
                testLabels.toString());
        ExampleSet train = IdxReader.combine(IdxReader.readImages(trainImages), trainImages.toString(), trainY,
                trainLabels.toString(), classes);
        ExampleSet test = IdxReader.combine(IdxReader.readImages(testImages), testImages.toString(), testY,
                testLabels.toString(), classes);
        return new LoadedData(name, train, test, LoadedData.CUSTOM);
    }

    private static LoadedData fashionMnist(Path dir, String name) {
        if (!Files.isDirectory(dir)) {
            throw new AmendException("Fashion-MNIST not found: folder " + dir + " does not exist; run"
                    + " scripts/install-fashion-mnist.sh or give fashion-mnist:DIR");
        }
        ExampleSet train = IdxReader.read(fashionFile(dir, "train-images-idx3-ubyte"),
                fashionFile(dir, "train-labels-idx1-ubyte"), FASHION_MNIST_CLASSES);
        ExampleSet test = IdxReader.read(fashionFile(dir, "t10k-images-idx3-ubyte"),
                fashionFile(dir, "t10k-labels-idx1-ubyte"), FASHION_MNIST_CLASSES);
        return new LoadedData(name, train, test, LoadedData.FASHION_MNIST);
    }

    // The files ship gzipped; accept them unpacked as well.
    private static Path fashionFile(Path dir, String base) {
        for (String candidate : List.of(base + ".gz", base)) {
            Path file = dir.resolve(candidate);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        throw new AmendException("Fashion-MNIST not found: " + dir.resolve(base + ".gz") + " is missing; run"
                + " scripts/install-fashion-mnist.sh or give fashion-mnist:DIR");
    }

    // Two paths and at most one layout option, kept in its canonical form.
    private static DataSpec csv(String spec, String rest) {
        List<String> parts = rest == null ? List.of() : Arrays.stream(rest.split(",", -1)).map(String::strip).toList();
        if (parts.size() == 3) {
            String option = CsvReader.Layout.parse(parts.get(2)).option();
            List<String> paths = paths(spec, String.join(",", parts.subList(0, 2)), 2, "TRAIN.csv,TEST.csv[,OPTION]");
            return new DataSpec("csv", option == null ? paths : List.of(paths.get(0), paths.get(1), option));
        }
        return new DataSpec("csv", paths(spec, rest, 2, "TRAIN.csv,TEST.csv[,OPTION]"));
    }

    private static List<String> paths(String spec, String rest, int count, String form) {
        List<String> parts = rest == null ? List.of() : Arrays.stream(rest.split(",", -1)).map(String::strip).toList();
        if (parts.size() != count || parts.stream().anyMatch(String::isEmpty)) {
            String scheme = spec.substring(0, spec.indexOf(':') < 0 ? spec.length() : spec.indexOf(':'));
            throw new AmendException("--data " + scheme + " needs " + scheme + ":" + form + "; got '" + spec + "'");
        }
        return parts;
    }
}
