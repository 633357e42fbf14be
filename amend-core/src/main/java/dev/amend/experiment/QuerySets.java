package dev.amend.experiment;

import dev.amend.AmendException;
import dev.amend.data.CsvReader;
import dev.amend.data.DataSpec;
import dev.amend.data.Dataset;
import dev.amend.data.IdxReader;
import dev.amend.model.ModelSpec;
import dev.amend.util.FileChecks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The failure query set F_q a user names instead of a run's own (docs/methods.md 1): test-set row
 * numbers in a file, or images with labels in a data file. Either way the result carries the
 * model's class names, so that a label the model does not know is refused here with a message
 * about classes, not later as a shape mismatch.
 */
public final class QuerySets {
    private static final String FORMS = "idx:IMAGES,LABELS, csv:FILE, or a full data spec (its test part)";

    private QuerySets() {
    }

    /**
     * The examples of {@code test} whose rows (0-based rows of the user's test file, as in the
     * run's splits/F_q.txt) are listed in {@code file}, one per line; blank lines and lines
     * starting with '#' are skipped.
     *
     * @throws AmendException if the file is missing or empty, a line is not a row number, a row
     *     is not in the test set or is listed twice
     */
    public static Dataset fromIndices(Path file, Dataset test) {
        if (!Files.exists(file)) {
            throw new AmendException("no such file: " + file);
        }
        FileChecks.requireFile(file);
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw FileChecks.readError(file, e);
        }
        Map<Integer, Integer> positionOfRow = new HashMap<>();
        for (int i = 0; i < test.size(); i++) {
            positionOfRow.put(test.row(i), i);
        }
        Map<Integer, Integer> lineOfPosition = new HashMap<>();
        int[] positions = new int[lines.size()];
        int count = 0;
        for (int j = 0; j < lines.size(); j++) {
            String line = lines.get(j).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int row;
            try {
                row = Integer.parseInt(line);
            } catch (NumberFormatException e) {
                throw new AmendException(file + " line " + (j + 1) + " is not a test row number: '" + line + "'");
            }
            Integer position = positionOfRow.get(row);
            if (position == null) {
                throw new AmendException(file + " line " + (j + 1) + ": " + notATestRow(row, test));
            }
            Integer earlier = lineOfPosition.put(position, j + 1);
            if (earlier != null) {
                throw new AmendException(file + " line " + (j + 1) + ": test row " + row + " is already listed on line "
                        + earlier);
            }
            positions[count++] = position;
        }
        if (count == 0) {
            throw new AmendException("the failure query set is empty: " + file + " lists no test rows");
        }
        return test.subset(java.util.Arrays.copyOf(positions, count));
    }

    // For mnist the test rows are not 0..n-1 but the digits outside the training pool (docs/runs.md).
    private static String notATestRow(int row, Dataset test) {
        int maxRow = -1;
        for (int i = 0; i < test.size(); i++) {
            maxRow = Math.max(maxRow, test.row(i));
        }
        boolean contiguous = maxRow == test.size() - 1;
        if (row < 0) {
            return "row " + row + " is negative; rows are 0-based";
        }
        if (!contiguous && row <= maxRow) {
            return "row " + row + " is not a test row: it is one of the rows drawn for training (the " + test.size()
                    + " test rows are the rows of the data outside the training pool, listed in a run's"
                    + " splits/F.txt and splits/T_minus_F.txt)";
        }
        return "test row " + row + " is not in the test set (" + test.size() + " rows)";
    }

    /**
     * Failure examples read from {@code spec}: {@code idx:IMAGES,LABELS} (an IDX image file
     * and its label file), {@code csv:FILE} (label then pixels per line, as {@link CsvReader}),
     * or any {@code --data} form ({@link DataSpec}), whose test part is taken.
     *
     * @throws AmendException if the files cannot be read, or a label is not a class of the model
     */
    public static Dataset fromData(String spec, ModelSpec model) {
        String text = spec == null ? "" : spec.strip();
        int colon = text.indexOf(':');
        String scheme = colon < 0 ? text.toLowerCase(Locale.ROOT) : text.substring(0, colon).toLowerCase(Locale.ROOT);
        String[] paths = colon < 0 ? new String[0] : text.substring(colon + 1).strip().split(",", -1);
        Dataset data;
        if (scheme.equals("idx") && paths.length == 2) {
            Path images = Path.of(paths[0].strip());
            Path labels = Path.of(paths[1].strip());
            // Numbered classes covering the labels first; checked against the model's below.
            data = IdxReader.combine(IdxReader.readImages(images), images.toString(), IdxReader.readLabels(labels),
                    labels.toString(), null);
        } else if (scheme.equals("csv") && paths.length == 1) {
            data = CsvReader.read(Path.of(paths[0].strip()));
        } else {
            DataSpec parsed;
            try {
                parsed = DataSpec.parse(text);
            } catch (AmendException e) {
                throw new AmendException("cannot read the query data '" + text + "': use " + FORMS);
            }
            data = parsed.load().test();
        }
        return withModelClasses(data, model, text);
    }

    /** {@code data} relabelled with the model's class names, after checking every label is one of them. */
    static Dataset withModelClasses(Dataset data, ModelSpec model, String what) {
        List<String> classes = model.classNames();
        for (int i = 0; i < data.size(); i++) {
            if (data.label(i) >= classes.size()) {
                throw new AmendException("the query data " + what + " has label " + data.label(i) + " in row "
                        + data.row(i) + ", but the model has " + classes.size() + " classes (0.." + (classes.size() - 1)
                        + ")");
            }
        }
        return new Dataset(data.pixels(), data.labels(), data.rows(), data.channels(), data.height(), data.width(),
                classes);
    }
}
