package dev.amend.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.ValueTick;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * A PNG line chart drawn with JFreeChart: named series of (x, y) points drawn as lines, dashed
 * lines, markers, or lines with markers, each with an optional error band y +- std (the "mean
 * +- std of 5 runs" of [T22] Fig. 2c); linear or log-scale x (Fig. 3 and 4 put k on a log
 * axis); title, axis labels, grid lines, and a legend to the right of the plot area so that it
 * never hides data. Markers-only series make scatter plots (Fig. 5 and 9: one point per
 * setting, accuracy on F_h against accuracy on T\F).
 *
 * <p>Points whose x or y is NaN are skipped and break a line; with a log x axis every finite x
 * must be positive. Built with {@link #builder()}; a built plot is immutable and can be
 * rendered or written any number of times.
 */
public final class LinePlot {
    /** How a series is drawn. */
    public enum Style {
        LINE, DASHED, POINTS, LINE_POINTS
    }

    /**
     * One named series.
     *
     * @param name the legend entry
     * @param x the x values
     * @param y the y values (the mean when there is a band)
     * @param std half-width of the error band at each point, or null for none
     * @param style how it is drawn
     * @param color its colour, or null for the next colour of the palette
     */
    public record Series(String name, double[] x, double[] y, double[] std, Style style, Color color) {
        public Series {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(style, "style");
            x = x.clone();
            y = y.clone();
            if (x.length != y.length) {
                throw new IllegalArgumentException("series " + name + " has " + x.length + " x but " + y.length + " y");
            }
            if (std != null) {
                std = std.clone();
                if (std.length != y.length) {
                    throw new IllegalArgumentException("series " + name + " has " + std.length + " std values for "
                            + y.length + " points");
                }
            }
        }

        /** A solid line. */
        public static Series line(String name, double[] x, double[] y) {
            return new Series(name, x, y, null, Style.LINE, null);
        }

        /** A solid line of means with a shaded band mean +- std. */
        public static Series band(String name, double[] x, double[] mean, double[] std) {
            return new Series(name, x, mean, std, Style.LINE, null);
        }

        /** Markers only, for scatter plots. */
        public static Series points(String name, double[] x, double[] y) {
            return new Series(name, x, y, null, Style.POINTS, null);
        }

        /** The same series drawn another way. */
        public Series withStyle(Style newStyle) {
            return new Series(name, x, y, std, newStyle, color);
        }

        /** The same series in a fixed colour (e.g. grey for reference curves). */
        public Series withColor(Color newColor) {
            return new Series(name, x, y, std, style, newColor);
        }

        @Override
        public double[] x() {
            return x.clone();
        }

        @Override
        public double[] y() {
            return y.clone();
        }

        @Override
        public double[] std() {
            return std == null ? null : std.clone();
        }
    }

    /** Okabe-Ito colours, distinguishable with the common colour-vision deficiencies. */
    private static final Color[] PALETTE = {
        new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xE69F00),
        new Color(0xCC79A7), new Color(0x56B4E9), new Color(0x000000), new Color(0x999999),
    };
    private static final Color AXIS = new Color(0x333333);
    private static final Color GRID = new Color(0xDDDDDD);
    private static final double MARKER = 8;
    /** Share of the data's span left empty at each end of an automatic axis (as matplotlib does). */
    private static final double MARGIN = 0.05;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final boolean logX;
    private final boolean integerX;
    private final double[] yRange;
    private final int width;
    private final int height;
    private final List<Series> series;

    private LinePlot(Builder b) {
        this.title = b.title;
        this.xLabel = b.xLabel;
        this.yLabel = b.yLabel;
        this.logX = b.logX;
        this.integerX = b.integerX;
        this.yRange = b.yRange;
        this.width = b.width;
        this.height = b.height;
        this.series = List.copyOf(b.series);
        if (logX) {
            for (Series s : series) {
                for (double v : s.x) {
                    if (v <= 0) {
                        throw new IllegalArgumentException("series " + s.name() + " has x = " + v
                                + ", which a log-scale x axis cannot show");
                    }
                }
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings of a {@link LinePlot}; every one is optional. */
    public static final class Builder {
        private String title = "";
        private String xLabel = "";
        private String yLabel = "";
        private boolean logX;
        private boolean integerX;
        private double[] yRange;
        private int width = 800;
        private int height = 500;
        private final List<Series> series = new ArrayList<>();

        private Builder() {
        }

        public Builder optTitle(String text) {
            this.title = Objects.requireNonNull(text);
            return this;
        }

        public Builder optXLabel(String text) {
            this.xLabel = Objects.requireNonNull(text);
            return this;
        }

        public Builder optYLabel(String text) {
            this.yLabel = Objects.requireNonNull(text);
            return this;
        }

        /** A log10 x axis (default linear). */
        public Builder optLogX(boolean log) {
            this.logX = log;
            return this;
        }

        /** Ticks on the x axis at whole numbers only (epochs, say). */
        public Builder optIntegerX(boolean integer) {
            this.integerX = integer;
            return this;
        }

        /** A fixed y range (default: fitted to the data, bands included, widened to round ticks). */
        public Builder optYRange(double min, double max) {
            if (!(min < max) || !Double.isFinite(min) || !Double.isFinite(max)) {
                throw new IllegalArgumentException("y range must be finite with min < max, got " + min + ", " + max);
            }
            this.yRange = new double[] {min, max};
            return this;
        }

        /** Image size in pixels (default 800 x 500). */
        public Builder optSize(int widthPixels, int heightPixels) {
            if (widthPixels < 200 || heightPixels < 150) {
                throw new IllegalArgumentException("a plot needs at least 200 x 150 pixels, got " + widthPixels + " x "
                        + heightPixels);
            }
            this.width = widthPixels;
            this.height = heightPixels;
            return this;
        }

        /** Adds a series; series are drawn and listed in the order added. */
        public Builder addSeries(Series s) {
            series.add(Objects.requireNonNull(s));
            return this;
        }

        public LinePlot build() {
            return new LinePlot(this);
        }
    }

    /**
     * Writes the chart atomically: as SVG when {@code file}'s name ends in {@code .svg}, else as a
     * PNG of the configured size.
     */
    public void write(Path file) {
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".svg")) {
            Svg.write(svg(), file);
        } else {
            Png.write(render(), file);
        }
    }

    /**
     * Writes the chart as {@code png} and, beside it, as the same name ending in {@code .svg}
     * (the vector figure for papers and the HTML report); both atomically.
     *
     * @return the files written, the PNG first
     */
    public List<Path> writePngAndSvg(Path png) {
        Path svg = svgSibling(png);
        write(png);
        write(svg);
        return List.of(png, svg);
    }

    /** {@code png}'s name with the extension replaced by {@code .svg}. */
    public static Path svgSibling(Path png) {
        String name = png.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return png.resolveSibling((dot < 0 ? name : name.substring(0, dot)) + ".svg");
    }

    /** Draws the chart. */
    public BufferedImage render() {
        BufferedImage image = Png.blank(width, height);
        Graphics2D g = Png.graphics(image);
        try {
            draw(g);
        } finally {
            g.dispose();
        }
        return image;
    }

    /** The chart as an SVG document of the configured size (no XML declaration; it can be inlined in HTML). */
    public String svg() {
        return Svg.render(width, height, this::draw);
    }

    /** Paints the chart on a canvas of the configured size (a PNG's or an SVG document's). */
    private void draw(Graphics2D g) {
        chart().draw(g, new Rectangle2D.Double(0, 0, width, height));
    }

    /** The chart as PNG bytes, e.g. for a data: URI in an HTML report. */
    public byte[] pngBytes() {
        return Png.bytes(render());
    }

    /** The JFreeChart chart: one dataset and renderer per series, so each keeps its own style. */
    private JFreeChart chart() {
        XYPlot plot = new XYPlot();
        plot.setDomainAxis(xAxis());
        plot.setRangeAxis(yAxis());
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlinePaint(AXIS);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        plot.setDomainGridlineStroke(new BasicStroke(1f));
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        int colour = 0;
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            Color c = s.color() != null ? s.color() : PALETTE[colour++ % PALETTE.length];
            // Drawn in the order added: JFreeChart draws higher dataset indices first by default.
            plot.setDataset(i, dataset(s));
            plot.setRenderer(i, renderer(s, c, i));
        }
        plot.setDatasetRenderingOrder(org.jfree.chart.plot.DatasetRenderingOrder.FORWARD);
        Font base = Png.font(Font.PLAIN, 13);
        JFreeChart chart = new JFreeChart(null, base, plot, !series.isEmpty());
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        chart.setPadding(new RectangleInsets(8, 8, 8, 8));
        if (!title.isEmpty()) {
            chart.setTitle(new TextTitle(title, Png.font(Font.BOLD, 15)));
        }
        LegendTitle legend = chart.getLegend();
        if (legend != null) {
            legend.setPosition(RectangleEdge.RIGHT);
            legend.setItemFont(base);
            legend.setFrame(org.jfree.chart.block.BlockBorder.NONE);
            legend.setBackgroundPaint(Color.WHITE);
        }
        return chart;
    }

    private ValueAxis xAxis() {
        Font label = Png.font(Font.PLAIN, 13);
        Font ticks = Png.font(Font.PLAIN, 12);
        ValueAxis axis;
        if (logX) {
            LogAxis log = new RoundLogAxis(xLabel);
            double[] range = finiteRange(true);
            if (range != null) {
                double lo = Math.log10(range[0]);
                double hi = Math.log10(range[1]);
                double pad = hi > lo ? MARGIN * (hi - lo) : 0.5;
                log.setRange(Math.pow(10, lo - pad), Math.pow(10, hi + pad));
            }
            axis = log;
        } else {
            NumberAxis linear = new NumberAxis(xLabel);
            linear.setAutoRangeIncludesZero(false);
            linear.setLowerMargin(MARGIN);
            linear.setUpperMargin(MARGIN);
            if (integerX) {
                linear.setStandardTickUnits(NumberAxis.createIntegerTickUnits(Locale.ROOT));
            }
            axis = linear;
        }
        axis.setLabelFont(label);
        axis.setTickLabelFont(ticks);
        axis.setAxisLinePaint(AXIS);
        axis.setTickLabelPaint(AXIS);
        return axis;
    }

    private ValueAxis yAxis() {
        NumberAxis axis = new NumberAxis(yLabel);
        axis.setLabelFont(Png.font(Font.PLAIN, 13));
        axis.setTickLabelFont(Png.font(Font.PLAIN, 12));
        axis.setAxisLinePaint(AXIS);
        axis.setTickLabelPaint(AXIS);
        axis.setAutoRangeIncludesZero(false);
        axis.setLowerMargin(MARGIN);
        axis.setUpperMargin(MARGIN);
        if (yRange != null) {
            axis.setRange(yRange[0], yRange[1]);
        }
        return axis;
    }

    /** The finite x values' smallest and largest, or null when there are none. */
    private double[] finiteRange(boolean positiveOnly) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double v : s.x) {
                if (Double.isFinite(v) && (!positiveOnly || v > 0)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        return lo <= hi ? new double[] {lo, hi} : null;
    }

    /**
     * A log10 axis with ticks at round numbers: 1, 2 and 5 times a power of ten over up to four
     * decades, powers of ten alone over more (JFreeChart's own ticks fall at fractional powers,
     * 25.119, 39.811, ...). Labels read 0.01, 100, 1000 rather than 1E2.
     */
    private static final class RoundLogAxis extends LogAxis {
        private static final long serialVersionUID = 1L;

        RoundLogAxis(String label) {
            super(label);
            setBase(10);
            setSmallestValue(1e-300);
        }

        @Override
        protected List<ValueTick> refreshTicksHorizontal(Graphics2D g2, Rectangle2D dataArea, RectangleEdge edge) {
            double lo = getLowerBound();
            double hi = getUpperBound();
            int first = (int) Math.floor(Math.log10(lo));
            int last = (int) Math.ceil(Math.log10(hi));
            int[] multiples = last - first > 4 ? new int[] {1} : new int[] {1, 2, 5};
            DecimalFormat format = new DecimalFormat("0.######", DecimalFormatSymbols.getInstance(Locale.ROOT));
            List<ValueTick> ticks = new ArrayList<>();
            for (int e = first; e <= last; e++) {
                for (int m : multiples) {
                    double v = m * Math.pow(10, e);
                    if (v >= lo && v <= hi) {
                        ticks.add(new NumberTick(v, format.format(v), TextAnchor.TOP_CENTER, TextAnchor.CENTER, 0.0));
                    }
                }
            }
            return ticks;
        }
    }

    /** Points with a NaN x are left out; a NaN y stays and breaks the line there. */
    private static YIntervalSeriesCollection dataset(Series s) {
        YIntervalSeries data = new YIntervalSeries(s.name(), false, true);
        for (int j = 0; j < s.x.length; j++) {
            if (Double.isNaN(s.x[j])) {
                continue;
            }
            double y = s.y[j];
            double d = s.std == null || Double.isNaN(s.std[j]) ? 0 : s.std[j];
            data.add(s.x[j], y, y - d, y + d);
        }
        YIntervalSeriesCollection collection = new YIntervalSeriesCollection();
        collection.addSeries(data);
        return collection;
    }

    private static XYLineAndShapeRenderer renderer(Series s, Color c, int index) {
        boolean lines = s.style() != Style.POINTS;
        boolean shapes = s.style() == Style.POINTS || s.style() == Style.LINE_POINTS;
        XYLineAndShapeRenderer r;
        if (s.std != null) {
            DeviationRenderer band = new DeviationRenderer(lines, shapes);
            band.setSeriesFillPaint(0, c);
            band.setAlpha(0.18f);
            r = band;
        } else {
            r = new XYLineAndShapeRenderer(lines, shapes);
        }
        r.setDrawSeriesLineAsPath(false);
        r.setSeriesPaint(0, c);
        r.setSeriesStroke(0, s.style() == Style.DASHED
                ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {8f, 5f}, 0f)
                : new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        r.setSeriesShape(0, marker(index));
        r.setSeriesShapesFilled(0, true);
        r.setLegendLine(new java.awt.geom.Line2D.Double(-12, 0, 12, 0));
        return r;
    }

    /** A marker shape per series (circle, square, diamond, triangle ...) so that series differ without colour. */
    private static Shape marker(int index) {
        double r = MARKER / 2;
        return switch (index % 4) {
            case 0 -> new Ellipse2D.Double(-r, -r, MARKER, MARKER);
            case 1 -> new Rectangle2D.Double(-r * 0.9, -r * 0.9, MARKER * 0.9, MARKER * 0.9);
            case 2 -> polygon(r * 1.2, new double[] {90, 180, 270, 0});
            default -> polygon(r * 1.2, new double[] {90, 210, 330});
        };
    }

    private static Shape polygon(double r, double[] degrees) {
        java.awt.geom.Path2D.Double p = new java.awt.geom.Path2D.Double();
        for (int i = 0; i < degrees.length; i++) {
            double a = Math.toRadians(degrees[i]);
            double x = r * Math.cos(a);
            double y = -r * Math.sin(a);
            if (i == 0) {
                p.moveTo(x, y);
            } else {
                p.lineTo(x, y);
            }
        }
        p.closePath();
        return p;
    }
}
