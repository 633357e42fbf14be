package dev.amend.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A results table for the terminal ({@link #toString()}) and for Markdown reports
 * ({@link #toMarkdown()}), e.g. [T22] Table 1 (identification seconds per method).
 *
 * <p>Cells are strings or numbers: integers are printed as they are, other numbers with a fixed
 * number of decimals (default 4, {@link #withDecimals(int)}); NaN and null print as "-". A
 * column whose cells are all numbers (or "-") is right-aligned, so that digits line up; other
 * columns are left-aligned.
 */
public final class Table {
    private static final String MISSING = "-";

    private final List<String> header;
    private final List<Object[]> rows = new ArrayList<>();
    private int decimals = 4;

    /** A table with these column names. */
    public Table(String... header) {
        if (header.length == 0) {
            throw new IllegalArgumentException("a table needs at least one column");
        }
        this.header = List.of(header);
    }

    /** Decimals for non-integer numbers; returns this table. */
    public Table withDecimals(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("decimals must not be negative, got " + count);
        }
        this.decimals = count;
        return this;
    }

    /** Appends a row with one cell per column; returns this table. */
    public Table addRow(Object... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells for " + header.size() + " columns");
        }
        rows.add(cells.clone());
        return this;
    }

    public int rowCount() {
        return rows.size();
    }

    /**
     * Aligned columns separated by two spaces, the header underlined with dashes, one line per
     * row, each line ending in a newline; no trailing spaces.
     */
    @Override
    public String toString() {
        String[][] text = cells();
        boolean[] right = rightAligned();
        int[] widths = new int[header.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = header.get(c).length();
            for (String[] row : text) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, header.toArray(String[]::new), widths, right);
        String[] rule = new String[widths.length];
        for (int c = 0; c < widths.length; c++) {
            rule[c] = "-".repeat(widths[c]);
        }
        line(out, rule, widths, right);
        for (String[] row : text) {
            line(out, row, widths, right);
        }
        return out.toString();
    }

    /** A GitHub-flavoured Markdown table; number columns are right-aligned, '|' in cells escaped. */
    public String toMarkdown() {
        boolean[] right = rightAligned();
        StringBuilder out = new StringBuilder();
        markdownLine(out, header.toArray(String[]::new));
        out.append('|');
        for (boolean r : right) {
            out.append(r ? " ---: |" : " --- |");
        }
        out.append('\n');
        for (String[] row : cells()) {
            markdownLine(out, row);
        }
        return out.toString();
    }

    /** An HTML table; number columns are right-aligned, text escaped. */
    public String toHtml() {
        boolean[] right = rightAligned();
        StringBuilder out = new StringBuilder("<table>\n<tr>");
        for (String h : header) {
            out.append("<th>").append(HtmlPage.escape(h)).append("</th>");
        }
        out.append("</tr>\n");
        for (String[] row : cells()) {
            out.append("<tr>");
            for (int c = 0; c < row.length; c++) {
                out.append(right[c] ? "<td class=\"num\">" : "<td>").append(HtmlPage.escape(row[c])).append("</td>");
            }
            out.append("</tr>\n");
        }
        return out.append("</table>\n").toString();
    }

    private static void line(StringBuilder out, String[] cells, int[] widths, boolean[] right) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) {
                line.append("  ");
            }
            String pad = " ".repeat(widths[c] - cells[c].length());
            line.append(right[c] ? pad + cells[c] : cells[c] + pad);
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    private static void markdownLine(StringBuilder out, String[] cells) {
        out.append('|');
        for (String cell : cells) {
            out.append(' ').append(cell.replace("|", "\\|")).append(" |");
        }
        out.append('\n');
    }

    private String[][] cells() {
        String[][] text = new String[rows.size()][];
        for (int r = 0; r < rows.size(); r++) {
            text[r] = Arrays.stream(rows.get(r)).map(this::format).toArray(String[]::new);
        }
        return text;
    }

    private boolean[] rightAligned() {
        boolean[] right = new boolean[header.size()];
        for (int c = 0; c < right.length; c++) {
            boolean numbers = !rows.isEmpty();
            for (Object[] row : rows) {
                if (row[c] != null && !(row[c] instanceof Number)) {
                    numbers = false;
                }
            }
            right[c] = numbers;
        }
        return right;
    }

    private String format(Object cell) {
        if (cell == null) {
            return MISSING;
        }
        if (cell instanceof Double || cell instanceof Float) {
            double v = ((Number) cell).doubleValue();
            return Double.isNaN(v) ? MISSING : String.format(Locale.ROOT, "%." + decimals + "f", v);
        }
        return cell.toString();
    }
}
