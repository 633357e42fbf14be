package dev.amend.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dev.amend.AmendException;
import dev.amend.data.ExampleSet;
import dev.amend.model.ModelSpec.Precision;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TorchScript export and import without Python: exported files are loaded back with DJL as
 * plain TorchScript modules (as PyTorch would load them) and must give the model's logits from
 * raw pixels; import(export(m)) must give m's parameters bit for bit. The check against PyTorch
 * itself was done by hand (docs/models.md).
 */
class TorchScriptTest {
    @TempDir
    Path dir;

    private record Case(String arch, Map<String, String> options, ExampleSet data, Precision precision) {
        ModelSpec spec() {
            ModelSpec s = TestData.spec(arch, options, data, precision, 0.001);
            float[] mean = new float[data.channels()];
            for (int c = 0; c < mean.length; c++) {
                mean[c] = 0.1f + 0.2f * c; // distinct per channel, so a wrong channel order shows
            }
            return new ModelSpec(s.architecture(), s.options(), s.channels(), s.height(), s.width(), s.classNames(),
                    mean, s.precision(), s.weightDecay());
        }
    }

    private static final ExampleSet MNIST_LIKE = TestData.random(12, 1, 28, 28, 10, 1);
    private static final ExampleSet CIFAR_LIKE = TestData.random(12, 3, 32, 32, 10, 2);
    private static final ExampleSet ODD = TestData.random(12, 2, 9, 7, 3, 3);

    private static final List<Case> CASES = List.of(
            new Case("paper-cnn", Map.of(), MNIST_LIKE, Precision.FLOAT32),
            new Case("paper-cnn", Map.of(), CIFAR_LIKE, Precision.FLOAT32),
            new Case("paper-cnn", Map.of(), ODD, Precision.FLOAT64),
            new Case("mlp", Map.of(), MNIST_LIKE, Precision.FLOAT32),
            new Case("mlp", Map.of("hidden", "16,8", "activation", "tanh"), CIFAR_LIKE, Precision.FLOAT32),
            new Case("mlp", Map.of("hidden", "5,6,7,8", "activation", "relu"), ODD, Precision.FLOAT64),
            new Case("logreg", Map.of(), MNIST_LIKE, Precision.FLOAT32),
            new Case("logreg", Map.of(), ODD, Precision.FLOAT64),
            new Case("resnet", Map.of(), CIFAR_LIKE, Precision.FLOAT32),
            new Case("resnet", Map.of("depth", "14", "width", "4"), ODD, Precision.FLOAT32));

    @Test
    void exportedFilesComputeTheModelsLogitsFromRawPixels() {
        for (Case c : CASES) {
            try (ModelHandle model = ModelHandle.create(c.spec(), 11)) {
                Path file = dir.resolve(c.arch() + "-" + c.data().channels() + "-" + c.precision() + ".pt");
                TorchScript.export(model, file);
                double diff = maxLogitDifference(model, file, c.data());
                String what = c.arch() + " " + c.options() + " on " + c.data().shapeString() + " " + c.precision();
                assertThat(diff).as(what).isLessThan(c.precision() == Precision.FLOAT32 ? 1e-5 : 1e-12);
            }
        }
    }

    /** Loads the file as a plain TorchScript module and runs its forward on the data's raw pixels. */
    private static double maxLogitDifference(ModelHandle model, Path file, ExampleSet data) {
        try (PtNDManager m = (PtNDManager) Engines.newManager(); NDManager scope = model.newScope()) {
            PtSymbolBlock block = JniUtils.loadModule(m, file, true, new String[0], new String[0], false);
            try {
                NDArray raw = m.create(data.pixels(), new Shape(data.size(), data.channels(), data.height(), data.width()));
                NDArray fromFile = block.forward(new ParameterStore(m, false), new NDList(raw), false).singletonOrThrow();
                NDArray fromModel = model.logits(model.inputs(scope, data, 0, data.size()));
                assertThat(fromFile.getDataType()).isEqualTo(model.dataType());
                assertThat(fromFile.getShape()).isEqualTo(new Shape(data.size(), data.numClasses()));
                double[] a = fromFile.toType(DataType.FLOAT64, false).toDoubleArray();
                double[] b = fromModel.toType(DataType.FLOAT64, false).toDoubleArray();
                double max = 0;
                for (int i = 0; i < a.length; i++) {
                    max = Math.max(max, Math.abs(a[i] - b[i]));
                }
                return max;
            } finally {
                block.close();
            }
        }
    }

