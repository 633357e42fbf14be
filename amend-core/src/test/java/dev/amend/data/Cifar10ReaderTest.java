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

class Cifar10ReaderTest {
    private static final int RECORD = 1 + 3072;
    private static final int PER_BATCH = 5;

    @TempDir
    Path dir;

    /** Record r of batch b: label (b + r) % 10; red plane = b, green = r, blue = 255, pixel 0 of red = 7. */
    private static byte[] batch(int b, int records) {
        byte[] bytes = new byte[records * RECORD];
        for (int r = 0; r < records; r++) {
            int o = r * RECORD;
            bytes[o] = (byte) ((b + r) % 10);
            Arrays.fill(bytes, o + 1, o + 1 + 1024, (byte) b);
            Arrays.fill(bytes, o + 1 + 1024, o + 1 + 2048, (byte) r);
            Arrays.fill(bytes, o + 1 + 2048, o + RECORD, (byte) 255);
            bytes[o + 1] = 7;
        }
        return bytes;
    }

    private void writeBatches(Path folder) throws IOException {
        Files.createDirectories(folder);
        for (int b = 1; b <= 5; b++) {
            Files.write(folder.resolve("data_batch_" + b + ".bin"), batch(b, PER_BATCH));
        }
        Files.write(folder.resolve("test_batch.bin"), batch(0, 3));
    }

    @Test
    void readsAllTrainingBatchesInOrderAndTheTestBatch() throws IOException {
        writeBatches(dir);

        LoadedData data = Cifar10Reader.read(dir);

        ExampleSet train = data.train();
        assertThat(data.kind()).isEqualTo(LoadedData.CIFAR10);
        assertThat(train.size()).isEqualTo(25);
        assertThat(train.shapeString()).isEqualTo("3x32x32");
        assertThat(train.classNames()).isEqualTo(Cifar10Reader.CLASS_NAMES);
        assertThat(data.test().size()).isEqualTo(3);
        // row 7 = batch 2, record 2
        assertThat(train.row(7)).isEqualTo(7);
        assertThat(train.label(7)).isEqualTo(4);
        float[] image = train.image(7);
        assertThat(image[0]).isEqualTo(7 / 255f);
        assertThat(image[1]).isEqualTo(2 / 255f);
        assertThat(image[1024]).isEqualTo(2 / 255f);
        assertThat(image[2048]).isEqualTo(1f);
    }

    @Test
    void acceptsTheFolderThatHoldsTheBatchFolder() throws IOException {
        writeBatches(dir.resolve(Cifar10Reader.SUBFOLDER));
        assertThat(Cifar10Reader.read(dir).train().size()).isEqualTo(25);
    }

    @Test
    void takesClassNamesFromTheMetaFile() throws IOException {
        writeBatches(dir);
        List<String> names = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
        Files.writeString(dir.resolve("batches.meta.txt"), String.join("\n", names) + "\n\n");
        assertThat(Cifar10Reader.read(dir).test().classNames()).isEqualTo(names);
    }

    @Test
    void truncatedBatchIsReported() throws IOException {
        writeBatches(dir);
        Path batch = dir.resolve("data_batch_3.bin");
        Files.write(batch, Arrays.copyOf(batch(3, PER_BATCH), PER_BATCH * RECORD - 100));
        assertThatThrownBy(() -> Cifar10Reader.read(dir))
                .isInstanceOf(AmendException.class)
                .hasMessageContaining(batch.toString())
                .hasMessageContaining("truncated");
    }

    @Test
    void missingBatchIsReported() throws IOException {
        writeBatches(dir);
        Files.delete(dir.resolve("test_batch.bin"));
        assertThatThrownBy(() -> Cifar10Reader.read(dir))
                .isInstanceOf(AmendException.class)
                .hasMessage("file not found: " + dir.resolve("test_batch.bin"));
    }

    @Test
    void labelOutOfRangeIsReportedWithItsRecord() throws IOException {
        writeBatches(dir);
        byte[] bytes = batch(1, PER_BATCH);
        bytes[2 * RECORD] = 10;
        Files.write(dir.resolve("data_batch_1.bin"), bytes);
        assertThatThrownBy(() -> Cifar10Reader.read(dir))
                .isInstanceOf(AmendException.class)
                .hasMessageContaining("data_batch_1.bin record 2 has label 10, expected 0..9");
    }
}
