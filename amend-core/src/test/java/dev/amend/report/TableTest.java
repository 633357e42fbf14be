package dev.amend.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TableTest {
    private static Table table1() {
        return new Table("method", "MNIST", "CIFAR-10", "note")
                .withDecimals(1)
                .addRow("linear influence (SA)", 16.4, 1322.4, "LiSSA")
                .addRow("EWC-influence", 9.8, 496.3, null)
                .addRow("SGD-influence", 185, Double.NaN, "a|b");
    }

    @Test
    void alignsTextLeftAndNumbersRightUnderARule() {
        assertThat(table1().toString()).isEqualTo(""
                + "method                 MNIST  CIFAR-10  note\n"
                + "---------------------  -----  --------  -----\n"
                + "linear influence (SA)   16.4    1322.4  LiSSA\n"
                + "EWC-influence            9.8     496.3  -\n"
                + "SGD-influence            185         -  a|b\n");
    }

    @Test
    void markdownRightAlignsNumberColumnsAndEscapesPipes() {
        assertThat(table1().toMarkdown()).isEqualTo(""
                + "| method | MNIST | CIFAR-10 | note |\n"
                + "| --- | ---: | ---: | --- |\n"
                + "| linear influence (SA) | 16.4 | 1322.4 | LiSSA |\n"
                + "| EWC-influence | 9.8 | 496.3 | - |\n"
                + "| SGD-influence | 185 | - | a\\|b |\n");
    }

    @Test
    void defaultsToFourDecimals() {
        assertThat(new Table("x").addRow(1.0 / 3).toString()).isEqualTo("     x\n------\n0.3333\n");
    }

    @Test
    void rowOfTheWrongWidthIsRejected() {
        assertThatThrownBy(() -> new Table("a", "b").addRow(1)).isInstanceOf(IllegalArgumentException.class);
    }
}
