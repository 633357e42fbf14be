package dev.amend.data;

import dev.amend.AmendException;
import dev.amend.util.FileChecks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Failing test examples named by their rows in the user's test file (0-based, as in a run's
 * {@code splits/F.txt}), read from a text file in one of two forms:
 *
 * <ul>
 *   <li><b>Row numbers</b>: one row per line. Blank lines are skipped and {@code #} starts a
 *       comment that runs to the end of the line.</li>
 *   <li><b>CSV with a header</b>: the first line that is not blank or a comment holds a comma
 *       or is the single word {@code index}; it names the columns. {@code index} (the row) is
 *       required, {@code label} (the true class) is optional, other columns are ignored (an
 *       export from production may carry predictions or times). Column names are matched
 *       without regard to case; fields may be quoted with {@code "}, but may not contain
 *       commas.</li>
 * </ul>
 *
 * A label is a class name of the test data (a folder name for {@code folder:} data), or a class
 * number 0..k-1 when no class has that name (for numbered classes the two agree). Every data form amend reads carries a label for each
 * test example, so a listed label is a check, never a relabelling: a label that differs from
 * the test data's is refused, since the list and the data then disagree about the example.
 * Examples whose true labels only the user has (inputs collected in production, say) are
 * given as data of their own instead: {@code RepairInput.ofFailureData}.
 *
 * <p>Refused, each with a one-line message naming the file and line: a line that is not a row
 * number, a row outside the test set, a row listed twice, a label that is not a class, a label
 * that differs from the test data's, a list without rows.
 */
public final class FailureList {
    private static final String INDEX = "index";
    private static final String LABEL = "label";

    /**
     * One listed failure.
     *
     * @param row the row in the user's test file
     * @param label the label as written, or null when the list has no labels
     * @param line the 1-based line of the file (for a list made in code: the 1-based entry)
     */
    public record Entry(int row, String label, int line) {
    }

    private final String source;
    private final boolean file;
    private final List<Entry> entries;

    private FailureList(String source, boolean file, List<Entry> entries) {
        this.source = source;
        this.file = file;
        this.entries = List.copyOf(entries);
        if (this.entries.isEmpty()) {
            throw new AmendException(source + " holds no failing test rows");
        }
    }

    /**
     * Reads a failure list; the rows and labels are checked against a test set later, by
     * {@link #positionsIn}.
     *
     * @throws AmendException if the file cannot be read, a line is malformed, or it lists nothing
     */
    public static FailureList read(Path file) {
        FileChecks.requireFile(file);
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw FileChecks.readError(file, e);
        }
        String name = file.toString();
        List<Entry> entries = new ArrayList<>();
        int indexColumn = -1;
        int labelColumn = -1;
        int columns = 0;
        boolean first = true;
        for (int j = 0; j < lines.size(); j++) {
            int line = j + 1;
            String raw = lines.get(j);
            if (j == 0 && raw.startsWith("\uFEFF")) {
                raw = raw.substring(1);
            }
            int hash = raw.indexOf('#');
            String text = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
            if (text.isEmpty()) {
                continue;
            }
            if (first) {
                first = false;
                if (text.contains(",") || unquote(text).equalsIgnoreCase(INDEX)) {
                    String[] header = fields(text);
                    columns = header.length;
                    for (int c = 0; c < header.length; c++) {
                        String column = header[c].toLowerCase(Locale.ROOT);
                        if (column.equals(INDEX) && indexColumn < 0) {
                            indexColumn = c;
                        } else if (column.equals(LABEL) && labelColumn < 0) {
                            labelColumn = c;
                        }
                    }
                    if (indexColumn < 0 && Arrays.stream(header).allMatch(f -> f.matches("-?\\d+"))) {
                        throw new AmendException(name + " line " + line + " is not a test row number: '" + text
                                + "'; list one row per line, or start a CSV with a header naming the columns index"
                                + " and optionally label");
                    }
                    if (indexColumn < 0) {
                        throw new AmendException(name + " line " + line + ": a CSV failure list needs an 'index' column"
                                + " (the test row), optionally 'label'; the header names " + String.join(", ", header));
                    }
                    continue;
                }
            }
            if (indexColumn < 0) {
                entries.add(new Entry(rowNumber(text, () -> name + " line " + line + " is not a test row number: '"
                        + text + "'"), null, line));
                continue;
            }
            String[] f = fields(text);
            if (f.length != columns) {
                throw new AmendException(name + " line " + line + " has " + f.length + " field" + (f.length == 1 ? "" : "s")
                        + " but the header has " + columns);
            }
            String index = f[indexColumn];
            int row = rowNumber(index, () -> name + " line " + line + ": index '" + index
                    + "' is not a test row number");
            String label = labelColumn < 0 ? null : f[labelColumn];
            if (label != null && label.isEmpty()) {
                throw new AmendException(name + " line " + line + ": the label is empty");
            }
            entries.add(new Entry(row, label, line));
        }
        return new FailureList(name, true, entries);
    }

    /** A failure list made in code: the given test rows, without labels. */
    public static FailureList ofRows(int[] rows) {
        List<Entry> entries = new ArrayList<>();
        for (int j = 0; j < rows.length; j++) {
            entries.add(new Entry(rows[j], null, j + 1));
        }
        return new FailureList("the failure list", false, entries);
    }

    /** What the list was read from (the file name), for messages. */
    public String source() {
        return source;
    }

    /** The entries in listed order. */
    public List<Entry> entries() {
        return entries;
    }

    /** The listed rows in listed order. */
    public int[] rows() {
        return entries.stream().mapToInt(Entry::row).toArray();
    }

    /** Whether the list gives labels. */
    public boolean hasLabels() {
        return entries.get(0).label() != null;
    }

    /**
     * The positions in {@code test} of the listed rows, in listed order, after checking every
     * row and label.
     *
     * @throws AmendException for a row that is not in {@code test}, a row listed twice, a label
     *     that is not a class of {@code test} or differs from the test data's label
     */
    public int[] positionsIn(ExampleSet test) {
        List<String> classNames = test.classNames();
        Map<Integer, Integer> positionOfRow = new HashMap<>();
        for (int i = 0; i < test.size(); i++) {
            positionOfRow.put(test.row(i), i);
        }
        Map<Integer, Integer> lineOfPosition = new HashMap<>();
        int[] positions = new int[entries.size()];
        for (int j = 0; j < entries.size(); j++) {
            Entry e = entries.get(j);
            Integer position = positionOfRow.get(e.row());
            if (position == null) {
                throw new AmendException(where(e) + ": " + notATestRow(e.row(), test));
            }
            Integer earlier = lineOfPosition.put(position, e.line());
            if (earlier != null) {
                throw new AmendException(where(e) + ": test row " + e.row() + " is already listed on "
                        + (file ? "line " : "entry ") + earlier);
            }
            if (e.label() != null) {
                int label = classOf(e.label(), classNames, where(e));
                int actual = test.label(position);
                if (label != actual) {
                    throw new AmendException(where(e) + ": test row " + e.row() + " has label '" + e.label()
                            + "' here but '" + name(actual, classNames) + "' in the test data; a listed label must"
                            + " agree with the test data (give examples with labels of their own as failure data)");
                }
            }
            positions[j] = position;
        }
        return positions;
    }

    /** The listed examples of {@code test}, in listed order, after the checks of {@link #positionsIn}. */
    public ExampleSet select(ExampleSet test) {
        return test.subset(positionsIn(test));
    }

    /**
     * The class a label names: a class name, else a class number 0..k-1.
     *
     * @throws AmendException if it is neither
     */
    public static int classOf(String label, List<String> classNames) {
        return classOf(label, classNames, null);
    }

    private static int classOf(String label, List<String> classNames, String where) {
        int named = classNames.indexOf(label);
        if (named >= 0) {
            return named;
        }
        try {
            int number = Integer.parseInt(label);
            if (number >= 0 && number < classNames.size()) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new AmendException((where == null ? "" : where + ": ") + "label '" + label + "' is not a class of the"
                + " data (" + describe(classNames) + ")");
    }

    private static String describe(List<String> classNames) {
        int k = classNames.size();
        if (classNames.equals(ExampleSet.numberedClasses(k))) {
            return "classes 0.." + (k - 1);
        }
        List<String> shown = classNames.size() <= 12 ? classNames : classNames.subList(0, 12);
        return "classes " + String.join(", ", shown) + (shown.size() < k ? ", ... (" + k + " in all)" : "")
                + ", or their numbers 0.." + (k - 1);
    }

    private static String name(int label, List<String> classNames) {
        return label < classNames.size() ? classNames.get(label) : Integer.toString(label);
    }

    private String where(Entry e) {
        return file ? source + " line " + e.line() : source + " entry " + e.line();
    }

    // For mnist the test rows are not 0..n-1 but the digits outside the training pool (docs/runs.md).
    private static String notATestRow(int row, ExampleSet test) {
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

    private static int rowNumber(String text, java.util.function.Supplier<String> message) {
        try {
            return Integer.parseInt(unquote(text));
        } catch (NumberFormatException e) {
            throw new AmendException(message.get());
        }
    }

    private static String[] fields(String line) {
        return Arrays.stream(line.split(",", -1)).map(FailureList::unquote).toArray(String[]::new);
    }

    private static String unquote(String field) {
        String s = field.strip();
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            s = s.substring(1, s.length() - 1).replace("\"\"", "\"").strip();
        }
        return s;
    }
}
