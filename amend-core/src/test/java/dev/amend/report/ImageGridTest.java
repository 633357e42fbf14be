package dev.amend.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.amend.data.ExampleSet;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageGridTest {
    @TempDir
    Path dir;

    /** n grey 5x5 images; image i has every pixel at i / 10 (image 0 black), with a white top-left pixel. */
    static ExampleSet grey(int n) {
        float[] x = new float[n * 25];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < 25; p++) {
                x[i * 25 + p] = i / 10f;
            }
            x[i * 25] = 1f;
        }
        return ExampleSet.of(x, new int[n], 1, 5, 5, ExampleSet.numberedClasses(10));
    }

    @Test
    void gridWithoutCaptionsHasTheSizeOfItsTiles() throws Exception {
        Path file = dir.resolve("grid.png");
        ImageGrid.builder(grey(6)).setIndices(new int[] {0, 1, 2, 3, 4, 5}).build().write(file);

        BufferedImage back = ImageIO.read(file.toFile());
        // Four columns of 15-pixel tiles with 8-pixel gaps and margins; two rows.
        assertThat(back.getWidth()).isEqualTo(8 + 4 * (15 + 8));
        assertThat(back.getHeight()).isEqualTo(8 + 2 * (15 + 8));
    }

    @Test
    void tilesShowThePixelsEnlargedInTheOrderGiven() {
        BufferedImage image = ImageGrid.builder(grey(6)).setIndices(new int[] {5, 2}).optScale(2).build().render();

        // Tile 0 (image 5) starts at (8, 8); its top-left 2x2 block is white, the rest at level 0.5.
        assertThat(image.getRGB(8, 8) & 0xFFFFFF).isEqualTo(0xFFFFFF);
        assertThat(image.getRGB(9, 9) & 0xFFFFFF).isEqualTo(0xFFFFFF);
        assertThat(image.getRGB(10, 8) & 0xFFFFFF).isEqualTo(0x808080);
        // Tile 1 (image 2, level 0.2 -> 51) starts at 8 + 10 + 8.
        assertThat(image.getRGB(26 + 5, 8 + 5) & 0xFFFFFF).isEqualTo(0x333333);
    }

    @Test
    void colourImagesAreDrawnInRgb() {
        float[] x = new float[3 * 2 * 2];
        for (int p = 0; p < 4; p++) {
            x[p] = 1f; // red plane full
            x[8 + p] = 2f; // blue above 1 is clamped
        }
        ExampleSet rgb = ExampleSet.of(x, new int[1], 3, 2, 2, ExampleSet.numberedClasses(2));

        BufferedImage image = ImageGrid.builder(rgb).setIndices(new int[] {0}).build().render();
        assertThat(image.getRGB(8, 8) & 0xFFFFFF).isEqualTo(0xFF00FF);
    }

    @Test
    void captionsAndTitleWidenTheImageSoTextFits() throws Exception {
        List<String> captions = new ArrayList<>();
        int[] indices = new int[16];
        for (int i = 0; i < 16; i++) {
            indices[i] = i % 6;
            captions.add("y=" + (i % 10) + " (was " + ((i + 3) % 10) + ") r=0." + (99 - i));
        }
        Path file = dir.resolve("fig2d.png");
        ImageGrid.builder(grey(6)).setIndices(indices).optCaptions(captions)
                .optTitle("16 most harmful training examples (EWC-influence)").build().write(file);

        BufferedImage back = ImageIO.read(file.toFile());
        assertThat(back.getWidth()).isGreaterThan(8 + 4 * (15 + 8));
        assertThat(back.getHeight()).isGreaterThan(8 + 4 * (15 + 8));
    }

    @Test
    void captionCountMustMatchAndIndicesMustBeInRange() {
        assertThatThrownBy(() -> ImageGrid.builder(grey(3)).setIndices(new int[] {0, 1})
                .optCaptions(List.of("a")).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ImageGrid.builder(grey(3)).setIndices(new int[] {3}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ImageGrid.builder(grey(3)).build()).isInstanceOf(IllegalArgumentException.class);
    }
}
