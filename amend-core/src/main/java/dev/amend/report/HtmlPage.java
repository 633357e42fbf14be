package dev.amend.report;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One self-contained HTML page, read top to bottom: headings, paragraphs, tables and images.
 * Raster images are inlined as {@code data:} URIs, plots as inline SVG, and the style sheet sits in the page, so the file
 * opens anywhere without a network and names no other file or host. Text is escaped.
 */
public final class HtmlPage {
    private static final String STYLE = """
            body { font-family: sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222;
                   line-height: 1.45; }
            h1 { font-size: 1.6em; margin-bottom: 0.2em; }
            h2 { font-size: 1.25em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 2em; }
            h3 { font-size: 1.05em; margin-top: 1.4em; }
            h4 { font-size: 0.98em; margin-top: 1.2em; }
            table { border-collapse: collapse; margin: 0.6em 0; }
            th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; vertical-align: top; overflow-wrap: anywhere; }
            th { background: #f2f2f2; text-align: left; overflow-wrap: normal; white-space: nowrap; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; }
            .verdict { padding: 0.6em 0.9em; border-radius: 4px; font-weight: bold; margin: 1em 0; }
            .good { background: #e3f4e6; border: 1px solid #67b87a; }
            .bad { background: #fbe9e7; border: 1px solid #d9826f; }
            .note { color: #555; font-size: 0.92em; }
            img, figure > svg { max-width: 100%; height: auto; border: 1px solid #eee; }
            figure { margin: 1em 0; }
            figcaption { color: #555; font-size: 0.92em; }
            code, pre { font-family: monospace; font-size: 0.92em; background: #f6f6f6; }
            pre { padding: 0.6em; white-space: pre-wrap; overflow-wrap: anywhere; }
            """;

    /** An element id in an SVG document, and the two ways SVG refers to one. */
    private static final Pattern ID = Pattern.compile("\\bid=\"([^\"]+)\"");
    private static final Pattern URL_REF = Pattern.compile("url\\(#([^)]+)\\)");
    private static final Pattern HREF_REF = Pattern.compile("href=\"#([^\"]+)\"");
    private static final Pattern XMLNS = Pattern.compile("\\s+xmlns(:\\w+)?=\"[^\"]*\"");

    private final StringBuilder body = new StringBuilder();
    /** SVG figures inlined so far (their id prefix). */
    private int figures;
    private final String title;

    /** A page with this title (shown as its heading and in the browser's tab). */
    public HtmlPage(String title) {
        this.title = Objects.requireNonNull(title);
        body.append("<h1>").append(escape(title)).append("</h1>\n");
    }

    /** A section heading (level 2, 3 or 4). */
    public HtmlPage heading(int level, String text) {
        if (level < 2 || level > 4) {
            throw new IllegalArgumentException("heading level 2, 3 or 4, got " + level);
        }
        body.append("<h").append(level).append('>').append(escape(text)).append("</h").append(level).append(">\n");
        return this;
    }

