package dev.amend.run.format;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.amend.AmendException;
import dev.amend.data.DataSpec;
import dev.amend.data.DatasetStore;
import dev.amend.data.ExampleSet;
import dev.amend.data.scenario.CorruptedData;
import dev.amend.identify.RankingIo;
import dev.amend.model.ModelHandle;
import dev.amend.model.ModelStore;
import dev.amend.provenance.Provenance;
import dev.amend.provenance.RunFiles;
import dev.amend.run.FailureSets;
import dev.amend.run.LoadedRun;
import dev.amend.run.TrainRunResult;
import dev.amend.train.EpochRecord;
import dev.amend.util.AtomicFolders;
import dev.amend.util.FileChecks;
import dev.amend.util.Json;
import dev.amend.util.OutputOwner;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;
import java.util.zip.CRC32C;

/**
 * The folder of a training run (layout in docs/runs.md): the model, the data it was trained on,
 * the ground-truth mask, the splits as rows of the user's files, spec, provenance, metrics and
 * the epoch history. {@link #write} creates it atomically (all files or none);
 * {@link #load} reads it back as a {@link LoadedRun}.
 */
public final class RunDirectory {
    public static final String MODEL = "model";

    /**
     * Where the model of {@code path} is: a run folder holds it one level down ({@value #MODEL}/),
     * a model folder or a TorchScript file is the model itself; both are accepted wherever a
     * model is asked for.
     */
    public static Path modelFolder(Path path) {
        return !dev.amend.model.ModelStore.isModelFolder(path)
                && dev.amend.model.ModelStore.isModelFolder(path.resolve(MODEL)) ? path.resolve(MODEL) : path;
    }
    public static final String TRAIN_DATA = "train-data.bin";
    public static final String VALIDATION_DATA = "validation-data.bin";
    public static final String MASK = "mask.csv";
    public static final String SPLITS = "splits";
    public static final String METRICS = "metrics.json";
    public static final String HISTORY = "history.csv";
    /** Split files: D and validation name rows of the training file, the others rows of the test file. */
    public static final String D = "D.txt";
    public static final String VALIDATION = "validation.txt";
    public static final String F = "F.txt";
    public static final String F_Q = "F_q.txt";
    public static final String F_H = "F_h.txt";
    public static final String T_MINUS_F = "T_minus_F.txt";

    private static final String MASK_HEADER = "position,row,label,original_label,corrupted,label_changed";
    private static final String HISTORY_HEADER = "epoch,train_loss,val_accuracy,val_loss,seconds";
    private static final int FINGERPRINT_CHUNK = 1 << 16;

    private RunDirectory() {
    }

    /**
     * Writes the run into {@code folder}: into a hidden temporary sibling first, renamed into
     * place when complete. An earlier training run in {@code folder} is replaced; any other
     * non-empty folder is refused.
     */
    public static void write(Path folder, TrainRunResult run, Provenance provenance) {
        Objects.requireNonNull(provenance, "provenance");
        AtomicFolders.write(folder, "run folder", RunDirectory::isRunFolder, tmp -> {
            RunFiles.writeSpec(tmp, run.spec());
            RunFiles.writeProvenance(tmp, provenance);
            ModelStore.save(run.model(), tmp.resolve(MODEL));
            DatasetStore.save(run.train(), tmp.resolve(TRAIN_DATA));
            DatasetStore.save(run.validation(), tmp.resolve(VALIDATION_DATA));
            Files.writeString(tmp.resolve(MASK), maskCsv(run.corruption()));
            Path splits = Files.createDirectories(tmp.resolve(SPLITS));
            Files.writeString(splits.resolve(D), lines(run.train().rows()));
            Files.writeString(splits.resolve(VALIDATION), lines(run.validation().rows()));
            FailureSets f = run.failures();
            Files.writeString(splits.resolve(F), testRows(run.test(), f.failures()));
            Files.writeString(splits.resolve(F_Q), testRows(run.test(), f.query()));
            Files.writeString(splits.resolve(F_H), testRows(run.test(), f.holdout()));
            Files.writeString(splits.resolve(T_MINUS_F), testRows(run.test(), f.remaining()));
            Files.writeString(tmp.resolve(HISTORY), historyCsv(run.training().history()));
            RunFiles.writeJson(tmp.resolve(METRICS), run.metrics());
        });
    }

    /**
     * Whether {@code folder} looks like a training run: spec.json, a model folder and the
     * training data (a treat or repair result has the first two but not the data).
     */
    public static boolean isRunFolder(Path folder) {
        return Files.isRegularFile(folder.resolve(RunFiles.SPEC)) && Files.isDirectory(folder.resolve(MODEL))
                && Files.isRegularFile(folder.resolve(TRAIN_DATA));
    }