    @Test
    void importOfAnExportGivesTheSameModelBitForBit() {
        for (Case c : CASES) {
            ModelSpec spec = c.spec();
            try (ModelHandle model = ModelHandle.create(spec, 5)) {
                Path file = dir.resolve("m.pt");
                TorchScript.export(model, file);
                try (ModelHandle withSpec = TorchScript.importModel(file, spec);
                        ModelHandle fromFile = TorchScript.importModel(file)) {
                    for (ModelHandle loaded : List.of(withSpec, fromFile)) {
                        assertThat(loaded.getParameters()).as(c.toString()).containsExactly(model.getParameters());
                        assertThat(loaded.spec().inputMean()).containsExactly(spec.inputMean());
                    }
                    ModelSpec s = fromFile.spec();
                    assertThat(List.of(s.architecture(), s.options(), s.channels(), s.height(), s.width(), s.classNames(),
                            s.precision(), s.weightDecay())).isEqualTo(List.of(spec.architecture(), spec.options(),
                                    spec.channels(), spec.height(), spec.width(), spec.classNames(), spec.precision(),
                                    spec.weightDecay()));
                }
            }
        }
    }

    @Test
    void theInputMeanComesFromTheFileWhenItHasOne() {
        ModelSpec exported = CASES.get(1).spec();
        float[] other = {0.5f, 0.5f, 0.5f};
        ModelSpec given = new ModelSpec(exported.architecture(), exported.options(), 3, 32, 32, exported.classNames(), other,
                exported.precision(), exported.weightDecay());
        try (ModelHandle model = ModelHandle.create(exported, 1)) {
            Path file = dir.resolve("cnn.pt");
            TorchScript.export(model, file);
            assertThat(TorchScript.readAttributes(file).inputMean()).containsExactly(exported.inputMean());
            try (ModelHandle loaded = TorchScript.importModel(file, given)) {
                assertThat(loaded.spec().inputMean()).containsExactly(exported.inputMean());
            }
        }
    }

    @Test
    void aFileThatDoesNotFitTheArchitectureNamesTheFirstDifferingTensor() {
        ExampleSet d = MNIST_LIKE;
        ModelSpec hidden16 = TestData.spec("mlp", Map.of("hidden", "16"), d, Precision.FLOAT32, 0);
        Path file = dir.resolve("mlp.pt");
        try (ModelHandle model = ModelHandle.create(hidden16, 1)) {
            TorchScript.export(model, file);
        }
        assertOneLine(() -> TorchScript.importModel(file, TestData.spec("mlp", Map.of("hidden", "17"), d, Precision.FLOAT32, 0)),
                "parameter 0 (1.weight)", "has shape [17, 784]", "file's net.1.weight has shape [16, 784]");
        assertOneLine(() -> TorchScript.importModel(file, TestData.spec("mlp", Map.of("hidden", "16,10"), d, Precision.FLOAT32, 0)),
                "has 4 parameter tensors", "has 6", "first missing is 5.weight with shape [10, 10]");
        Path hidden10 = dir.resolve("mlp10.pt");
        try (ModelHandle model = ModelHandle.create(TestData.spec("mlp", Map.of("hidden", "10"), d, Precision.FLOAT32, 0), 1)) {
            TorchScript.export(model, hidden10);
        }
        assertOneLine(() -> TorchScript.importModel(hidden10, TestData.spec("logreg", Map.of(), d, Precision.FLOAT32, 0)),
                "has 4 parameter tensors but model logreg", "has 2", "first extra is net.3.weight with shape [10, 10]");
        assertOneLine(() -> TorchScript.importModel(file, TestData.spec("paper-cnn", Map.of(), d, Precision.FLOAT32, 0)),
                "parameter 0 (0.weight)", "[32, 1, 3, 3]", "[16, 784]");
        assertOneLine(() -> TorchScript.importModel(file, TestData.spec("mlp", Map.of("hidden", "16"), d, Precision.FLOAT64, 0)),
                "net.1.weight is float32 but the model spec says FLOAT64");
    }

    @Test
    void aTemplateWrittenByPyTorchItselfIsReadableButHasNoSpec() throws IOException {
        // The templates are TorchScript files written by torch 1.13 (not by DJL): the attribute
        // reader must understand them, and their placeholder tensors fit no real model.
        Path template = dir.resolve("paper-cnn.pt");
        try (InputStream in = TorchScript.class.getResourceAsStream(TorchScript.TEMPLATES + "paper-cnn.pt")) {
            Files.copy(in, template);
        }
        assertThat(TorchScript.readAttributes(template).inputMean()).containsExactly(0f);
        assertThat(TorchScript.readAttributes(template).spec()).isEmpty();
        assertOneLine(() -> TorchScript.importModel(template), "without an amend spec");
        assertOneLine(() -> TorchScript.importModel(template, CASES.get(0).spec()),
                "parameter 0 (0.weight)", "[32, 1, 3, 3]", "net.0.weight has shape [1, 1, 3, 3]");
    }

