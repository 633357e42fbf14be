package dev.amend.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Charts as SVG: well-formed, sized, self-contained, with their text as text; and inlined in a page without id clashes. */
class SvgTest {
    @TempDir
    Path dir;

    @Test
    void aChartIsAWellFormedSelfContainedSvgDocument() throws Exception {
        String svg = LinePlotTest.fractionChart().svg();

        Document doc = parse(svg);
        Element root = doc.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("svg");
        assertThat(root.getAttribute("width")).isEqualTo("800");
        assertThat(root.getAttribute("height")).isEqualTo("500");
        assertThat(root.getAttribute("viewBox")).isEqualTo("0 0 800 500");
        // Title, axis labels and legend entries are text elements, not outlines or a bitmap.
        String text = textOf(doc);
        assertThat(text).contains("Fraction of flipped labels among the top-k", "k (number of examples removed)",
                "EWC-influence", "linear influence (GD)", "oracle", "random");
        assertThat(doc.getElementsByTagName("path").getLength()).as("lines and bands").isGreaterThan(4);
        // Nothing to fetch: no embedded raster, no reference outside the document.
        assertThat(doc.getElementsByTagName("image").getLength()).isZero();
        assertThat(svg).doesNotContain("<?xml").doesNotContain("<!DOCTYPE").doesNotContain("<script")
                .doesNotContain("'Dialog'");
        assertThat(svg.replaceAll("xmlns(:\\w+)?=\"http://www\\.w3\\.org/[^\"]*\"", ""))
                .as("no URI but the namespace names").doesNotContain("http");
        // Every url(#id) resolves inside the document.
        Matcher refs = Pattern.compile("url\\(#([^)]+)\\)").matcher(svg);
        int count = 0;
        while (refs.find()) {
            assertThat(svg).contains("id=\"" + refs.group(1) + "\"");
            count++;
        }
        assertThat(count).as("clip paths referenced").isPositive();
    }

    @Test
    void theBandsAndLinesCarryTheSeriesColours() {
        String svg = LinePlotTest.fractionChart().svg().toLowerCase();
        // The palette's first colour (EWC-influence) and the black dashed oracle are both drawn.
        assertThat(svg).contains("stroke-dasharray");
        assertThat(svg).containsPattern("stroke:\\s*black|stroke=\"black\"|stroke:\\s*rgb\\(0,0,0\\)|#000000");
    }

    @Test
    void writingBySuffixGivesSvgOrPngAndThePairSitsSideBySide() throws Exception {
        LinePlot plot = LinePlotTest.scatterChart();
        List<Path> written = plot.writePngAndSvg(dir.resolve("fig5.png"));

        assertThat(written).containsExactly(dir.resolve("fig5.png"), dir.resolve("fig5.svg"));
        byte[] png = Files.readAllBytes(dir.resolve("fig5.png"));
        assertThat(png).startsWith(new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        String svg = Files.readString(dir.resolve("fig5.svg"));
        assertThat(svg).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg");
        assertThat(textOf(parse(svg))).contains("Repair trade-off", "Newton removal");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .as("no temporary file left behind").containsExactly("fig5.png", "fig5.svg");
        }
        assertThat(LinePlot.svgSibling(Path.of("a", "b.c.png"))).isEqualTo(Path.of("a", "b.c.svg"));
    }

    @Test
    void twoChartsInOnePageKeepTheirOwnClipPaths() throws Exception {
        String html = new HtmlPage("two").plot(LinePlotTest.fractionChart(), "first", "cap 1")
                .plot(LinePlotTest.scatterChart(), "second", "").render();

        List<String> ids = new ArrayList<>();
        Matcher m = Pattern.compile("\\bid=\"([^\"]+)\"").matcher(html);
        while (m.find()) {
            ids.add(m.group(1));
        }
        assertThat(ids).isNotEmpty().doesNotHaveDuplicates();
        assertThat(ids).anyMatch(id -> id.startsWith("f1-")).anyMatch(id -> id.startsWith("f2-"));
        Matcher refs = Pattern.compile("url\\(#([^)]+)\\)").matcher(html);
        while (refs.find()) {
            assertThat(ids).contains(refs.group(1));
        }
        assertThat(html).contains("<figure><svg role=\"img\" aria-label=\"first\"", "<figcaption>cap 1</figcaption>")
                .doesNotContain("<?xml").doesNotContain("http");
        // Each inlined figure still parses as a document on its own.
        Matcher figure = Pattern.compile("<figure>(<svg.*?</svg\\s*>)", Pattern.DOTALL).matcher(html);
        int figures = 0;
        while (figure.find()) {
            assertThat(parse(figure.group(1)).getDocumentElement().getTagName()).isEqualTo("svg");
            figures++;
        }
        assertThat(figures).isEqualTo(2);
    }

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(false);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static String textOf(Document doc) {
        StringBuilder out = new StringBuilder();
        NodeList texts = doc.getElementsByTagName("text");
        for (int i = 0; i < texts.getLength(); i++) {
            out.append(texts.item(i).getTextContent()).append('\n');
        }
        return out.toString();
    }
}
