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

        Dataset data = CsvReader.read(file);

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
        Dataset data = CsvReader.read(file);
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
        Dataset data = CsvReader.read(file);
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
    void trainAndTestShareScaleAndClasses() throws IOException {
        // the test file alone looks like [0, 1] data; the training file shows it is 0..255
        Path train = csv("train.csv", "0,0,255,0,0\n3,0,0,0,0\n");
        Path test = csv("test.csv", "1,1,0,0,0\n");
        LoadedData data = CsvReader.read(train, test);
        assertThat(data.test().image(0)[0]).isEqualTo(1 / 255f);
        assertThat(data.test().numClasses()).isEqualTo(4);
        assertThat(data.kind()).isEqualTo(LoadedData.CUSTOM);
    }
}
