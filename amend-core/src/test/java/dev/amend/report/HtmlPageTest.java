package dev.amend.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The self-contained page: escaped text, inline images, Markdown tables, tables with aligned numbers. */
class HtmlPageTest {
    @Test
    void textIsEscapedAndImagesAreInline() {
        String html = new HtmlPage("a <b> & \"c\"").paragraph("T\\F < 1").png(new byte[] {1, 2, 3}, "x", "cap")
                .keyValues(List.<String[]>of(new String[] {"k", "<v>"})).render();

        assertThat(html).startsWith("<!DOCTYPE html>").contains("<h1>a &lt;b&gt; &amp; &quot;c&quot;</h1>",
                "<p>T\\F &lt; 1</p>", "src=\"data:image/png;base64,AQID\"", "<figcaption>cap</figcaption>",
                "<td>&lt;v&gt;</td>");
        assertThat(html).doesNotContain("http").doesNotContain("<script");
    }

    @Test
    void markdownTablesBecomeTables() {
        String html = new HtmlPage("t").markdown("# Fig. 3\n| method | k \\| n |\n| --- | ---: |\n| ewc | 0.5 |\n\nnote")
                .render();

        assertThat(html).contains("<h3>Fig. 3</h3>", "<tr><th>method</th><th>k | n</th></tr>",
                "<tr><td>ewc</td><td>0.5</td></tr>", "<p>note</p>").doesNotContain("---");
    }

    @Test
    void tablesRightAlignNumberColumns() {
        String html = new Table("set", "accuracy").addRow("T", 0.91234).addRow("F", null).toHtml();

        assertThat(html).contains("<tr><td>T</td><td class=\"num\">0.9123</td></tr>",
                "<tr><td>F</td><td class=\"num\">-</td></tr>");
    }
}
