package dev.amend.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.amend.AmendException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {
    @TempDir
    Path dir;

    static ExampleSet smallGrey() {
        int n = 4;
        float[] x = new float[n * 3 * 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i * 37 % 256) / 255f;
        }
        return ExampleSet.of(x, new int[] {2, 0, 1, 2}, 1, 3, 2, ExampleSet.numberedClasses(3));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void roundTripKeepsPixelsLabelsAndShape(boolean gzip) {
        ExampleSet data = smallGrey();
        // names without .gz: compression must be detected from the content
        Path images = dir.resolve("images.idx");
        Path labels = dir.resolve("labels.idx");
        IdxWriter.write(data, images, labels, gzip);

        ExampleSet back = IdxReader.read(images, labels, null);

        assertThat(back.pixels()).containsExactly(data.pixels());
        assertThat(back.labels()).containsExactly(data.labels());
        assertThat(back.rows()).containsExactly(0, 1, 2, 3);
        assertThat(back.shapeString()).isEqualTo("1x3x2");
        assertThat(back.classNames()).containsExactly("0", "1", "2");
    }

    @Test
    void gzipFilesStartWithTheGzipMagic() throws IOException {
        IdxWriter.write(smallGrey(), dir.resolve("i"), dir.resolve("l"), true);
        byte[] head = Arrays.copyOf(Files.readAllBytes(dir.resolve("i")), 2);
        assertThat(head).containsExactly(0x1f, 0x8b);
    }

    @Test
    void labelFileGivenAsImagesIsRejectedByMagicNumber() {
        IdxWriter.write(smallGrey(), dir.resolve("i"), dir.resolve("l"), false);
        assertThatThrownBy(() -> IdxReader.read(dir.resolve("l"), dir.resolve("i"), null))
                .isInstanceOf(AmendException.class)
                .hasMessageContaining(dir.resolve("l").toString())
                .hasMessageContaining("magic number 0x00000801")
                .hasMessageContaining("that is a label file");
    }

    @Test
    void truncatedImageFileIsReported() throws IOException {
        Path images = dir.resolve("i");
        IdxWriter.write(smallGrey(), images, dir.resolve("l"), false);
        byte[] bytes = Files.readAllBytes(images);
        Files.write(images, Arrays.copyOf(bytes, bytes.length - 5));
        assertThatThrownBy(() -> IdxReader.readImages(images))
                .isInstanceOf(AmendException.class)
                .hasMessageContaining(images.toString())
                .hasMessageContaining("truncated");
    }

    @Test
    void truncatedGzipFileIsReported() throws IOException {
        Path images = dir.resolve("i.gz");
        IdxWriter.write(smallGrey(), images, dir.resolve("l.gz"), true);
        byte[] bytes = Files.readAllBytes(images);
        Files.write(images, Arrays.copyOf(bytes, bytes.length - 12));
        assertThatThrownBy(() -> IdxReader.readImages(images))
                .isInstanceOf(AmendException.class)
                .hasMessageContaining(images.toString());
    }

    @Test
    void truncatedHeaderIsReported() throws IOException {
        Path labels = dir.resolve("l");
        Files.write(labels, new byte[] {0, 0, 8, 1, 0, 0});
        assertThatThrownBy(() -> IdxReader.readLabels(labels))
                .isInstanceOf(AmendException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void countMismatchNamesBothFiles() {
        ExampleSet data = smallGrey();
        Path images = dir.resolve("i");
        Path labels = dir.resolve("l");
        IdxWriter.write(data, images, labels, false);
        IdxWriter.writeLabels(labels, new int[] {0, 1, 2}, false);
        assertThatThrownBy(() -> IdxReader.read(images, labels, null))
                .isInstanceOf(AmendException.class)
                .hasMessage(images + " has 4 images but " + labels + " has 3 labels");
    }

    @Test
    void labelOutsideTheClassesIsReportedWithItsRow() {
        IdxWriter.write(smallGrey(), dir.resolve("i"), dir.resolve("l"), false);
        assertThatThrownBy(() -> IdxReader.read(dir.resolve("i"), dir.resolve("l"), List.of("a", "b")))
                .isInstanceOf(AmendException.class)
                .hasMessageContaining("row 0 has label 2, expected 0..1");
    }

    @Test
    void missingFileIsReported() {
        assertThatThrownBy(() -> IdxReader.readLabels(dir.resolve("nope")))
                .isInstanceOf(AmendException.class)
                .hasMessage("file not found: " + dir.resolve("nope"));
    }

    @Test
    void writerRefusesPixelsOutsideUnitRange() {
        assertThatThrownBy(() -> IdxWriter.writeImages(dir.resolve("i"), new float[] {0.5f, 1.5f}, 1, 1, 2, false))
                .isInstanceOf(AmendException.class)
                .hasMessageContaining("outside [0, 1]");
    }
}
