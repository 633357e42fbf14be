package dev.amend.report;

import dev.amend.data.ExampleSet;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A PNG grid of training images with a caption under each, for [T22] Fig. 2(d) and Fig. 7/8
 * (the 16 most and least harmful examples, e.g. captioned "y=7 (was 1) r=0.83").
 *
 * <p>Images come from a {@link ExampleSet}: one channel is drawn grey, three channels RGB; pixel
 * values are taken as [0, 1] and clamped to it. Each image is enlarged by an integer factor
 * with nearest-neighbour sampling, so single pixels stay visible. A cell is as wide as the
 * larger of the tile and its caption, so captions never overlap. Built with
 * {@link #builder(ExampleSet)}.
 */
public final class ImageGrid {
    private static final int PAD = 8;
    private static final Color TEXT = new Color(0x222222);

    private final ExampleSet data;
    private final int[] indices;
    private final List<String> captions;
    private final int columns;
    private final int scale;
    private final String title;

    private ImageGrid(Builder b) {
        this.data = b.data;
        this.indices = b.indices.clone();
        this.captions = b.captions == null ? null : List.copyOf(b.captions);
        this.columns = b.columns;
        this.scale = b.scale;
        this.title = b.title;
    }

    /** Whether the examples of {@code data} are images a grid can draw: grey or RGB, larger than one pixel. */
    public static boolean canShow(ExampleSet data) {
        return (data.channels() == 1 || data.channels() == 3) && data.height() * data.width() > 1;
    }

    /** Starts a grid of images of {@code data}; which ones is set with {@link Builder#setIndices(int[])}. */
    public static Builder builder(ExampleSet data) {
        return new Builder(data);
    }

    /** Settings of an {@link ImageGrid}: the indices are required, the rest optional. */
    public static final class Builder {
        private final ExampleSet data;
        private int[] indices;
        private List<String> captions;
        private int columns = 4;
        private int scale = 3;
        private String title = "";

        private Builder(ExampleSet data) {
            this.data = Objects.requireNonNull(data);
            if (data.channels() != 1 && data.channels() != 3) {
                throw new IllegalArgumentException("an image grid shows grey or RGB images, not " + data.channels()
                        + " channels");
            }
        }

        /** Positions in the data set of the images to show, row by row. */
        public Builder setIndices(int[] positions) {
            for (int i : positions) {
                if (i < 0 || i >= data.size()) {
                    throw new IllegalArgumentException("position " + i + " is outside the data set of " + data.size());
                }
            }
            this.indices = positions.clone();
            return this;
        }

        /** One caption per image (default none). */
        public Builder optCaptions(List<String> lines) {
            this.captions = new ArrayList<>(lines);
            return this;
        }

        /** Images per row (default 4, as in [T22] Fig. 2d). */
        public Builder optColumns(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("columns must be positive, got " + count);
            }
            this.columns = count;
            return this;
        }

        /** Enlargement factor of each image (default 3). */
        public Builder optScale(int factor) {
            if (factor < 1) {
                throw new IllegalArgumentException("scale must be positive, got " + factor);
            }
            this.scale = factor;
            return this;
        }

        public Builder optTitle(String text) {
            this.title = Objects.requireNonNull(text);
            return this;
        }

        public ImageGrid build() {
            if (indices == null || indices.length == 0) {
                throw new IllegalArgumentException("an image grid needs at least one image");
            }
            if (captions != null && captions.size() != indices.length) {
                throw new IllegalArgumentException(captions.size() + " captions for " + indices.length + " images");
            }
            return new ImageGrid(this);
        }
    }

    /** Writes the grid as a PNG, atomically. */
    public void write(Path file) {
        Png.write(render(), file);
    }

    /** The grid as PNG bytes, e.g. for a data: URI in an HTML report. */
    public byte[] pngBytes() {
        return Png.bytes(render());
    }

    /** Draws the grid. */
    public BufferedImage render() {
        Font captionFont = Png.font(Font.PLAIN, 11);
        Font titleFont = Png.font(Font.BOLD, 14);
        // Text is measured on a scratch image because the final size depends on it.
        Graphics2D scratch = Png.graphics(Png.blank(1, 1));
        FontMetrics captionMetrics = scratch.getFontMetrics(captionFont);
        FontMetrics titleMetrics = scratch.getFontMetrics(titleFont);
        scratch.dispose();

        int tileW = data.width() * scale;
        int tileH = data.height() * scale;
        int cellW = tileW;
        if (captions != null) {
            for (String c : captions) {
                cellW = Math.max(cellW, captionMetrics.stringWidth(c));
            }
        }
        int captionH = captions == null ? 0 : captionMetrics.getHeight() + 2;
        int cellH = tileH + captionH;
        int cols = Math.min(columns, indices.length);
        int rows = (indices.length + cols - 1) / cols;
        int titleH = title.isEmpty() ? 0 : titleMetrics.getHeight() + PAD;
        int width = Math.max(PAD + cols * (cellW + PAD), title.isEmpty() ? 0 : titleMetrics.stringWidth(title) + 2 * PAD);
        int height = PAD + titleH + rows * (cellH + PAD);

        BufferedImage image = Png.blank(width, height);
        Graphics2D g = Png.graphics(image);
        try {
            // The grid is centred when a long title makes the image wider than the cells.
            int x0 = (width - (cols * (cellW + PAD) - PAD)) / 2;
            if (!title.isEmpty()) {
                g.setFont(titleFont);
                g.setColor(TEXT);
                g.drawString(title, (width - titleMetrics.stringWidth(title)) / 2, PAD + titleMetrics.getAscent());
            }
            g.setFont(captionFont);
            for (int j = 0; j < indices.length; j++) {
                int cellX = x0 + (j % cols) * (cellW + PAD);
                int cellY = PAD + titleH + (j / cols) * (cellH + PAD);
                g.drawImage(tile(indices[j]), cellX + (cellW - tileW) / 2, cellY, null);
                if (captions != null) {
                    String c = captions.get(j);
                    g.setColor(TEXT);
                    g.drawString(c, cellX + (cellW - captionMetrics.stringWidth(c)) / 2,
                            cellY + tileH + 2 + captionMetrics.getAscent());
                }
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Example {@code position}, enlarged {@code scale} times by repeating pixels. */
    private BufferedImage tile(int position) {
        int h = data.height();
        int w = data.width();
        int plane = h * w;
        int offset = position * data.imageSize();
        float[] pixels = data.pixels();
        boolean rgb = data.channels() == 3;
        BufferedImage tile = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
        for (int yy = 0; yy < h; yy++) {
            for (int xx = 0; xx < w; xx++) {
                int p = offset + yy * w + xx;
                int r = level(pixels[p]);
                int gr = rgb ? level(pixels[p + plane]) : r;
                int b = rgb ? level(pixels[p + 2 * plane]) : r;
                int argb = (r << 16) | (gr << 8) | b;
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        tile.setRGB(xx * scale + dx, yy * scale + dy, argb);
                    }
                }
            }
        }
        return tile;
    }

    private static int level(float v) {
        // NaN maps to black rather than failing a whole figure.
        float clamped = Float.isNaN(v) ? 0 : Math.max(0f, Math.min(1f, v));
        return Math.round(clamped * 255);
    }
}
