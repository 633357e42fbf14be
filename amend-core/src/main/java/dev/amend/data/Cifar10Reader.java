package dev.amend.data;

import dev.amend.AmendException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads CIFAR-10 in its binary version: a folder with {@code data_batch_1.bin} ..
 * {@code data_batch_5.bin} (training) and {@code test_batch.bin} (test), or the
 * {@code cifar-10-batches-bin} folder inside it. Each record is one label byte followed by
 * 3072 pixel bytes: the 32x32 red, green and blue planes, which is the 3 x 32 x 32 layout of
 * {@link ExampleSet}. Pixels are byte / 255.
 *
 * <p>Rows number the records across the files in order: training rows 0..9999 are
 * {@code data_batch_1.bin}, 10000..19999 {@code data_batch_2.bin}, and so on; test rows are
 * the records of {@code test_batch.bin}. Class names come from {@code batches.meta.txt} when
 * present (one per line), otherwise {@link #CLASS_NAMES}.
 */
public final class Cifar10Reader {
    public static final List<String> CLASS_NAMES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog",
            "frog", "horse", "ship", "truck");
    static final String SUBFOLDER = "cifar-10-batches-bin";
    private static final int SIDE = 32;
    private static final int CHANNELS = 3;
    private static final int IMAGE_BYTES = CHANNELS * SIDE * SIDE;
    private static final int RECORD_BYTES = 1 + IMAGE_BYTES;
    private static final int TRAIN_BATCHES = 5;

    private Cifar10Reader() {
    }

    /** The training batches and the test batch of the folder {@code dir}. */
    public static LoadedData read(Path dir) {
        Path base = batchFolder(dir);
        List<String> classNames = classNames(base);
        List<Path> trainFiles = new ArrayList<>();
        for (int b = 1; b <= TRAIN_BATCHES; b++) {
            trainFiles.add(base.resolve("data_batch_" + b + ".bin"));
        }
        ExampleSet train = readBatches(trainFiles, classNames);
        ExampleSet test = readBatches(List.of(base.resolve("test_batch.bin")), classNames);
        return new LoadedData("cifar10:" + dir, train, test, LoadedData.CIFAR10);
    }

    /** The records of the given batch files, in order, as one data set. */
    public static ExampleSet readBatches(List<Path> files, List<String> classNames) {
        long records = 0;
        for (Path file : files) {
            records += recordCount(file);
        }
        if (records * IMAGE_BYTES > Integer.MAX_VALUE - 8) {
            throw new AmendException(files + " hold " + records + " images, more than amend can hold in one array");
        }
        int n = (int) records;
        float[] pixels = new float[n * IMAGE_BYTES];
        int[] labels = new int[n];
        int next = 0;
        for (Path file : files) {
            byte[] bytes = ReaderSupport.read(file, in -> in.readAllBytes());
            for (int r = 0; r < bytes.length / RECORD_BYTES; r++, next++) {
                int offset = r * RECORD_BYTES;
                int label = bytes[offset] & 0xff;
                if (label >= classNames.size()) {
                    throw new AmendException(file + " record " + r + " has label " + label + ", expected 0.."
                            + (classNames.size() - 1));
                }
                labels[next] = label;
                int target = next * IMAGE_BYTES;
                for (int k = 0; k < IMAGE_BYTES; k++) {
                    pixels[target + k] = (bytes[offset + 1 + k] & 0xff) / 255f;
                }
            }
        }
        return ExampleSet.of(pixels, labels, CHANNELS, SIDE, SIDE, classNames);
    }

    private static long recordCount(Path file) {
        ReaderSupport.requireFile(file);
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw ReaderSupport.ioError(file.toString(), e);
        }
        if (size == 0) {
            throw new AmendException(file + " is empty");
        }
        if (size % RECORD_BYTES != 0) {
            throw new AmendException(file + " is truncated or not a CIFAR-10 batch: " + size
                    + " bytes is not a whole number of " + RECORD_BYTES + "-byte records");
        }
        return size / RECORD_BYTES;
    }

    // Users point at either the folder they unpacked into or the batch folder itself.
    private static Path batchFolder(Path dir) {
        ReaderSupport.requireFolder(dir);
        if (Files.exists(dir.resolve("data_batch_1.bin")) || !Files.isDirectory(dir.resolve(SUBFOLDER))) {
            return dir;
        }
        return dir.resolve(SUBFOLDER);
    }

    private static List<String> classNames(Path base) {
        Path meta = base.resolve("batches.meta.txt");
        if (!Files.isRegularFile(meta)) {
            return CLASS_NAMES;
        }
        List<String> names = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(meta, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    names.add(line.strip());
                }
            }
        } catch (IOException e) {
            throw ReaderSupport.ioError(meta.toString(), e);
        }
        if (names.size() != CLASS_NAMES.size()) {
            throw new AmendException(meta + " names " + names.size() + " classes, expected " + CLASS_NAMES.size());
        }
        return names;
    }
}
