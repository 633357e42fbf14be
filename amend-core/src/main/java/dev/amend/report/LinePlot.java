package dev.amend.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A PNG line chart drawn with java.awt alone (no plotting dependency): named series of (x, y)
 * points drawn as lines, dashed lines, markers, or lines with markers, each with an optional
 * error band y +- std (the "mean +- std of 5 runs" of [T22] Fig. 2c); linear or log-scale x
 * (Fig. 3 and 4 put k on a log axis); title, axis labels, ticks with grid lines, and a legend
 * to the right of the plot area so that it never hides data. Markers-only series make scatter
 * plots (Fig. 5 and 9: one point per setting, accuracy on F_h against accuracy on T\F).
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
    private static final Color GRID = new Color(0xE4E4E4);
    private static final int PAD = 10;
    private static final int TICK = 5;
    private static final int MARKER = 8;
    private static final int LEGEND_SAMPLE = 30;
    /** Share of the data's span left empty at each end of an automatic axis (as matplotlib does). */
    private static final double MARGIN = 0.05;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final boolean logX;
    private final double[] yRange;
    private final int width;
    private final int height;
    private final List<Series> series;

    private LinePlot(Builder b) {
        this.title = b.title;
        this.xLabel = b.xLabel;
        this.yLabel = b.yLabel;
        this.logX = b.logX;
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

    /** Writes the chart as a PNG of the configured size, atomically. */
    public void write(Path file) {
        Png.write(render(), file);
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

    private void draw(Graphics2D g) {
        Font titleFont = Png.font(Font.BOLD, 16);
        Font labelFont = Png.font(Font.PLAIN, 13);
        Font tickFont = Png.font(Font.PLAIN, 11);
        Font legendFont = Png.font(Font.PLAIN, 12);
        Axis x = logX ? Axis.log(xValues()) : Axis.linear(xValues(), null);
        Axis y = Axis.linear(yValues(), yRange);

        FontMetrics tickMetrics = g.getFontMetrics(tickFont);
        FontMetrics labelMetrics = g.getFontMetrics(labelFont);
        FontMetrics legendMetrics = g.getFontMetrics(legendFont);
        int yTickWidth = 0;
        for (Tick t : y.ticks) {
            yTickWidth = Math.max(yTickWidth, tickMetrics.stringWidth(t.label));
        }
        int legendWidth = 0;
        for (Series s : series) {
            legendWidth = Math.max(legendWidth, LEGEND_SAMPLE + 6 + legendMetrics.stringWidth(s.name()));
        }
        int top = PAD + (title.isEmpty() ? 0 : g.getFontMetrics(titleFont).getHeight() + PAD);
        int left = PAD + (yLabel.isEmpty() ? 0 : labelMetrics.getHeight() + PAD) + yTickWidth + TICK + 4;
        int bottom = height - PAD - (xLabel.isEmpty() ? 0 : labelMetrics.getHeight() + 4) - tickMetrics.getHeight()
                - TICK - 4;
        // Leave room for the last x tick label to be centred on the right edge of the plot area.
        int right = width - 2 * PAD - (series.isEmpty() ? lastLabelWidth(x, tickMetrics) / 2 : legendWidth + 2 * PAD);
        Rectangle2D.Double area = new Rectangle2D.Double(left, top, right - left, bottom - top);

        if (!title.isEmpty()) {
            g.setFont(titleFont);
            g.setColor(AXIS);
            FontMetrics m = g.getFontMetrics();
            g.drawString(title, (float) (area.getCenterX() - m.stringWidth(title) / 2.0), PAD + m.getAscent());
        }
        drawGridAndTicks(g, area, x, y, tickFont);
        drawAxisLabels(g, area, labelFont);

        Shape clip = g.getClip();
        g.clip(area);
        for (int s = 0; s < series.size(); s++) {
            drawSeries(g, area, x, y, series.get(s), colorOf(s), s);
        }
        g.setClip(clip);
        g.setColor(AXIS);
        g.setStroke(new BasicStroke(1f));
        g.draw(area);
        drawLegend(g, area, legendFont);
    }

    private static int lastLabelWidth(Axis axis, FontMetrics m) {
        int w = 0;
        for (Tick t : axis.ticks) {
            if (!t.label.isEmpty()) {
                w = m.stringWidth(t.label);
            }
        }
        return w;
    }

    private void drawGridAndTicks(Graphics2D g, Rectangle2D.Double area, Axis x, Axis y, Font tickFont) {
        g.setFont(tickFont);
        FontMetrics m = g.getFontMetrics();
        g.setStroke(new BasicStroke(1f));
        for (Tick t : x.ticks) {
            double px = area.x + x.fraction(t.value) * area.width;
            if (t.major) {
                g.setColor(GRID);
                g.draw(new Line2D.Double(px, area.y, px, area.y + area.height));
            }
            g.setColor(AXIS);
            int len = t.major ? TICK : TICK / 2 + 1;
            g.draw(new Line2D.Double(px, area.y + area.height, px, area.y + area.height + len));
            if (!t.label.isEmpty()) {
                g.drawString(t.label, (float) (px - m.stringWidth(t.label) / 2.0),
                        (float) (area.y + area.height + TICK + 2 + m.getAscent()));
            }
        }
        for (Tick t : y.ticks) {
            double py = area.y + (1 - y.fraction(t.value)) * area.height;
            g.setColor(GRID);
            g.draw(new Line2D.Double(area.x, py, area.x + area.width, py));
            g.setColor(AXIS);
            g.draw(new Line2D.Double(area.x - TICK, py, area.x, py));
            g.drawString(t.label, (float) (area.x - TICK - 4 - m.stringWidth(t.label)),
                    (float) (py + m.getAscent() / 2.0 - 1));
        }
    }

    private void drawAxisLabels(Graphics2D g, Rectangle2D.Double area, Font labelFont) {
        g.setFont(labelFont);
        g.setColor(AXIS);
        FontMetrics m = g.getFontMetrics();
        if (!xLabel.isEmpty()) {
            g.drawString(xLabel, (float) (area.getCenterX() - m.stringWidth(xLabel) / 2.0), height - PAD - m.getDescent());
        }
        if (!yLabel.isEmpty()) {
            AffineTransform saved = g.getTransform();
            g.translate(PAD + m.getAscent(), area.getCenterY() + m.stringWidth(yLabel) / 2.0);
            g.rotate(-Math.PI / 2);
            g.drawString(yLabel, 0, 0);
            g.setTransform(saved);
        }
    }

    private void drawSeries(Graphics2D g, Rectangle2D.Double area, Axis xAxis, Axis yAxis, Series s, Color color,
            int index) {
        int n = s.x.length;
        double[] px = new double[n];
        double[] py = new double[n];
        boolean[] ok = new boolean[n];
        for (int i = 0; i < n; i++) {
            ok[i] = Double.isFinite(s.x[i]) && Double.isFinite(s.y[i]);
            if (ok[i]) {
                px[i] = area.x + xAxis.fraction(s.x[i]) * area.width;
                py[i] = area.y + (1 - yAxis.fraction(s.y[i])) * area.height;
            }
        }
        if (s.std != null) {
            g.setColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 50));
            for (int[] run : runs(ok, s.std)) {
                Path2D.Double band = new Path2D.Double();
                for (int i = run[0]; i < run[1]; i++) {
                    double upper = area.y + (1 - yAxis.fraction(s.y[i] + s.std[i])) * area.height;
                    if (i == run[0]) {
                        band.moveTo(px[i], upper);
                    } else {
                        band.lineTo(px[i], upper);
                    }
                }
                for (int i = run[1] - 1; i >= run[0]; i--) {
                    band.lineTo(px[i], area.y + (1 - yAxis.fraction(s.y[i] - s.std[i])) * area.height);
                }
                band.closePath();
                g.fill(band);
            }
        }
        g.setColor(color);
        if (s.style != Style.POINTS) {
            float[] dash = s.style == Style.DASHED ? new float[] {7f, 5f} : null;
            g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, dash, 0f));
            for (int[] run : runs(ok, null)) {
                Path2D.Double line = new Path2D.Double();
                line.moveTo(px[run[0]], py[run[0]]);
                for (int i = run[0] + 1; i < run[1]; i++) {
                    line.lineTo(px[i], py[i]);
                }
                g.draw(line);
            }
        }
        if (s.style == Style.POINTS || s.style == Style.LINE_POINTS) {
            g.setStroke(new BasicStroke(1f));
            for (int i = 0; i < n; i++) {
                if (ok[i]) {
                    g.fill(marker(index, px[i], py[i]));
                }
            }
        }
    }

    /** [start, end) index ranges of consecutive drawable points (and finite std, if given). */
    private static List<int[]> runs(boolean[] ok, double[] std) {
        List<int[]> runs = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= ok.length; i++) {
            boolean good = i < ok.length && ok[i] && (std == null || Double.isFinite(std[i]));
            if (good && start < 0) {
                start = i;
            } else if (!good && start >= 0) {
                runs.add(new int[] {start, i});
                start = -1;
            }
        }
        return runs;
    }

    /** Marker shapes differ by series, so scatter series stay apart in grey-scale prints. */
    private static Shape marker(int index, double cx, double cy) {
        double r = MARKER / 2.0;
        return switch (index % 4) {
            case 0 -> new Ellipse2D.Double(cx - r, cy - r, MARKER, MARKER);
            case 1 -> new Rectangle2D.Double(cx - r * 0.9, cy - r * 0.9, MARKER * 0.9, MARKER * 0.9);
            case 2 -> polygon(cx, cy, r * 1.2, new double[] {-90, 30, 150});
            default -> polygon(cx, cy, r * 1.2, new double[] {-90, 0, 90, 180});
        };
    }

    private static Shape polygon(double cx, double cy, double r, double[] degrees) {
        Path2D.Double p = new Path2D.Double();
        for (int i = 0; i < degrees.length; i++) {
            double a = Math.toRadians(degrees[i]);
            if (i == 0) {
                p.moveTo(cx + r * Math.cos(a), cy + r * Math.sin(a));
            } else {
                p.lineTo(cx + r * Math.cos(a), cy + r * Math.sin(a));
            }
        }
        p.closePath();
        return p;
    }

    private void drawLegend(Graphics2D g, Rectangle2D.Double area, Font legendFont) {
        g.setFont(legendFont);
        FontMetrics m = g.getFontMetrics();
        double x0 = area.x + area.width + 2 * PAD;
        double yLine = area.y + m.getHeight() / 2.0;
        for (int s = 0; s < series.size(); s++) {
            Series ser = series.get(s);
            Color color = colorOf(s);
            if (ser.std != null) {
                g.setColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 50));
                g.fill(new Rectangle2D.Double(x0, yLine - 5, LEGEND_SAMPLE, 10));
            }
            g.setColor(color);
            if (ser.style != Style.POINTS) {
                float[] dash = ser.style == Style.DASHED ? new float[] {7f, 5f} : null;
                g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, dash, 0f));
                g.draw(new Line2D.Double(x0, yLine, x0 + LEGEND_SAMPLE, yLine));
            }
            if (ser.style == Style.POINTS || ser.style == Style.LINE_POINTS) {
                g.fill(marker(s, x0 + LEGEND_SAMPLE / 2.0, yLine));
            }
            g.setColor(AXIS);
            g.drawString(ser.name(), (float) (x0 + LEGEND_SAMPLE + 6), (float) (yLine + m.getAscent() / 2.0 - 1));
            yLine += m.getHeight() + 4;
        }
    }

    private Color colorOf(int index) {
        Color c = series.get(index).color();
        return c != null ? c : PALETTE[index % PALETTE.length];
    }

    private List<Double> xValues() {
        List<Double> values = new ArrayList<>();
        for (Series s : series) {
            for (int i = 0; i < s.x.length; i++) {
                if (Double.isFinite(s.x[i]) && Double.isFinite(s.y[i])) {
                    values.add(s.x[i]);
                }
            }
        }
        return values;
    }

    private List<Double> yValues() {
        List<Double> values = new ArrayList<>();
        for (Series s : series) {
            for (int i = 0; i < s.y.length; i++) {
                if (Double.isFinite(s.x[i]) && Double.isFinite(s.y[i])) {
                    values.add(s.y[i]);
                    if (s.std != null && Double.isFinite(s.std[i])) {
                        values.add(s.y[i] + s.std[i]);
                        values.add(s.y[i] - s.std[i]);
                    }
                }
            }
        }
        return values;
    }

    /** A tick at {@code value}; minor ticks have no grid line and an empty label. */
    private record Tick(double value, String label, boolean major) {
    }

    /** An axis maps a data value to [0, 1] of the plot area and knows its ticks. */
    private static final class Axis {
        final double min;
        final double max;
        final boolean log;
        final List<Tick> ticks;

        private Axis(double min, double max, boolean log, List<Tick> ticks) {
            this.min = min;
            this.max = max;
            this.log = log;
            this.ticks = ticks;
        }

        double fraction(double v) {
            return log ? (Math.log10(v) - min) / (max - min) : (v - min) / (max - min);
        }

        /**
         * Four to seven ticks at multiples of 1, 2 or 5 times a power of ten. An automatic range
         * adds a margin of {@value #MARGIN} of the data's span on each side, so that markers at
         * the extremes are not cut by the frame.
         */
        static Axis linear(List<Double> values, double[] fixed) {
            double lo;
            double hi;
            if (fixed != null) {
                lo = fixed[0];
                hi = fixed[1];
            } else if (values.isEmpty()) {
                lo = 0;
                hi = 1;
            } else {
                lo = values.stream().mapToDouble(Double::doubleValue).min().getAsDouble();
                hi = values.stream().mapToDouble(Double::doubleValue).max().getAsDouble();
                if (lo == hi) {
                    double half = lo == 0 ? 1 : Math.abs(lo) * 0.1;
                    lo -= half;
                    hi += half;
                }
                double margin = MARGIN * (hi - lo);
                lo -= margin;
                hi += margin;
            }
            double step = niceStep(hi - lo);
            List<Tick> ticks = new ArrayList<>();
            int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
            for (long i = (long) Math.ceil(lo / step - 1e-9); i * step <= hi + step * 1e-9; i++) {
                double v = i * step;
                ticks.add(new Tick(v, format(v, decimals), true));
            }
            return new Axis(lo, hi, false, ticks);
        }

        /**
         * A log10 axis over the data with the same relative margin; a labelled tick at each
         * power of ten (every other one when more than eight fit) and minor ticks at 2..9 times it.
         */
        static Axis log(List<Double> values) {
            double lo = 0;
            double hi = 1;
            if (!values.isEmpty()) {
                lo = Math.log10(values.stream().mapToDouble(Double::doubleValue).min().getAsDouble());
                hi = Math.log10(values.stream().mapToDouble(Double::doubleValue).max().getAsDouble());
                if (lo == hi) {
                    lo -= 0.5;
                    hi += 0.5;
                }
                double margin = MARGIN * (hi - lo);
                lo -= margin;
                hi += margin;
            }
            int first = (int) Math.floor(lo);
            int last = (int) Math.ceil(hi);
            int every = last - first > 9 ? 2 : 1;
            List<Tick> ticks = new ArrayList<>();
            for (int e = first; e <= last; e++) {
                for (int m = 1; m <= 9; m++) {
                    double v = m * Math.pow(10, e);
                    double lv = Math.log10(v);
                    if (lv >= lo - 1e-9 && lv <= hi + 1e-9) {
                        boolean major = m == 1;
                        ticks.add(new Tick(v, major && Math.floorMod(e, every) == 0 ? powerOfTen(e) : "", major));
                    }
                }
            }
            return new Axis(lo, hi, true, ticks);
        }

        /** The smallest step of 1, 2 or 5 times a power of ten that cuts {@code span} into at most 7 parts. */
        private static double niceStep(double span) {
            double p = Math.pow(10, Math.floor(Math.log10(span / 7)));
            for (double m : new double[] {1, 2, 5, 10}) {
                if (span / (m * p) <= 7 + 1e-9) {
                    return m * p;
                }
            }
            return 10 * p;
        }

        private static String format(double v, int decimals) {
            if (Math.abs(v) >= 1e6) {
                return String.format(Locale.ROOT, "%.3g", v);
            }
            String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
            // Avoid "-0" from values that are zero up to rounding.
            return s.matches("-0(\\.0*)?") ? s.substring(1) : s;
        }

        private static String powerOfTen(int e) {
            if (e >= 0 && e <= 5) {
                return Long.toString((long) Math.pow(10, e));
            }
            if (e < 0 && e >= -3) {
                return String.format(Locale.ROOT, "%." + -e + "f", Math.pow(10, e));
            }
            return "1e" + e;
        }
    }
}