    /** A paragraph of plain text. */
    public HtmlPage paragraph(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    /** A paragraph in the smaller grey of explanations. */
    public HtmlPage note(String text) {
        body.append("<p class=\"note\">").append(escape(text)).append("</p>\n");
        return this;
    }

    /** A highlighted line: green when {@code good}, red otherwise. */
    public HtmlPage verdict(String text, boolean good) {
        body.append("<div class=\"verdict ").append(good ? "good" : "bad").append("\">").append(escape(text))
                .append("</div>\n");
        return this;
    }

    /** Preformatted text (a Markdown table, a command line). */
    public HtmlPage preformatted(String text) {
        body.append("<pre>").append(escape(text)).append("</pre>\n");
        return this;
    }

    /**
     * Markdown as amend writes it (table.md): tables of {@code | a | b |} rows become HTML
     * tables, lines starting with {@code #} headings, other lines paragraphs.
     */
    public HtmlPage markdown(String text) {
        List<String[]> rows = new java.util.ArrayList<>();
        for (String line : (text + "\n").split("\n", -1)) {
            String t = line.strip();
            if (t.startsWith("|")) {
                String inner = t.substring(1, t.endsWith("|") && t.length() > 1 ? t.length() - 1 : t.length());
                String[] cells = inner.split("(?<!\\\\)\\|", -1);
                for (int c = 0; c < cells.length; c++) {
                    cells[c] = cells[c].strip().replace("\\|", "|");
                }
                if (!java.util.Arrays.stream(cells).allMatch(c -> c.matches(":?-+:?"))) {
                    rows.add(cells);
                }
                continue;
            }
            flushTable(rows);
            if (t.startsWith("#")) {
                heading(3, t.replaceFirst("^#+\\s*", ""));
            } else if (!t.isEmpty()) {
                paragraph(t);
            }
        }
        return this;
    }

    private void flushTable(List<String[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        body.append("<table>\n");
        for (int r = 0; r < rows.size(); r++) {
            String cell = r == 0 ? "th" : "td";
            body.append("<tr>");
            for (String c : rows.get(r)) {
                body.append('<').append(cell).append('>').append(escape(c)).append("</").append(cell).append('>');
            }
            body.append("</tr>\n");
        }
        body.append("</table>\n");
        rows.clear();
    }

    /** A table; number columns are right-aligned. */
    public HtmlPage table(Table table) {
        body.append(table.toHtml());
        return this;
    }

    /** Two-column rows of names and values (settings, provenance). */
    public HtmlPage keyValues(List<String[]> rows) {
        body.append("<table>\n");
        for (String[] row : rows) {
            body.append("<tr><th>").append(escape(row[0])).append("</th><td>").append(escape(row[1]))
                    .append("</td></tr>\n");
        }
        body.append("</table>\n");
        return this;
    }

    /** A PNG image inlined as a data: URI, with a caption below (empty for none). */
    public HtmlPage png(byte[] png, String alt, String caption) {
        body.append("<figure><img alt=\"").append(escape(alt)).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\">");
        if (!caption.isEmpty()) {
            body.append("<figcaption>").append(escape(caption)).append("</figcaption>");
        }
        body.append("</figure>\n");
        return this;
    }

    /** A chart, inlined as SVG (vector: sharp at any zoom), with a caption below (empty for none). */
    public HtmlPage plot(LinePlot plot, String alt, String caption) {
        return svg(plot.svg(), alt, caption);
    }

    /**
     * An SVG figure (a document made by {@link Svg#render}) inlined in the page, with a caption
     * below (empty for none). Its element ids (clip paths, definitions) get a prefix unique in the
     * page, since every inline SVG shares the page's id space and a second figure's clip path
     * would otherwise resolve to the first one's.
     */
    public HtmlPage svg(String svg, String alt, String caption) {
        int start = svg.indexOf("<svg");
        if (start < 0) {
            throw new IllegalArgumentException("not an SVG document");
        }
        String prefix = "f" + (++figures) + "-";
        // The HTML parser puts <svg> and its attributes in their namespaces itself; the declarations
        // (URIs that name, not fetch) are dropped so that the page names no host at all.
        String element = XMLNS.matcher(svg.substring(start).strip()).replaceAll("");
        String scoped = ID.matcher(element).replaceAll("id=\"" + prefix + "$1\"");
        scoped = URL_REF.matcher(scoped).replaceAll("url(#" + prefix + "$1)");
        scoped = HREF_REF.matcher(scoped).replaceAll("href=\"#" + prefix + "$1\"");
        body.append("<figure>").append("<svg role=\"img\" aria-label=\"").append(escape(alt)).append("\" ")
                .append(scoped.substring("<svg".length()).stripLeading());
        if (!caption.isEmpty()) {
            body.append("<figcaption>").append(escape(caption)).append("</figcaption>");
        }
        body.append("</figure>\n");
        return this;
    }

    /** The whole page. */
    public String render() {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape(title)
                + "</title>\n<style>\n" + STYLE + "</style>\n</head>\n<body>\n" + body + "</body>\n</html>\n";
    }

    /** The page as UTF-8 bytes. */
    public byte[] bytes() {
        return render().getBytes(StandardCharsets.UTF_8);
    }

    /** Text with the characters HTML gives meaning to replaced by entities. */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
