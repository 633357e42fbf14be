package dev.amend.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.amend.AmendException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {
    @TempDir
    Path dir;

    private Path csv(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void headerIsSkippedAndByteValuesAreScaled() throws IOException {
        Path file = csv("train.csv", "label,p0,p1,p2,p3\n1,0,255,51,0\n\n0,255,0,0,102\n");

        ExampleSet data = CsvReader.read(file);

        assertThat(data.size()).isEqualTo(2);
        assertThat(data.shapeString()).isEqualTo("1x2x2");
        assertThat(data.labels()).containsExactly(1, 0);
        assertThat(data.rows()).containsExactly(0, 1);
        assertThat(data.image(0)).containsExactly(0f, 1f, 0.2f, 0f);
        assertThat(data.classNames()).containsExactly("0", "1");
    }

    @Test
    void withoutHeaderUnitValuesAreKept() throws IOException {
        Path file = csv("train.csv", "2,0.5,1,0,0.25\n0,0,0,0,0\n");
        ExampleSet data = CsvReader.read(file);
        assertThat(data.size()).isEqualTo(2);
        assertThat(data.image(0)).containsExactly(0.5f, 1f, 0f, 0.25f);
        assertThat(data.numClasses()).isEqualTo(3);
    }

    @Test
    void nanIsAnErrorNamingItsLine() throws IOException {
        Path file = csv("train.csv", "label,a,b,c,d\n1,0,0,0,0\n0,0,NaN,0,0\n");
        assertThatThrownBy(() -> CsvReader.read(file))
                .isInstanceOf(AmendException.class)
                .hasMessage(file + " line 3 column 3: NaN is not a finite number");
    }

    @Test
    void nanInTheFirstLineIsAnErrorNotAHeader() throws IOException {
        Path file = csv("train.csv", "1,NaN,0,0,0\n");
        assertThatThrownBy(() -> CsvReader.read(file)).hasMessageContaining("line 1");
    }

    @Test
    void textInADataLineIsAnErrorNamingItsLine() throws IOException {
        Path file = csv("train.csv", "1,0,0,0,0\n1,0,x,0,0\n");
        assertThatThrownBy(() -> CsvReader.read(file))
                .isInstanceOf(AmendException.class)
                .hasMessage(file + " line 2 column 3: 'x' is not a number");
    }

    @Test
    void threeSquaresOfPixelsAreRgbPlanes() throws IOException {
        Path file = csv("rgb.csv", "0,1,2,3,4,5,6,7,8,9,10,11,12\n");
        ExampleSet data = CsvReader.read(file);
        assertThat(data.shapeString()).isEqualTo("3x2x2");
        assertThat(data.image(0)[4]).isEqualTo(5 / 255f);
    }

    @Test
    void pixelCountThatIsNoImageShapeIsAnError() throws IOException {
        Path file = csv("bad.csv", "0,1,2,3,4,5\n");
        assertThatThrownBy(() -> CsvReader.read(file)).hasMessageContaining("5 pixel values per line");
    }

    @Test
    void labelOutOfRangeIsAnError() throws IOException {
        Path file = csv("bad.csv", "0,1,2,3,4\n-1,1,2,3,4\n");
        assertThatThrownBy(() -> CsvReader.read(file))
                .isInstanceOf(AmendException.class)
                .hasMessage(file + " line 2: label -1 is not a class number 0..999");
    }

    @Test
    void raggedLinesAreAnError() throws IOException {
        Path file = csv("bad.csv", "0,1,2,3,4\n1,1,2,3\n");
        assertThatThrownBy(() -> CsvReader.read(file)).hasMessageContaining("line 2 has 3 pixel values");
    }

    @Test
    void dataOfOneClassAreRefusedNamingTheColumnReadAsTheLabel() throws IOException {
        // A header without a column "label": the first column, a pixel that is always 0, is the label.
        Path train = csv("train.csv", "px0,px1,px2,px3,class\n0,10,20,30,1\n0,40,50,60,0\n");
        Path test = csv("test.csv", "px0,px1,px2,px3,class\n0,70,80,90,1\n");
        assertThatThrownBy(() -> CsvReader.read(train, test)).isInstanceOf(AmendException.class)
                .hasMessage("csv:" + train + "," + test + ": every label is 0, so the data have one class; a classifier"
                        + " needs at least 2. The label is the first column of " + train + ", 'px0', since its header"
                        + " has no column named 'label': name the label column 'label' (docs/data.md, \"CSV\")");

        Path bare = csv("bare.csv", "0,10,20,30,1\n0,40,50,60,0\n");
        assertThatThrownBy(() -> CsvReader.read(bare, bare)).isInstanceOf(AmendException.class)
                .hasMessageEndingWith("The label is the first column of " + bare + ", which has no header"
                        + " (docs/data.md, \"CSV\")");
        Path named = csv("named.csv", "p0,p1,p2,p3,Label\n10,20,30,1,0\n");
        assertThatThrownBy(() -> CsvReader.read(named, named)).isInstanceOf(AmendException.class)
                .hasMessageContaining("The label is the column 'Label' of " + named);

        // Other forms: any data set of one class.
        ExampleSet one = ExampleSet.of(new float[2], new int[] {0, 0}, 1, 1, 1, java.util.List.of("cat"));
        assertThatThrownBy(() -> new LoadedData("folder:pets", one, one, LoadedData.CUSTOM))
                .isInstanceOf(AmendException.class)
                .hasMessage("folder:pets: the data have one class (cat); a classifier needs at least 2");
    }

    @Test
    void trainAndTestShareScaleAndClasses() throws IOException {
        // the test file alone looks like [0, 1] data; the training file shows it is 0..255
        Path train = csv("train.csv", "0,0,255,0,0\n3,0,0,0,0\n");
        Path test = csv("test.csv", "1,1,0,0,0\n");
        LoadedData data = CsvReader.read(train, test);
        assertThat(data.test().image(0)[0]).isEqualTo(1 / 255f);
        assertThat(data.test().numClasses()).isEqualTo(4);
        assertThat(data.kind()).isEqualTo(LoadedData.CUSTOM);
    }

    @Test
    void aDeclaredShapeReadsImagesOfAnySizeAndChannelCount() throws IOException {
        // 2 channels of 1 x 3 pixels: six values per line, neither side^2 nor 3 side^2
        Path train = csv("train.csv", "0,0,51,102,153,204,255\n1,255,0,0,0,0,0\n");
        Path test = csv("test.csv", "1,0,0,0,0,0,51\n");

        LoadedData data = CsvReader.read(train, test, CsvReader.Layout.parse("shape=2x1x3"));

        assertThat(data.train().shapeString()).isEqualTo("2x1x3");
        assertThat(data.train().image(0)).containsExactly(0f, 0.2f, 0.4f, 0.6f, 0.8f, 1f);
        assertThat(data.test().image(0)[5]).isEqualTo(0.2f);
        assertThat(data.name()).endsWith("test.csv,shape=2x1x3");
        assertThat(CsvReader.read(csv("grey.csv", "0,0,0,0,0,0,1\n"), CsvReader.Layout.parse(" Shape=2x3 "))
                .shapeString()).isEqualTo("1x2x3");
        assertThatThrownBy(() -> CsvReader.read(train, test, CsvReader.Layout.shape(3, 2, 2)))
                .isInstanceOf(AmendException.class)
                .hasMessage(train + " line 1 has 6 pixel values but images of 3x2x2 have 12");
        assertThatThrownBy(() -> CsvReader.read(csv("odd.csv", "0,1,2,3,4,5,6\n")))
                .hasMessageContaining("declare the shape (csv option shape=CxHxW)");
    }

    @Test
    void featuresAreTakenAsTheyAreOneChannelEach() throws IOException {
        // the label column named in the header, anywhere; negative and large values kept unscaled
        Path train = csv("train.csv", "age,income,label,score\n31,52000,1,-0.5\n45,1e5,0,2.25\n");
        Path test = csv("test.csv", "age,income,label,score\n20,0,2,0\n");

        LoadedData data = CsvReader.read(train, test, CsvReader.Layout.FEATURES);

        assertThat(data.train().shapeString()).isEqualTo("3x1x1");
        assertThat(data.train().labels()).containsExactly(1, 0);
        assertThat(data.train().image(0)).containsExactly(31f, 52000f, -0.5f);
        assertThat(data.train().image(1)).containsExactly(45f, 100000f, 2.25f);
        assertThat(data.test().labels()).containsExactly(2);
        assertThat(data.test().numClasses()).isEqualTo(3);
        assertThat(data.name()).endsWith(",features");
        assertThatThrownBy(() -> CsvReader.read(csv("nan.csv", "1,2,NaN\n"), CsvReader.Layout.FEATURES))
                .hasMessageContaining("line 1 column 3: NaN is not a finite number");
        assertThatThrownBy(() -> CsvReader.read(csv("ragged.csv", "1,2,3\n0,1\n"), CsvReader.Layout.FEATURES))
                .hasMessageContaining("line 2 has 1 features, earlier lines have 2");
    }

    @Test
    void aLayoutOptionThatIsNoneIsRefused() {
        assertThatThrownBy(() -> CsvReader.Layout.parse("tabular")).isInstanceOf(AmendException.class)
                .hasMessage("unknown csv option 'tabular'; valid: shape=CxHxW, shape=HxW, features");
        assertThatThrownBy(() -> CsvReader.Layout.parse("shape=100x2x2")).isInstanceOf(AmendException.class)
                .hasMessage("the image shape 100x2x2 is impossible (1..64 channels of at most 4096x4096 pixels)");
        assertThatThrownBy(() -> CsvReader.Layout.parse("shape=3xbig")).isInstanceOf(AmendException.class)
                .hasMessageStartingWith("csv option 'shape=3xbig' is not a shape");
        assertThatThrownBy(() -> CsvReader.Layout.parse("shape=0x2x2")).isInstanceOf(AmendException.class)
                .hasMessageStartingWith("the image shape 0x2x2 is impossible");
    }
}
