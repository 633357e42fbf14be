package dev.amend.example;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the example of docs/library.md as a user would, on a small TorchScript CNN with
 * BatchNorm and Dropout (untrained weights: the example shows the mechanics, not a good model),
 * and checks what it prints and that the repaired file loads as TorchScript with the same
 * parameters' shapes.
 */
class RepairExampleTest {
    @TempDir
    Path dir;

    @Test
    void theDocumentedExampleRepairsATorchScriptModel() throws Exception {
        Path model = dir.resolve("model.pt");
        try (InputStream in = getClass().getResourceAsStream("/user-cnn-bn.pt")) {
            Files.copy(in, model);
        }
        Path out = dir.resolve("repaired.pt");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            // Test rows outside the 500-image training pool of seed 0, all misclassified by the model.
            RepairExample.main(new String[] {model.toString(), out.toString(), "9001", "9002", "9010", "9011", "9012",
                "9013", "9020", "9021"});
        } finally {
            System.setOut(saved);
        }
        String printed = bytes.toString(StandardCharsets.UTF_8);
        saved.print(printed);
        assertThat(printed).contains("held-out failures fixed: 0.00 -> ").contains("test accuracy: ")
                .contains("training rows removed as causes: [").containsPattern("(NOT )?ACCEPTED: ")
                .doesNotContain("not checked");
        assertThat(out).isRegularFile();
        try (PtNDManager m = (PtNDManager) ai.djl.ndarray.NDManager.newBaseManager()) {
            PtSymbolBlock a = JniUtils.loadModule(m, model, true, new String[0], new String[0], false);
            PtSymbolBlock b = JniUtils.loadModule(m, out, true, new String[0], new String[0], false);
            NDList pa = JniUtils.moduleGetParams(a, m);
            NDList pb = JniUtils.moduleGetParams(b, m);
            assertThat(pb.size()).isEqualTo(pa.size());
            for (int i = 0; i < pa.size(); i++) {
                assertThat(pb.get(i).getShape()).isEqualTo(pa.get(i).getShape());
            }
        }
    }
}
