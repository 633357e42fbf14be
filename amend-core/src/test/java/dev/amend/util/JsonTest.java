package dev.amend.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.amend.AmendException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonTest {
    record Settings(String name, int epochs) {
    }

    @TempDir
    Path dir;

    @Test
    void writesPrettyJsonInDeclarationOrderEndingInANewline() {
        assertThat(Json.toJson(new Settings("cnn", 5)))
                .isEqualTo("{\n  \"name\" : \"cnn\",\n  \"epochs\" : 5\n}\n");
    }

    @Test
    void missingFileIsAUserError() {
        assertThatThrownBy(() -> Json.read(dir.resolve("spec.json"), Settings.class))
                .isInstanceOf(AmendException.class)
                .hasMessage("no such file: " + dir.resolve("spec.json"));
    }

    @Test
    void misspeltKeyIsAOneLineUserError() throws Exception {
        Path file = Files.writeString(dir.resolve("spec.json"), "{\"name\": \"cnn\", \"epoch\": 5}");

        assertThatThrownBy(() -> Json.read(file, Settings.class))
                .isInstanceOf(AmendException.class)
                .hasMessageStartingWith("cannot read " + file + ": ")
                .hasMessageContaining("\"epoch\"")
                .hasMessageNotContaining("\n");
    }
}
