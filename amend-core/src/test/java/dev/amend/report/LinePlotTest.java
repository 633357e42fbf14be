package dev.amend.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinePlotTest {
    @TempDir
    Path dir;

    /** A Fig. 2(c)-like chart: frac(k) of two methods with bands, and the two reference curves. */
    static LinePlot fractionChart() {
        int n = 60;
        double[] k = new double[n];
        double[] ewc = new double[n];
        double[] std = new double[n];
        double[] other = new double[n];
        double[] oracle = new double[n];
        double[] random = new double[n];
        for (int i = 0; i < n; i++) {
            k[i] = Math.pow(10, 4.0 * i / (n - 1));
            ewc[i] = Math.min(1, 2000 / k[i]) * 0.95;
            std[i] = 0.04;
            other[i] = Math.min(1, 800 / k[i]) * 0.8;
            oracle[i] = Math.min(1, 2700 / k[i]);
            random[i] = 0.05;
        }
        return LinePlot.builder()
                .optTitle("Fraction of flipped labels among the top-k")
                .optXLabel("k (number of examples removed)")
                .optYLabel("fraction noisy in top-k")
                .optLogX(true)
                .optYRange(0, 1.05)
                .addSeries(LinePlot.Series.band("EWC-influence", k, ewc, std))
                .addSeries(LinePlot.Series.band("linear influence (GD)", k, other, std))
                .addSeries(LinePlot.Series.line("oracle", k, oracle).withStyle(LinePlot.Style.DASHED)
                        .withColor(Color.BLACK))
                .addSeries(LinePlot.Series.line("random", k, random).withStyle(LinePlot.Style.DASHED)
                        .withColor(Color.GRAY))
                .build();
    }

    /** A Fig. 5-like scatter: (accuracy on F_h, accuracy on T\F) for two treatments. */
    static LinePlot scatterChart() {
        return LinePlot.builder()
                .optTitle("Repair trade-off")
                .optXLabel("accuracy on F_h")
                .optYLabel("accuracy on T\\F")
                .addSeries(LinePlot.Series.points("EWC-deletion", new double[] {0.1, 0.3, 0.45, 0.6},
                        new double[] {0.99, 0.985, 0.97, 0.94}))
                .addSeries(LinePlot.Series.points("Newton removal", new double[] {0.05, 0.2, 0.3, Double.NaN},
                        new double[] {0.995, 0.96, 0.9, 0.5}))
                .addSeries(LinePlot.Series.line("fine-tune on D\\C", new double[] {0.5}, new double[] {0.975})
                        .withStyle(LinePlot.Style.LINE_POINTS))
                .build();
    }

    @Test
    void writesAPngOfTheRequestedSize() throws Exception {
        Path file = dir.resolve("fig2c.png");
        LinePlot.builder().optSize(640, 400).addSeries(LinePlot.Series.line("a", new double[] {1, 2},
                new double[] {3, 4})).build().write(file);

        BufferedImage back = ImageIO.read(file.toFile());
        assertThat(back).isNotNull();
        assertThat(back.getWidth()).isEqualTo(640);
        assertThat(back.getHeight()).isEqualTo(400);
    }

    @Test
    void defaultSizeIs800By500AndSeriesAreDrawnInPaletteColours() throws Exception {
        Path file = dir.resolve("fig.png");
        fractionChart().write(file);

        BufferedImage back = ImageIO.read(file.toFile());
        assertThat(back.getWidth()).isEqualTo(800);
        assertThat(back.getHeight()).isEqualTo(500);
        // The first series' colour (Okabe-Ito blue) appears, and the image is not blank.
        assertThat(count(back, 0x0072B2)).isGreaterThan(100);
        assertThat(count(back, 0xFFFFFF)).isLessThan(800 * 500);
    }

    @Test
    void scatterSeriesDrawMarkersWithoutLines() throws Exception {
        Path file = dir.resolve("fig5.png");
        scatterChart().write(file);

        BufferedImage back = ImageIO.read(file.toFile());
        assertThat(back.getWidth()).isEqualTo(800);
        // Four filled markers of about 8 x 8 pixels (edges antialiased) plus the legend's; a line would add hundreds.
        assertThat(count(back, 0x0072B2)).isBetween(5 * 15, 5 * 70);
    }

    @Test
    void writesOverAnExistingFileAndLeavesNoTemporaryFiles() throws Exception {
        Path file = dir.resolve("plot.png");
        Files.writeString(file, "old");
        scatterChart().write(file);

        assertThat(ImageIO.read(file.toFile())).isNotNull();
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void logAxisRejectsNonPositiveX() {
        LinePlot.Builder b = LinePlot.builder().optLogX(true)
                .addSeries(LinePlot.Series.line("a", new double[] {0, 1}, new double[] {1, 2}));
        assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("log");
    }

    @Test
    void seriesMustHaveMatchingLengths() {
        assertThatThrownBy(() -> LinePlot.Series.line("a", new double[2], new double[3]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LinePlot.Series.band("a", new double[2], new double[2], new double[1]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void emptyAndConstantDataStillDraw() {
        assertThat(LinePlot.builder().build().render().getWidth()).isEqualTo(800);
        assertThat(LinePlot.builder().addSeries(LinePlot.Series.line("flat", new double[] {1, 2, 3},
                new double[] {0.5, 0.5, 0.5})).build().render().getHeight()).isEqualTo(500);
    }

    private static int count(BufferedImage image, int rgb) {
        int c = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == rgb) {
                    c++;
                }
            }
        }
        return c;
    }
}
