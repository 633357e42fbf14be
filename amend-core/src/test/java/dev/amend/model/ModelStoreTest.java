package dev.amend.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.amend.AmendException;
import dev.amend.data.ExampleSet;
import dev.amend.model.ModelSpec.Precision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {
    @TempDir
    Path dir;

    private final ExampleSet data = TestData.random(40, 1, 8, 8, 3, 5);

    @Test
    void savedModelLoadsWithIdenticalParametersAndPredictions() {
        for (Precision precision : Precision.values()) {
            ModelSpec spec = TestData.spec("paper-cnn", Map.of(), data, precision, 0.01);
            Path folder = dir.resolve(precision.name());
            try (ModelHandle model = ModelHandle.create(spec, 7)) {
                ModelStore.save(model, folder);
                try (ModelHandle loaded = ModelStore.load(folder)) {
                    assertThat(loaded.spec().architecture()).isEqualTo("paper-cnn");
                    assertThat(loaded.spec().inputMean()).containsExactly(spec.inputMean());
                    assertThat(loaded.spec().weightDecay()).isEqualTo(0.01);
                    assertThat(loaded.spec().precision()).isEqualTo(precision);
                    assertThat(loaded.getParameters()).containsExactly(model.getParameters());
                    Evaluation before = model.evaluate(data);
                    Evaluation after = loaded.evaluate(data);
                    assertThat(after.predictions()).containsExactly(before.predictions());
                    assertThat(after.loss()).containsExactly(before.loss());
                }
            }
        }
    }

    @Test
    void aPaperCnnSavedBeforeTheTwoPoolDefaultLoadsAsTheOnePoolNetworkItWasTrainedIn() throws Exception {
        ModelSpec twoPool = TestData.spec("paper-cnn", Map.of(), data, Precision.FLOAT32, 0);
        ModelSpec onePool = TestData.spec("paper-cnn", Map.of("pools", "1"), data, Precision.FLOAT32, 0);
        assertThat(twoPool.options()).containsEntry("pools", "2");
        Path folder = dir.resolve("legacy");
        try (ModelHandle model = ModelHandle.create(onePool, 4); ModelHandle other = ModelHandle.create(twoPool, 4)) {
            // The same parameters, another network: the two must not be confused.
            assertThat(other.getParameters()).containsExactly(model.getParameters());
            assertThat(other.evaluate(data).loss()).isNotEqualTo(model.evaluate(data).loss());
            ModelStore.save(model, folder);
            String json = Files.readString(folder.resolve(ModelStore.MODEL_JSON));
            assertThat(json).contains("\"pools\" : \"1\"");
            // As amend wrote paper-cnn before the option existed: no pools at all.
            Files.writeString(folder.resolve(ModelStore.MODEL_JSON),
                    json.replaceAll("\"options\" : \\{[^}]*\\}", "\"options\" : { }"));
            try (ModelHandle loaded = ModelStore.load(folder)) {
                assertThat(loaded.spec().options()).containsEntry("pools", "1");
                assertThat(loaded.evaluate(data).loss()).containsExactly(model.evaluate(data).loss());
            }
        }
        assertThatThrownBy(() -> Architectures.build(TestData.spec("paper-cnn", Map.of("pools", "3"), data,
                Precision.FLOAT32, 0))).isInstanceOf(AmendException.class).hasMessageContaining("pools must be 1 or 2");
    }

    @Test
    void aDamagedParameterFileIsRefusedByItsChecksumWhileAModelSavedWithoutOneStillLoads() throws Exception {
        ModelSpec spec = TestData.spec("logreg", Map.of(), data, Precision.FLOAT32, 0);
        Path folder = dir.resolve("checked");
        try (ModelHandle model = ModelHandle.create(spec, 3)) {
            ModelStore.save(model, folder);
            String json = Files.readString(folder.resolve(ModelStore.MODEL_JSON));
            assertThat(json).containsPattern("\"parametersSha256\" : \"[0-9a-f]{64}\"");

            byte[] params = Files.readAllBytes(folder.resolve(ModelStore.PARAMETERS));
            byte[] flipped = params.clone();
            flipped[flipped.length - 5] ^= 0x01;
            Files.write(folder.resolve(ModelStore.PARAMETERS), flipped);
            assertThatThrownBy(() -> ModelStore.load(folder)).isInstanceOf(AmendException.class)
                    .hasMessageContaining("is damaged or was replaced: its SHA-256");

            // As written before amend recorded checksums: no field, and the file loads unchecked.
            Files.write(folder.resolve(ModelStore.PARAMETERS), params);
            Files.writeString(folder.resolve(ModelStore.MODEL_JSON),
                    json.replaceAll(",\\s*\"parametersSha256\" : \"[0-9a-f]{64}\"", ""));
            assertThat(Files.readString(folder.resolve(ModelStore.MODEL_JSON))).doesNotContain("parametersSha256");
            try (ModelHandle loaded = ModelStore.load(folder)) {
                assertThat(loaded.getParameters()).containsExactly(model.getParameters());
            }
        }
    }

    @Test
    void aNonFiniteInputMeanIsRefused() {
        for (float mean : new float[] {Float.NaN, Float.POSITIVE_INFINITY, 40f}) {
            assertThatThrownBy(() -> new ModelSpec("logreg", Map.of(), 1, 8, 8, ExampleSet.numberedClasses(3),
                    new float[] {mean}, Precision.FLOAT32, 0)).isInstanceOf(AmendException.class)
                    .hasMessageContaining("input mean of channel 0 is " + mean);
        }
    }

    @Test
    void aModelTooLargeForTheHeapIsRefusedBeforeAllocation() {
        ModelSpec spec = TestData.spec("mlp", Map.of("hidden", "100000000"), data, Precision.FLOAT32, 0);
        assertThatThrownBy(() -> ModelHandle.create(spec, 1)).isInstanceOf(AmendException.class)
                .hasMessageContaining("parameters and needs about").hasMessageContaining("Java heap");
    }

    @Test
    void saveReplacesAnEarlierModelInTheSameFolder() throws Exception {
        ModelSpec spec = TestData.spec("mlp", Map.of("hidden", "5"), data, Precision.FLOAT32, 0);
        Path folder = dir.resolve("model");
        try (ModelHandle first = ModelHandle.create(spec, 1); ModelHandle second = ModelHandle.create(spec, 2)) {
            ModelStore.save(first, folder);
            ModelStore.save(second, folder);
            try (ModelHandle loaded = ModelStore.load(folder)) {
                assertThat(Files.isReadable(folder)).isTrue();
                assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)))
                        .as("a saved model is as readable as any folder, not owner-only like a temporary one")
                        .isEqualTo("rwxr-xr-x");
                assertThat(loaded.getParameters()).containsExactly(second.getParameters());
                assertThat(loaded.spec().options()).isEqualTo(Map.of("hidden", "5"));
            }
        }
    }

    @Test
    void saveRefusesANonEmptyFolderThatIsNotAModel() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("mine"));
        Files.writeString(folder.resolve("notes.txt"), "keep me");
        try (ModelHandle model = ModelHandle.create(TestData.spec("logreg", Map.of(), data, Precision.FLOAT32, 0), 1)) {
            assertThatThrownBy(() -> ModelStore.save(model, folder))
                    .isInstanceOf(AmendException.class)
                    .hasMessageContaining("not empty");
        }
        assertThat(folder.resolve("notes.txt")).hasContent("keep me");
    }

    @Test
    void missingFolderOrFilesAreOneLineErrors() throws Exception {
        assertThatThrownBy(() -> ModelStore.load(dir.resolve("nowhere")))
                .isInstanceOf(AmendException.class)
                .hasMessage("no such model file or folder: " + dir.resolve("nowhere"));
        assertThatThrownBy(() -> ModelStore.load(dir.resolve("nowhere.pt")))
                .isInstanceOf(AmendException.class)
                .hasMessage("no such model file or folder: " + dir.resolve("nowhere.pt"));
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> ModelStore.load(empty))
                .isInstanceOf(AmendException.class)
                .hasMessage("no model in " + empty + ": model.json missing");
    }

    @Test
    void truncatedParametersAreAUserError() throws Exception {
        Path folder = dir.resolve("model");
        try (ModelHandle model = ModelHandle.create(TestData.spec("logreg", Map.of(), data, Precision.FLOAT32, 0), 1)) {
            ModelStore.save(model, folder);
        }
        Path parameters = folder.resolve(ModelStore.PARAMETERS);
        byte[] bytes = Files.readAllBytes(parameters);
        Files.write(parameters, Arrays.copyOf(bytes, bytes.length / 2));

        assertThatThrownBy(() -> ModelStore.load(folder))
                .isInstanceOf(AmendException.class)
                .hasMessageContaining(parameters.toString())
                .hasMessageNotContaining("\n");
    }

    @Test
    void malformedJsonAndMismatchedParametersAreUserErrors() throws Exception {
        Path folder = dir.resolve("model");
        try (ModelHandle model = ModelHandle.create(TestData.spec("logreg", Map.of(), data, Precision.FLOAT32, 0), 1)) {
            ModelStore.save(model, folder);
        }
        Path json = folder.resolve(ModelStore.MODEL_JSON);
        String text = Files.readString(json);

        Files.writeString(json, text.replace("\"logreg\"", "\"mlp\""));
        assertThatThrownBy(() -> ModelStore.load(folder))
                .isInstanceOf(AmendException.class)
                .hasMessageContaining("holds 2 tensors but model mlp has 4");

        Files.writeString(json, text.substring(0, text.length() / 2));
        assertThatThrownBy(() -> ModelStore.load(folder))
                .isInstanceOf(AmendException.class)
                .hasMessageStartingWith("cannot read " + json);
    }
}
