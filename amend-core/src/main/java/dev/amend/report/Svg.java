package dev.amend.report;

import dev.amend.util.AtomicFiles;
import java.awt.Dimension;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.apache.batik.svggen.SVGGeneratorContext;
import org.apache.batik.svggen.SVGGraphics2D;
import org.w3c.dom.Document;

/**
 * Vector figures: what a drawing routine paints on a {@link Graphics2D} recorded as an SVG
 * document by Apache Batik's SVG generator, so that a chart drawn for a PNG can be written as
 * SVG without a second drawing routine. The document is self-contained (no external fonts,
 * images or scripts) and carries its size, so that it can be inlined in an HTML page or saved as
 * a {@code .svg} file.
 */
public final class Svg {
    static {
        // Like the PNG figures: drawn on servers without a display.
        System.setProperty("java.awt.headless", "true");
    }

    private Svg() {
    }

    /**
     * The SVG document of what {@code draw} paints on a {@code width} x {@code height} canvas,
     * without an XML declaration (so that it can be inlined in HTML as it is).
     */
    public static String render(int width, int height, Consumer<Graphics2D> draw) {
        Document document;
        try {
            document = DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("this Java runtime has no XML document builder", e);
        }
        SVGGeneratorContext context = SVGGeneratorContext.createDefault(document);
        context.setComment(null);
        // Text stays text (selectable, searchable, scalable) rather than glyph outlines.
        context.setEmbeddedFontsOn(false);
        SVGGraphics2D g = new SVGGraphics2D(context, false);
        g.setSVGCanvasSize(new Dimension(width, height));
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        try {
            draw.accept(g);
            StringWriter out = new StringWriter();
            g.stream(out, true);
            return withoutProlog(out.toString(), width, height);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            g.dispose();
        }
    }

    /** Writes an SVG document made by {@link #render} to {@code file}, atomically, as a standalone file. */
    public static void write(String svg, Path file) {
        AtomicFiles.writeString(file, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svg);
    }

    /**
     * The {@code <svg>} element alone: the generator's XML declaration and DOCTYPE (which HTML
     * does not allow inside a page) dropped, and a {@code viewBox} added so that the figure
     * scales with the page's width instead of overflowing it.
     */
    private static String withoutProlog(String streamed, int width, int height) {
        int start = streamed.indexOf("<svg");
        if (start < 0) {
            throw new IllegalStateException("the SVG generator wrote no <svg> element");
        }
        // The canvas's default font is AWT's logical 'Dialog', unknown to browsers; every text
        // element names sans-serif (Png.FONT_FAMILY), and so does the root now.
        String svg = streamed.substring(start).strip().replace("font-family:'Dialog'", "font-family:sans-serif")
                + "\n";
        if (!svg.substring(0, svg.indexOf('>')).contains("viewBox")) {
            svg = "<svg viewBox=\"0 0 " + width + " " + height + "\"" + svg.substring("<svg".length());
        }
        return svg;
    }
}
