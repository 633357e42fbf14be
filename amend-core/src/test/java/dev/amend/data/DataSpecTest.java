package dev.amend.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.amend.AmendException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSpecTest {
    private static ExampleSet mnist;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadEmbeddedMnistOnce() {
        mnist = DataSpec.embeddedMnist();
    }

    @Test
    void embeddedMnistHoldsTenThousandDigitsOfTenClasses() {
        assertThat(mnist.size()).isEqualTo(10_000);
        assertThat(mnist.shapeString()).isEqualTo("1x28x28");
        assertThat(mnist.numClasses()).isEqualTo(10);
        assertThat(Arrays.stream(mnist.classCounts()).boxed().toList()).allSatisfy(c -> assertThat(c).isBetween(800, 1200));
        float[] x = mnist.pixels();
        float min = 1;
        float max = 0;
        for (float v : x) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertThat(min).isEqualTo(0f);
        assertThat(max).isEqualTo(1f);
        // the converter shuffled the digits: the first hundred are not one class
        assertThat(Arrays.stream(mnist.labels(), 0, 100).distinct().count()).isEqualTo(10);
    }

    @Test
    void mnistSpecGivesASeededPoolAndTheRestAsTest() {
        LoadedData data = DataSpec.parse("mnist").load();
        assertThat(data.kind()).isEqualTo(LoadedData.MNIST);
        assertThat(data.name()).isEqualTo("mnist");
        assertThat(data.train().size()).isEqualTo(3000);
        assertThat(data.test().size()).isEqualTo(7000);
        int[] rows = IntStream.concat(Arrays.stream(data.train().rows()), Arrays.stream(data.test().rows())).sorted()
                .toArray();
        assertThat(rows).containsExactly(IntStream.range(0, 10_000).toArray());
        int row = data.train().row(17);
        assertThat(data.train().image(17)).containsExactly(mnist.image(row));
        assertThat(data.train().label(17)).isEqualTo(mnist.label(row));

        assertThat(DataSpec.parse("mnist").load(3000, 0).train().rows()).containsExactly(data.train().rows());
        assertThat(DataSpec.parse("mnist").load(3000, 1).train().rows()).isNotEqualTo(data.train().rows());
        assertThat(DataSpec.parse("mnist").load(500, 0).train().size()).isEqualTo(500);
    }

    @Test
    void parsesEveryForm() {
        assertThat(DataSpec.parse("fashion-mnist")).isEqualTo(
                new DataSpec("fashion-mnist", List.of(DataSpec.FASHION_MNIST_DIR)));
        assertThat(DataSpec.parse("fashion-mnist:/data/fm").arguments()).containsExactly("/data/fm");
        assertThat(DataSpec.parse("idx:a,b, c ,d").arguments()).containsExactly("a", "b", "c", "d");
        assertThat(DataSpec.parse("cifar10:C:/x").arguments()).containsExactly("C:/x");
        assertThat(DataSpec.parse("csv:tr.csv,te.csv").toString()).isEqualTo("csv:tr.csv,te.csv");
        assertThat(DataSpec.parse("folder:imgs").scheme()).isEqualTo("folder");
        assertThat(DataSpec.parse(" MNIST ").scheme()).isEqualTo("mnist");
    }

    @Test
    void aCsvSpecCarriesItsLayoutOptionApartFromItsPaths() {
        DataSpec shaped = DataSpec.parse("csv:tr.csv, te.csv, shape=32x32");
        assertThat(shaped.toString()).isEqualTo("csv:tr.csv,te.csv,shape=1x32x32");
        assertThat(DataSpec.parse(shaped.toString())).isEqualTo(shaped);
        assertThat(shaped.paths()).containsExactly(Path.of("tr.csv"), Path.of("te.csv"));
        assertThat(shaped.csvLayout()).isEqualTo(CsvReader.Layout.shape(1, 32, 32));
        assertThat(shaped.absolute().arguments()).hasSize(3).last().isEqualTo("shape=1x32x32");
        assertThat(shaped.absolute().paths().get(0)).isAbsolute();
        assertThat(DataSpec.parse("csv:tr.csv,te.csv,FEATURES").csvLayout()).isEqualTo(CsvReader.Layout.FEATURES);
        assertThat(DataSpec.parse("csv:tr.csv,te.csv").csvLayout()).isEqualTo(CsvReader.Layout.SQUARE);
        assertThatThrownBy(() -> DataSpec.parse("csv:tr.csv,te.csv,rgb")).isInstanceOf(AmendException.class)
                .hasMessageStartingWith("unknown csv option 'rgb'");
        assertThatThrownBy(() -> DataSpec.parse("csv:a.csv,b.csv,features,x")).isInstanceOf(AmendException.class)
                .hasMessageContaining("csv:TRAIN.csv,TEST.csv[,OPTION]");
    }

    @Test
    void unknownSchemeListsTheValidOnes() {
        assertThatThrownBy(() -> DataSpec.parse("imagenet:/x"))
                .isInstanceOf(AmendException.class)
                .hasMessageStartingWith("unknown data 'imagenet:/x'; valid: mnist, fashion-mnist[:DIR], idx:")
                .hasMessageContaining("folder:DIR");
    }

    @Test
    void wrongNumberOfPathsIsReported() {
        assertThatThrownBy(() -> DataSpec.parse("idx:a,b,c"))
                .isInstanceOf(AmendException.class)
                .hasMessage("--data idx needs idx:TRAIN_IMAGES,TRAIN_LABELS,TEST_IMAGES,TEST_LABELS; got 'idx:a,b,c'");
        assertThatThrownBy(() -> DataSpec.parse("csv:a.csv")).hasMessageContaining("csv:TRAIN.csv,TEST.csv");
        assertThatThrownBy(() -> DataSpec.parse("cifar10")).hasMessageContaining("cifar10:DIR");
        assertThatThrownBy(() -> DataSpec.parse("mnist:/x")).hasMessageContaining("takes no path");
    }

    @Test
    void missingFashionMnistTellsHowToInstallIt() {
        assertThatThrownBy(() -> DataSpec.parse("fashion-mnist:" + dir.resolve("none")).load())
                .isInstanceOf(AmendException.class)
                .hasMessageContaining("scripts/install-fashion-mnist.sh");
    }

    @Test
    void idxSpecSharesClassesBetweenParts() {
        float[] x = new float[4];
        IdxWriter.write(ExampleSet.of(x, new int[] {0, 1, 2, 3}, 1, 1, 1, ExampleSet.numberedClasses(4)),
                dir.resolve("tri"), dir.resolve("trl"), true);
        IdxWriter.write(ExampleSet.of(new float[1], new int[] {0}, 1, 1, 1, ExampleSet.numberedClasses(1)),
                dir.resolve("tei"), dir.resolve("tel"), false);
        LoadedData data = DataSpec.parse("idx:" + dir.resolve("tri") + "," + dir.resolve("trl") + ","
                + dir.resolve("tei") + "," + dir.resolve("tel")).load();
        assertThat(data.test().numClasses()).isEqualTo(4);
        assertThat(data.kind()).isEqualTo(LoadedData.CUSTOM);
    }

    @Test
    void aPoolSizeDrawsASeededSubsetOfOtherTrainingDataAndKeepsTheTestWhole() {
        int n = 20;
        float[] x = new float[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = i / 255f;
            y[i] = i % 4;
        }
        IdxWriter.write(ExampleSet.of(x, y, 1, 1, 1, ExampleSet.numberedClasses(4)), dir.resolve("pri"),
                dir.resolve("prl"), true);
        IdxWriter.write(ExampleSet.of(new float[3], new int[] {0, 1, 2}, 1, 1, 1, ExampleSet.numberedClasses(4)),
                dir.resolve("pei"), dir.resolve("pel"), false);
        DataSpec spec = DataSpec.parse("idx:" + dir.resolve("pri") + "," + dir.resolve("prl") + ","
                + dir.resolve("pei") + "," + dir.resolve("pel"));
        assertThat(spec.defaultPoolSize()).isZero();
        assertThat(DataSpec.parse("mnist").defaultPoolSize()).isEqualTo(DataSpec.DEFAULT_MNIST_POOL);
        assertThat(spec.load().train().size()).isEqualTo(n);
        assertThat(spec.load(0, 5).train().size()).isEqualTo(n);
        assertThat(spec.load(n + 5, 5).train().size()).isEqualTo(n);

        LoadedData seven = spec.load(7, 5);
        assertThat(seven.train().size()).isEqualTo(7);
        assertThat(seven.test().size()).isEqualTo(3);
        assertThat(seven.train().pixels()).isEqualTo(spec.load(7, 5).train().pixels());
        assertThat(seven.train().pixels()).isNotEqualTo(spec.load(7, 6).train().pixels());
        // In file order: the kept rows ascend.
        float[] kept = seven.train().pixels();
        for (int i = 1; i < kept.length; i++) {
            assertThat(kept[i]).isGreaterThan(kept[i - 1]);
        }
        assertThatThrownBy(() -> spec.load(-1, 0)).isInstanceOf(AmendException.class)
                .hasMessage("the training subset size must be 0 (all) or more, got -1");
    }

    @Test
    void installedFashionMnistLoadsWithItsClassNames() {
        Path installed = Path.of(DataSpec.FASHION_MNIST_DIR);
        assumeTrue(Files.isDirectory(installed), "Fashion-MNIST is not installed");
        LoadedData data = DataSpec.parse("fashion-mnist").load();
        assertThat(data.train().size()).isEqualTo(60_000);
        assertThat(data.test().size()).isEqualTo(10_000);
        assertThat(data.test().classNames()).isEqualTo(DataSpec.FASHION_MNIST_CLASSES);
        assertThat(data.test().classCounts()).containsOnly(1000);
    }
}
