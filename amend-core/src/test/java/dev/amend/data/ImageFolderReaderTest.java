package dev.amend.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.amend.AmendException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderReaderTest {
    @TempDir
    Path dir;

    private void grey(String split, String cls, String file, int value, int size) throws IOException {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                image.getRaster().setSample(x, y, 0, value);
            }
        }
        write(image, split, cls, file);
    }

    private void rgb(String split, String cls, String file, int rgb) throws IOException {
        BufferedImage image = new BufferedImage(3, 3, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 3; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        write(image, split, cls, file);
    }

    private void write(BufferedImage image, String split, String cls, String file) throws IOException {
        Path folder = Files.createDirectories(dir.resolve(split).resolve(cls));
        ImageIO.write(image, "png", folder.resolve(file).toFile());
    }

    @Test
    void greyPngsKeepTheirValuesAndClassesAreSortedFolderNames() throws IOException {
        grey("train", "zebra", "b.png", 100, 3);
        grey("train", "zebra", "a.png", 50, 3);
        grey("train", "ant", "x.png", 255, 3);
        grey("test", "zebra", "t.png", 0, 3);
        Files.writeString(dir.resolve("train/ant/notes.txt"), "not an image");

        LoadedData data = ImageFolderReader.read(dir);

        ExampleSet train = data.train();
        assertThat(train.classNames()).containsExactly("ant", "zebra");
        assertThat(train.shapeString()).isEqualTo("1x3x3");
        assertThat(train.labels()).containsExactly(0, 1, 1);
        assertThat(train.image(1)[0]).isEqualTo(50 / 255f);
        assertThat(train.image(2)[4]).isEqualTo(100 / 255f);
        assertThat(data.test().labels()).containsExactly(1);
        assertThat(ImageFolderReader.files(dir.resolve("train"), train.classNames()))
                .extracting(p -> p.getFileName().toString())
                .containsExactly("x.png", "a.png", "b.png");
    }

    @Test
    void oneColouredImageMakesTheDataRgb() throws IOException {
        rgb("train", "a", "1.png", 0x808080);
        rgb("train", "b", "2.png", 0x336699);
        rgb("test", "a", "3.png", 0x000000);

        LoadedData data = ImageFolderReader.read(dir);

        assertThat(data.train().shapeString()).isEqualTo("3x3x3");
        float[] image = data.train().image(1);
        assertThat(image[0]).isEqualTo(0x33 / 255f);
        assertThat(image[9]).isEqualTo(0x66 / 255f);
        assertThat(image[18]).isEqualTo(0x99 / 255f);
        assertThat(data.test().shapeString()).isEqualTo("3x3x3");
    }

    @Test
    void emptyClassFolderIsAnError() throws IOException {
        grey("train", "a", "1.png", 10, 3);
        grey("test", "a", "2.png", 10, 3);
        Files.createDirectories(dir.resolve("train/b"));
        assertThatThrownBy(() -> ImageFolderReader.read(dir))
                .isInstanceOf(AmendException.class)
                .hasMessageContaining("class folder " + dir.resolve("train/b") + " has no");
    }

    @Test
    void imagesOfDifferentSizesAreAnError() throws IOException {
        grey("train", "a", "1.png", 10, 3);
        grey("train", "a", "2.png", 10, 4);
        grey("test", "a", "3.png", 10, 3);
        assertThatThrownBy(() -> ImageFolderReader.read(dir))
                .isInstanceOf(AmendException.class)
                .hasMessageContaining("2.png is 4x4 but")
                .hasMessageContaining("same size");
    }

    @Test
    void colourImagesOfAnySizeAreRead() throws IOException {
        BufferedImage image = new BufferedImage(5, 2, BufferedImage.TYPE_INT_RGB);
        image.setRGB(4, 1, 0x336699);
        write(image, "train", "sky", "a.png");
        write(image, "train", "water", "c.png");
        write(image, "test", "sky", "b.png");

        ExampleSet train = ImageFolderReader.read(dir).train();

        assertThat(train.shapeString()).isEqualTo("3x2x5");
        float[] x = train.image(0);
        assertThat(new float[] {x[9], x[19], x[29]}).containsExactly(0x33 / 255f, 0x66 / 255f, 0x99 / 255f);
    }

    @Test
    void classFoldersWithoutSplitsAreReadForAModelsClassesAndChannels() throws IOException {
        grey("failures", "zebra", "z.png", 51, 3);
        grey("failures", "ant", "a.png", 102, 3);
        Path failures = dir.resolve("failures");

        ExampleSet rgb = ImageFolderReader.readClasses(failures, java.util.List.of("zebra", "ant", "bee"), 3);

        assertThat(rgb.shapeString()).isEqualTo("3x3x3");
        assertThat(rgb.labels()).containsExactly(0, 1);
        assertThat(rgb.image(1)[0]).isEqualTo(0.4f);
        assertThat(rgb.image(1)[26]).isEqualTo(0.4f);
        assertThat(ImageFolderReader.readClasses(failures, java.util.List.of("ant", "zebra"), 1).labels())
                .containsExactly(0, 1);
        assertThatThrownBy(() -> ImageFolderReader.readClasses(failures, java.util.List.of("ant"), 1))
                .isInstanceOf(AmendException.class)
                .hasMessage(failures.resolve("zebra") + " is not a class of the model [ant]");
        rgb("failures", "ant", "c.png", 0xff0000);
        assertThatThrownBy(() -> ImageFolderReader.readClasses(failures, java.util.List.of("ant", "zebra"), 1))
                .isInstanceOf(AmendException.class)
                .hasMessage("the images in " + failures + " are in colour but the model takes grey images");
    }

    @Test
    void testClassUnknownToTrainingIsAnError() throws IOException {
        grey("train", "a", "1.png", 10, 3);
        grey("test", "b", "2.png", 10, 3);
        assertThatThrownBy(() -> ImageFolderReader.read(dir)).hasMessageContaining("is not a class of");
    }

    @Test
    void missingSplitFoldersAreAnError() throws IOException {
        grey("train", "a", "1.png", 10, 3);
        assertThatThrownBy(() -> ImageFolderReader.read(dir)).hasMessageContaining("needs the sub-folders");
    }
}