    @Test
    void everyArchitectureAndDepthWithATemplateExports() {
        for (String name : List.of("paper-cnn", "logreg", "mlp-relu-1", "mlp-tanh-4", "resnet-8", "resnet-20")) {
            assertThat(TorchScript.class.getResource(TorchScript.TEMPLATES + name + ".pt")).as(name).isNotNull();
        }
        ExampleSet d = ODD;
        assertThat(TorchScript.templateName(TestData.spec("mlp", Map.of("hidden", "3;4;5", "activation", "tanh"), d,
                Precision.FLOAT32, 0))).isEqualTo("mlp-tanh-3");
        assertThat(TorchScript.templateName(TestData.spec("resnet", Map.of("depth", "20"), d, Precision.FLOAT32, 0)))
                .isEqualTo("resnet-20");
        try (ModelHandle deep = ModelHandle.create(TestData.spec("mlp", Map.of("hidden", "2,2,2,2,2"), d, Precision.FLOAT32, 0), 1);
                ModelHandle resnet26 = ModelHandle.create(TestData.spec("resnet", Map.of("depth", "26"), d, Precision.FLOAT32, 0), 1)) {
            assertOneLine(() -> TorchScript.export(deep, dir.resolve("deep.pt")), "5 hidden layers", "1 to 4");
            assertOneLine(() -> TorchScript.export(resnet26, dir.resolve("r.pt")), "depth 26", "[8, 14, 20]");
        }
        assertThat(dir.resolve("deep.pt")).doesNotExist();
    }

    @Test
    void filesThatAreNotTorchScriptFailWithOneLine() throws IOException {
        ModelSpec spec = CASES.get(0).spec();
        Path text = Files.writeString(dir.resolve("notes.pt"), "not a model\n");
        assertOneLine(() -> TorchScript.importModel(text, spec), "notes.pt is not a TorchScript file");
        Path zip = dir.resolve("other.pt");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("x/readme.txt"));
            out.write(1);
        }
        assertOneLine(() -> TorchScript.importModel(zip, spec), "other.pt is not a TorchScript file");
        // What torch.save(model.state_dict(), path) writes: a pickle and tensors, but no code.
        Path stateDict = dir.resolve("state.pt");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(stateDict))) {
            for (String name : List.of("state/data.pkl", "state/data/0", "state/version")) {
                out.putNextEntry(new ZipEntry(name));
                out.write(0x80);
            }
        }
        assertOneLine(() -> ModelStore.load(stateDict), "state.pt was written by torch.save", "torch.jit.script");
        assertOneLine(() -> TorchScript.importModel(dir.resolve("missing.pt"), spec), "no such file");
    }

    @Test
    void modelStoreLoadsAnExportedFile() {
        ModelSpec spec = CASES.get(3).spec();
        try (ModelHandle model = ModelHandle.create(spec, 9)) {
            Path file = dir.resolve("model.pt");
            TorchScript.export(model, file);
            assertThat(TorchScript.isTorchScriptFile(file)).isTrue();
            try (ModelHandle loaded = ModelStore.load(file)) {
                assertThat(loaded.getParameters()).containsExactly(model.getParameters());
                assertThat(loaded.spec().architecture()).isEqualTo("mlp");
            }
        }
    }

    @Test
    void aTorchScriptArchiveIsRecognisedByItsContentWhateverItsName() throws IOException {
        ModelSpec spec = CASES.get(3).spec();
        try (ModelHandle model = ModelHandle.create(spec, 9)) {
            Path exported = dir.resolve("model.pt");
            TorchScript.export(model, exported);
            for (String name : List.of("m.pth", "m.PT", "m.torchscript", "m")) {
                Path file = Files.copy(exported, dir.resolve(name));
                assertThat(TorchScript.isTorchScriptFile(file)).as(name).isTrue();
                try (ModelHandle loaded = ModelStore.load(file)) {
                    assertThat(loaded.getParameters()).as(name).containsExactly(model.getParameters());
                }
            }
        }
        // A user's own module, opened for the data as a ScriptedModel.
        ExampleSet d = TestData.random(4, 1, 28, 28, 10, 3);
        Path user = Files.move(ScriptedModelTest.userModel(dir, "user-cnn-bn.pt"), dir.resolve("user.pth"));
        try (ModelHandle loaded = ModelStore.load(user, d)) {
            assertThat(loaded).isInstanceOf(ScriptedModel.class);
        }
        // A torch.save archive under another name still gets its own message.
        Path stateDict = dir.resolve("state.pth");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(stateDict))) {
            for (String name : List.of("state/data.pkl", "state/data/0", "state/version")) {
                out.putNextEntry(new ZipEntry(name));
                out.write(0x80);
            }
        }
        assertOneLine(() -> ModelStore.load(stateDict, d), "state.pth was written by torch.save", "torch.jit.script");
        // Other files are not models; a zip without PyTorch's records neither.
        Path text = Files.writeString(dir.resolve("notes.pth"), "not a model\n");
        assertOneLine(() -> ModelStore.load(text, d), "no model in " + text + ": it is a file, not a model folder");
        Path zip = dir.resolve("other.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("x/readme.txt"));
            out.write(1);
        }
        assertThat(TorchScript.isTorchScriptFile(zip)).isFalse();
        assertThat(TorchScript.isTorchScriptFile(dir)).isFalse();
    }

    private static void assertOneLine(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String... parts) {
        assertThatThrownBy(call).isInstanceOf(AmendException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").contains(parts));
    }
}
