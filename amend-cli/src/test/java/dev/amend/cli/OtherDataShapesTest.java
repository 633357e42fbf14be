package dev.amend.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amend.model.ModelHandle;
import dev.amend.model.ModelStore;
import dev.amend.run.format.TrainMetrics;
import dev.amend.util.Json;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data beyond 28x28 grey digits, end to end: feature vectors (tabular rows) and colour images of other sizes. */
class OtherDataShapesTest {
    @TempDir
    Path dir;

    /**
     * Tabular rows, the label in the third column: class c (of 3) raises feature c by 3 standard
     * deviations; feature 3 sits near 1000 and feature 4 is noise, so the model learns only if
     * each feature is taken as it is.
     */
    private static String table(int n, Random random) {
        StringBuilder text = new StringBuilder("f0,f1,label,f2,f3,f4\n");
        for (int i = 0; i < n; i++) {
            int label = random.nextInt(3);
            double[] f = new double[5];
            for (int k = 0; k < 5; k++) {
                f[k] = random.nextGaussian() + (k == label ? 3 : 0) + (k == 3 ? 1000 : 0);
            }
            text.append(String.format(Locale.ROOT, "%.3f,%.3f,%d,%.3f,%.3f,%.3f%n", f[0], f[1], label, f[2], f[3],
                    f[4]));
        }
        return text.toString();
    }

    /** The same table with every label moved to the next class. */
    private static String movedLabels(String table) {
        StringBuilder text = new StringBuilder();
        for (String line : table.split("\\R")) {
            String[] f = line.split(",");
            if (f[2].matches("\\d+")) {
                f[2] = Integer.toString((Integer.parseInt(f[2]) + 1) % 3);
            }
            text.append(String.join(",", f)).append('\n');
        }
        return text.toString();
    }

    @Test
    void anMlpTrainsOnFeatureVectorsAndIsRepairedWithFailuresGivenAsData() throws IOException {
        Random random = new Random(7);
        Path train = Files.writeString(dir.resolve("train.csv"), table(240, random));
        Path test = Files.writeString(dir.resolve("test.csv"), table(120, random));
        // Failures collected in production: examples whose true label is not the one their features point to.
        Path collected = Files.writeString(dir.resolve("collected.csv"), movedLabels(table(8, random)));
        String data = "csv:" + train + "," + test + ",features";
        Path run = dir.resolve("run");

        CliRun trained = CliRun.amend("train", "--data", data, "--scenario", "label-flip:pairs=0-1,rate=0.2", "--model",
                "mlp", "--model-option", "hidden=16", "--epochs", "30", "--seed", "2", "--quiet", "--out",
                run.toString());

        assertThat(trained.exitCode()).as(trained.err()).isZero();
        assertThat(inputShape(run)).isEqualTo("5x1x1");
        // Chance is 1/3; the classes are 3 standard deviations apart.
        assertThat(Json.read(run.resolve("metrics.json"), TrainMetrics.class).test().accuracy()).isGreaterThan(0.8);

        CliRun describe = CliRun.amend("data", "describe", "--data", data);
        assertThat(describe.exitCode()).as(describe.err()).isZero();
        assertThat(describe.out()).contains("5x1x1");

        Path out = dir.resolve("repair");
        CliRun repair = CliRun.amend("repair", "--model", run.resolve("model").toString(), "--data", data,
                "--failures-data", "csv:" + collected, "--top-k", "20", "--epochs", "2", "--quiet", "--out",
                out.toString());

        assertThat(repair.exitCode()).as(repair.err()).isZero();
        JsonNode sizes = Json.mapper().readTree(out.resolve("metrics.json").toFile()).get("sizes");
        assertThat(sizes.get("F_q").asInt() + sizes.get("F_h").asInt()).isEqualTo(8);

        CliRun cnn = CliRun.amend("train", "--data", data, "--model", "paper-cnn", "--epochs", "1", "--quiet", "--out",
                dir.resolve("cnn").toString());
        assertThat(cnn.exitCode()).isEqualTo(ErrorHandler.USER_ERROR);
        assertThat(cnn.errLines()).containsExactly("amend: paper-cnn (pools=2) needs images of at least 4x4 pixels,"
                + " got 1x1; for feature vectors use mlp or logreg");
        CliRun noise = CliRun.amend("train", "--data", data, "--scenario", "input-noise:classes=0;1", "--model", "mlp", "--epochs",
                "1", "--quiet", "--out", dir.resolve("noise").toString());
        assertThat(noise.exitCode()).isEqualTo(ErrorHandler.USER_ERROR);
        assertThat(noise.errLines()).hasSize(1);
        assertThat(noise.errLines()[0]).contains("the data are feature vectors (5x1x1)");
        assertThat(dir.resolve("cnn")).doesNotExist();
        assertThat(dir.resolve("noise")).doesNotExist();
    }

    @Test
    void colourImagesOfAnotherSizeTrainThePaperCnnFromAFolder() throws IOException {
        Random random = new Random(3);
        for (String split : new String[] {"train", "test"}) {
            for (String colour : new String[] {"red", "blue"}) {
                Path folder = Files.createDirectories(dir.resolve("images").resolve(split).resolve(colour));
                for (int i = 0; i < 12; i++) {
                    BufferedImage image = new BufferedImage(10, 8, BufferedImage.TYPE_INT_RGB);
                    for (int y = 0; y < 8; y++) {
                        for (int x = 0; x < 10; x++) {
                            int v = 120 + random.nextInt(100);
                            image.setRGB(x, y, colour.equals("red") ? v << 16 | 40 : 40 << 16 | v);
                        }
                    }
                    ImageIO.write(image, "png", folder.resolve(i + ".png").toFile());
                }
            }
        }
        Path run = dir.resolve("run");

        CliRun trained = CliRun.amend("train", "--data", "folder:" + dir.resolve("images"), "--model", "paper-cnn",
                "--epochs", "1", "--val-fraction", "0.25", "--quiet", "--out", run.toString());

        assertThat(trained.exitCode()).as(trained.err()).isZero();
        assertThat(inputShape(run)).isEqualTo("3x8x10");
    }

    private static String inputShape(Path run) {
        try (ModelHandle model = ModelStore.load(run.resolve("model"))) {
            return model.spec().channels() + "x" + model.spec().height() + "x" + model.spec().width();
        }
    }
}
