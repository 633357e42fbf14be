package dev.amend.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.amend.AmendException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetStoreTest {
    @TempDir
    Path dir;

    private static ExampleSet sample() {
        Random random = new Random(3);
        int n = 7;
        float[] x = new float[n * 3 * 4 * 5];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextFloat();
        }
        // Values a text format would round: they must come back with the same bits.
        x[0] = Float.MIN_VALUE;
        x[1] = -0.0f;
        x[2] = 1f / 3;
        int[] y = {0, 2, 1, 1, 0, 2, 2};
        int[] rows = {40, 3, 17, 0, 99, 5, 6};
        return new ExampleSet(x, y, rows, 3, 4, 5, List.of("cat", "dog", "Ünïcode bird"));
    }

    @Test
    void roundTripKeepsEveryBitAndRow() {
        ExampleSet data = sample();
        Path file = dir.resolve("data.bin");

        DatasetStore.save(data, file);
        ExampleSet loaded = DatasetStore.load(file);

        assertThat(loaded.size()).isEqualTo(7);
        assertThat(loaded.shapeString()).isEqualTo("3x4x5");
        assertThat(loaded.classNames()).isEqualTo(data.classNames());
        assertThat(loaded.labels()).containsExactly(data.labels());
        assertThat(loaded.rows()).containsExactly(data.rows());
        int[] bits = new int[data.pixels().length];
        Arrays.setAll(bits, i -> Float.floatToRawIntBits(loaded.pixels()[i]) - Float.floatToRawIntBits(data.pixels()[i]));
        assertThat(bits).containsOnly(0);
    }

    @Test
    void emptyDataSetRoundTrips() {
        ExampleSet empty = sample().subset(new int[0]);
        Path file = dir.resolve("empty.bin");

        DatasetStore.save(empty, file);

        assertThat(DatasetStore.load(file).size()).isZero();
        assertThat(DatasetStore.load(file).classNames()).hasSize(3);
    }

    @Test
    void truncatedFileIsAUserError() throws IOException {
        Path file = dir.resolve("data.bin");
        DatasetStore.save(sample(), file);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 20));

        assertThatThrownBy(() -> DatasetStore.load(file))
                .isInstanceOf(AmendException.class)
                .hasMessage(file + " is truncated");
    }

    @Test
    void foreignFilesAreUserErrors() throws IOException {
        Path text = Files.writeString(dir.resolve("text.bin"), "label,pixel\n");
        assertThatThrownBy(() -> DatasetStore.load(text))
                .isInstanceOf(AmendException.class)
                .hasMessageStartingWith(text + " is not an amend data file");

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write("NOTAMEND and more bytes".getBytes());
        }
        Path gz = Files.write(dir.resolve("other.bin"), bytes.toByteArray());
        assertThatThrownBy(() -> DatasetStore.load(gz))
                .isInstanceOf(AmendException.class)
                .hasMessage(gz + " does not start with the marker of an amend data file");

        assertThatThrownBy(() -> DatasetStore.load(dir.resolve("missing.bin")))
                .isInstanceOf(AmendException.class)
                .hasMessage("no such file: " + dir.resolve("missing.bin"));
    }
}