    /**
     * Reads a run written by {@link #write}. The test set is loaded again from the data spec in
     * spec.json and must be the one the run was evaluated on (checked by fingerprint).
     */
    public static LoadedRun load(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new AmendException("no run in " + folder + ": " + (Files.exists(folder)
                    ? "it is a file, not a run folder" : "the folder does not exist"));
        }
        if (!isRunFolder(folder) && OutputOwner.of(folder) != null) {
            throw new AmendException(otherOutput(folder, OutputOwner.of(folder)));
        }
        if (ModelStore.isModelFolder(folder)) {
            Path parent = folder.toAbsolutePath().normalize().getParent();
            throw new AmendException(folder + " is a model folder, not a training run: give it to --model (with"
                    + " --data)" + (parent != null && isRunFolder(parent) ? ", or give --run the run that holds it, "
                            + parent : ""));
        }
        if (!ModelStore.isModelFolder(folder.resolve(MODEL))) {
            throw new AmendException("no model in " + folder + ": " + MODEL + "/" + ModelStore.MODEL_JSON + " missing");
        }
        TrainRunSpec spec = readSpec(folder.resolve(RunFiles.SPEC));
        Path metricsFile = folder.resolve(METRICS);
        if (!Files.isRegularFile(metricsFile)) {
            throw new AmendException(folder + " is not a complete run: " + METRICS + " missing");
        }
        TrainMetrics metrics = Json.read(metricsFile, TrainMetrics.class);
        ExampleSet train = DatasetStore.load(folder.resolve(TRAIN_DATA));
        ExampleSet validation = DatasetStore.load(folder.resolve(VALIDATION_DATA));
        CorruptedData corruption = readMask(folder.resolve(MASK), train, metrics.scenario());

