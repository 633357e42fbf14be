package dev.amend.run;

import dev.amend.AmendException;
import dev.amend.data.CsvReader;
import dev.amend.data.DataSpec;
import dev.amend.data.ExampleSet;
import dev.amend.data.FailureList;
import dev.amend.data.IdxReader;
import dev.amend.data.ImageFolderReader;
import dev.amend.model.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The failure query set F_q a user names instead of a run's own (docs/methods.md 1): test-set row
 * numbers in a file, or examples with labels in a data file. Either way the result carries the
 * model's class names, so that a label the model does not know is refused here with a message
 * about classes, not later as a shape mismatch.
 */
public final class QuerySets {
    private static final String FORMS = "idx:IMAGES,LABELS, csv:FILE[,OPTION], folder:DIR, or a full data spec (its"
            + " test part)";

    private QuerySets() {
    }

    /**
     * The examples of {@code test} whose rows (0-based rows of the user's test file, as in the
     * run's splits/F_q.txt) are listed in {@code file}, in listed order: row numbers one per
     * line, or a CSV with the columns {@code index} and optionally {@code label}
     * ({@link FailureList}).
     *
     * @throws AmendException if the file is missing or lists nothing, a line is malformed, a row
     *     is not in the test set or is listed twice, a label is not the test data's
     */
    public static ExampleSet fromIndices(Path file, ExampleSet test) {
        return FailureList.read(file).select(test);
    }

    /**
     * Failure examples read from {@code spec}, each with its true label:
     * <ul>
     *   <li>{@code idx:IMAGES,LABELS}: an IDX image file and its label file;</li>
     *   <li>{@code csv:FILE[,OPTION]}: a label and the values per line, as {@link CsvReader}
     *       reads them; without an option the values must form one example of the model's input
     *       shape (its feature vector, for a model over features);</li>
     *   <li>{@code folder:DIR}: DIR/CLASS/*.png|jpg with CLASS a class name of the model (grey
     *       images are read as RGB for a colour model), or DIR/train and DIR/test as
     *       {@code --data} reads them;</li>
     *   <li>any other {@code --data} form ({@link DataSpec}), whose test part is taken.</li>
     * </ul>
     *
     * @throws AmendException if the files cannot be read, a label is not a class of the model,
     *     or the examples do not have the model's input shape
     */
    public static ExampleSet fromData(String spec, ModelSpec model) {
        return fromData(spec, model, "the failure data");
    }

    /**
     * Labelled examples read from {@code spec} as {@link #fromData(String, ModelSpec)} reads
     * them, named {@code what} in error messages (e.g. "the check data").
     */
    public static ExampleSet fromData(String spec, ModelSpec model, String what) {
        String text = spec == null ? "" : spec.strip();
        int colon = text.indexOf(':');
        String scheme = colon < 0 ? text.toLowerCase(Locale.ROOT) : text.substring(0, colon).toLowerCase(Locale.ROOT);
        String rest = colon < 0 ? "" : text.substring(colon + 1).strip();
        String[] paths = colon < 0 ? new String[0] : rest.split(",", -1);
        ExampleSet data;
        if (scheme.equals("idx") && paths.length == 2) {
            Path images = Path.of(paths[0].strip());
            Path labels = Path.of(paths[1].strip());
            // Numbered classes covering the labels first; checked against the model's below.
            data = IdxReader.combine(IdxReader.readImages(images), images.toString(), IdxReader.readLabels(labels),
                    labels.toString(), null);
        } else if (scheme.equals("csv") && (paths.length == 1 || paths.length == 2 && isCsvOption(paths[1]))) {
            CsvReader.Layout layout = paths.length == 2 ? CsvReader.Layout.parse(paths[1])
                    : ModelSpec.isFeatureShape(model.height(), model.width()) ? CsvReader.Layout.FEATURES
                    : CsvReader.Layout.shape(model.channels(), model.height(), model.width());
            data = CsvReader.read(Path.of(paths[0].strip()), layout);
        } else if (scheme.equals("folder") && !rest.isEmpty() && !rest.contains(",")
                && !Files.isDirectory(Path.of(rest).resolve("train"))) {
            data = ImageFolderReader.readClasses(Path.of(rest), model.classNames(), model.channels());
        } else {
            DataSpec parsed;
            try {
                parsed = DataSpec.parse(text);
            } catch (AmendException e) {
                throw new AmendException("cannot read " + what + " '" + text + "': use " + FORMS);
            }
            data = parsed.load().test();
        }
        ExampleSet labelled = withModelClasses(data, model, what + " " + text);
        model.checkCompatible(labelled, what + " " + text);
        return labelled;
    }

    /**
     * {@code spec} (a form {@link #fromData(String, ModelSpec)} reads) with its paths made absolute,
     * as a run's spec.json records it, so that it reads the same from any folder; a spec in
     * another form is returned as {@link DataSpec#absolute()} gives it, or unchanged.
     */
    public static String absolute(String spec) {
        if (spec == null) {
            return null;
        }
        String text = spec.strip();
        int colon = text.indexOf(':');
        if (colon < 0) {
            return text;
        }
        String scheme = text.substring(0, colon);
        String[] fields = text.substring(colon + 1).split(",", -1);
        String lower = scheme.toLowerCase(Locale.ROOT);
        if (lower.equals("idx") && fields.length == 2 || lower.equals("csv") || lower.equals("folder")) {
            for (int i = 0; i < fields.length; i++) {
                String f = fields[i].strip();
                if (!f.isEmpty() && !isCsvOption(f)) {
                    fields[i] = Path.of(f).toAbsolutePath().normalize().toString();
                }
            }
            return scheme + ":" + String.join(",", fields);
        }
        try {
            return DataSpec.parse(text).absolute().toString();
        } catch (AmendException e) {
            return text;
        }
    }

    private static boolean isCsvOption(String field) {
        String f = field.strip().toLowerCase(Locale.ROOT);
        return f.equals("features") || f.startsWith("shape=");
    }

    /** {@code data} relabelled with the model's class names, after checking every label is one of them. */
    static ExampleSet withModelClasses(ExampleSet data, ModelSpec model, String what) {
        List<String> classes = model.classNames();
        for (int i = 0; i < data.size(); i++) {
            if (data.label(i) >= classes.size()) {
                throw new AmendException(what + " has label " + data.label(i) + " in row "
                        + data.row(i) + ", but the model has " + classes.size() + " classes (0.." + (classes.size() - 1)
                        + ")");
            }
        }
        return new ExampleSet(data.pixels(), data.labels(), data.rows(), data.channels(), data.height(), data.width(),
                classes);
    }
}