        DataSpec data = DataSpec.parse(spec.data());
        requireData(folder, data);
        ExampleSet test = data.load(spec.poolSize(), spec.dataSeed()).test();
        if (!fingerprint(test).equals(metrics.testFingerprint())) {
            throw new AmendException("the test data of " + spec.data() + " changed since the run in " + folder
                    + " was trained; its failure sets no longer apply");
        }
        Path splits = folder.resolve(SPLITS);
        Map<Integer, Integer> positionOfRow = new HashMap<>();
        for (int i = 0; i < test.size(); i++) {
            positionOfRow.put(test.row(i), i);
        }
        int[] failures = positions(splits.resolve(F), positionOfRow);
        int[] remaining = positions(splits.resolve(T_MINUS_F), positionOfRow);
        boolean[] listed = new boolean[test.size()];
        for (int i : failures) {
            listed[i] = true;
        }
        for (int i : remaining) {
            listed[i] = true;
        }
        int[] other = IntStream.range(0, test.size()).filter(i -> !listed[i]).toArray();
        FailureSets sets = new FailureSets(failures, positions(splits.resolve(F_Q), positionOfRow),
                positions(splits.resolve(F_H), positionOfRow), remaining, other,
                metrics.failures().restrictedToClasses());
        // Loaded last: the native model is only allocated once every file has been read.
        ModelHandle model = ModelStore.load(folder.resolve(MODEL));
        return new LoadedRun(folder, spec, model, train, validation, test, corruption, sets, metrics);
    }

    /**
     * Why {@code folder}, written by {@code amend <command>}, is no training run, and what in it
     * may be what the user meant: the model of a repair or treatment, the ranking of an
     * identification.
     */
    private static String otherOutput(Path folder, String command) {
        Path parent = folder.toAbsolutePath().normalize().getParent();
        if (parent != null && isRunFolder(parent) && RepairDirectory.isRepairFolder(folder)) {
            // The repair a demo writes into its run folder.
            return folder + " is the repair 'amend " + command + "' wrote beside its training run, not a run: give"
                    + " --run the run, " + parent + "; the repaired model is " + folder.resolve(MODEL);
        }
        String message = folder + " is the output of 'amend " + command + "', not a training run (of 'amend train' or"
                + " 'amend demo')";
        Path model = folder.resolve(MODEL);
        Path ranking = folder.resolve(RankingIo.CSV);
        if (ModelStore.isModelFolder(model)) {
            boolean repaired = command.equals("repair") || command.equals("treat");
            return message + "; its " + (repaired ? "repaired " : "") + "model is " + model;
        }
        if (Files.isRegularFile(ranking)) {
            return message + "; its ranking is " + ranking + rankingUse(folder);
        }
        return message;
    }

    /**
     * How the ranking in {@code folder} is used, from the spec.json beside it: with the run it was
     * made for (amend treat), or with the model and data (amend repair).
     */
    private static String rankingUse(Path folder) {
        String run = null;
        String model = null;
        String data = null;
        try {
            JsonNode spec = Json.mapper().readTree(folder.resolve(RunFiles.SPEC).toFile());
            run = spec == null || !spec.path("run").isTextual() ? null : spec.path("run").asText();
            model = spec == null || !spec.path("model").isTextual() ? null : spec.path("model").asText();
            data = spec == null || !spec.path("data").isTextual() ? null : spec.path("data").asText();
        } catch (IOException | RuntimeException e) {
            // No usable spec: the generic pointer below.
        }
        if (run != null) {
            return ", made for the run " + run + ": amend treat --run " + run + " --ranking " + folder;
        }
        if (model != null && data != null) {
            return ", made for the model " + model + ": amend repair --model " + model + " --data " + data
                    + " --ranking " + folder;
        }
        return " (for --ranking of amend treat or amend repair)";
    }

    /**
     * A run's spec.json; one that is not the spec of a training run is named so, without the
     * names of the Java classes Jackson's messages carry.
     */
    private static TrainRunSpec readSpec(Path file) {
        try {
            return Json.read(file, TrainRunSpec.class);
        } catch (AmendException e) {
            JsonProcessingException json = null;
            for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
                if (t instanceof AmendException) {
                    throw e;
                }
                if (t instanceof JsonProcessingException j && json == null) {
                    json = j;
                }
            }
            if (json == null) {
                throw e;
            }
            throw new AmendException(file + " is not the spec of a training run (" + specProblem(json)
                    + "); amend train and amend demo write one", e);
        }
    }

    private static String specProblem(JsonProcessingException e) {
        if (e instanceof JsonParseException) {
            return e.getLocation() == null ? "not valid JSON" : "not valid JSON at line " + e.getLocation().getLineNr();
        }
        if (e instanceof ValueInstantiationException && e.getCause() instanceof NullPointerException npe
                && npe.getMessage() != null && npe.getMessage().matches("\\w+")) {
            return "no \"" + npe.getMessage() + "\"";
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            String field = m.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(java.util.stream.Collectors.joining(".")).replace(".[", "[");
            return "\"" + field + "\" is " + (e instanceof UnrecognizedPropertyException ? "unknown" : "not valid");
        }
        return "its fields do not fit";
    }

    // T is read again from the user's files: if they moved, say which and how to point the run at them.
    private static void requireData(Path folder, DataSpec data) {
        for (Path path : data.paths()) {
            if (!Files.exists(path)) {
                String relative = path.isAbsolute() ? ""
                        : " (a relative path, read from the current folder " + Path.of("").toAbsolutePath() + ")";
                throw new AmendException("the data of the run in " + folder + " is missing: " + path
                        + " does not exist" + relative + "; put it back, or set \"data\" in "
                        + folder.resolve(RunFiles.SPEC) + " to where it is now (" + data.scheme() + ":...)");
            }
        }
    }

    /** A checksum of a data set's rows, labels, shape and pixels (CRC-32C, hex), as metrics.json records it. */
    public static String fingerprint(ExampleSet data) {
        CRC32C crc = new CRC32C();
        ByteBuffer header = ByteBuffer.allocate(5 * Integer.BYTES);
        header.putInt(data.size()).putInt(data.channels()).putInt(data.height()).putInt(data.width())
                .putInt(data.numClasses());
        crc.update(header.array());
        ByteBuffer ints = ByteBuffer.allocate(2 * Integer.BYTES * data.size());
        for (int i = 0; i < data.size(); i++) {
            ints.putInt(data.row(i)).putInt(data.label(i));
        }
        crc.update(ints.array());
        // In chunks: a copy of all of CIFAR-10's test pixels would take 120 MB.
        float[] x = data.pixels();
        ByteBuffer chunk = ByteBuffer.allocate(Float.BYTES * FINGERPRINT_CHUNK);
        for (int from = 0; from < x.length; from += FINGERPRINT_CHUNK) {
            int n = Math.min(FINGERPRINT_CHUNK, x.length - from);
            chunk.clear();
            chunk.asFloatBuffer().put(x, from, n);
            crc.update(chunk.array(), 0, n * Float.BYTES);
        }
        return String.format(Locale.ROOT, "crc32c:%08x", crc.getValue());
    }

    private static String maskCsv(CorruptedData mask) {
        StringBuilder csv = new StringBuilder(MASK_HEADER).append('\n');
        ExampleSet d = mask.data();
        for (int i = 0; i < mask.size(); i++) {
            csv.append(i).append(',').append(d.row(i)).append(',').append(d.label(i)).append(',')
                    .append(mask.originalLabel(i)).append(',').append(mask.isCorrupted(i) ? 1 : 0).append(',')
                    .append(mask.isLabelChanged(i) ? 1 : 0).append('\n');
        }
        return csv.toString();
    }

    private static CorruptedData readMask(Path file, ExampleSet train, TrainMetrics.Scenario scenario) {
        List<String> lines = readLines(file);
        if (lines.isEmpty() || !lines.get(0).equals(MASK_HEADER)) {
            throw new AmendException(file + " does not start with the header " + MASK_HEADER);
        }
        int n = train.size();
        if (lines.size() - 1 != n) {
            throw new AmendException(file + " has " + (lines.size() - 1) + " rows but " + TRAIN_DATA + " has " + n
                    + " examples");
        }
        boolean[] corrupted = new boolean[n];
        boolean[] changed = new boolean[n];
        int[] original = new int[n];
        for (int i = 0; i < n; i++) {
            String[] f = lines.get(i + 1).split(",", -1);
            try {
                if (f.length != 6 || Integer.parseInt(f[0]) != i || Integer.parseInt(f[1]) != train.row(i)
                        || Integer.parseInt(f[2]) != train.label(i)) {
                    throw new AmendException(file + " line " + (i + 2) + " does not match example " + i + " of "
                            + TRAIN_DATA);
                }
                original[i] = Integer.parseInt(f[3]);
                corrupted[i] = flag(f[4], file, i);
                changed[i] = flag(f[5], file, i);
            } catch (NumberFormatException e) {
                throw new AmendException(file + " line " + (i + 2) + " is not a mask row: " + lines.get(i + 1), e);
            }
        }
        try {
            return new CorruptedData(train, corrupted, changed, original, scenario.name(), scenario.parameters());
        } catch (IllegalArgumentException e) {
            throw new AmendException(file + " contradicts itself: " + e.getMessage(), e);
        }
    }

    private static boolean flag(String value, Path file, int i) {
        return switch (value) {
            case "0" -> false;
            case "1" -> true;
            default -> throw new AmendException(file + " line " + (i + 2) + ": expected 0 or 1, got '" + value + "'");
        };
    }

    private static String historyCsv(List<EpochRecord> history) {
        StringBuilder csv = new StringBuilder(HISTORY_HEADER).append('\n');
        for (EpochRecord r : history) {
            csv.append(r.epoch()).append(',').append(number(r.trainLoss())).append(',')
                    .append(number(r.validationAccuracy())).append(',').append(number(r.validationLoss())).append(',')
                    .append(String.format(Locale.ROOT, "%.3f", r.seconds())).append('\n');
        }
        return csv.toString();
    }

    // Without validation the accuracy is NaN; an empty field is what CSV readers take as missing.
    private static String number(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    private static String lines(int[] values) {
        StringBuilder text = new StringBuilder();
        for (int v : values) {
            text.append(v).append('\n');
        }
        return text.toString();
    }

    private static String testRows(ExampleSet test, int[] positions) {
        int[] rows = Arrays.stream(positions).map(test::row).sorted().toArray();
        return lines(rows);
    }

    private static int[] positions(Path file, Map<Integer, Integer> positionOfRow) {
        List<String> lines = readLines(file);
        int[] positions = new int[lines.size()];
        for (int j = 0; j < lines.size(); j++) {
            Integer p;
            try {
                p = positionOfRow.get(Integer.parseInt(lines.get(j).strip()));
            } catch (NumberFormatException e) {
                throw new AmendException(file + " line " + (j + 1) + " is not a row number: " + lines.get(j), e);
            }
            if (p == null) {
                throw new AmendException(file + " line " + (j + 1) + " names test row " + lines.get(j).strip()
                        + ", which the test data does not have");
            }
            positions[j] = p;
        }
        Arrays.sort(positions);
        return positions;
    }

    private static List<String> readLines(Path file) {
        if (!Files.exists(file)) {
            throw new AmendException("no such file: " + file);
        }
        FileChecks.requireFile(file);
        try {
            return Files.readAllLines(file).stream().filter(line -> !line.isBlank()).toList();
        } catch (IOException e) {
            throw FileChecks.readError(file, e);
        }
    }
}
