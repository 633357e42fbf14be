package dev.amend.cli;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The base of a test class whose tests share one run, {@link TinyCsvRun#swappedLabels}, trained
 * once before them in the class's temporary folder {@link #dir}.
 */
abstract class SwappedLabelsRunFixture {
    @TempDir
    static Path dir;

    /** The data spec of the run's data. */
    static String data;
    /** The run's folder. */
    static Path run;

    @BeforeAll
    static void train() {
        TinyCsvRun trained = TinyCsvRun.swappedLabels(dir);
        data = trained.data();
        run = trained.run();
    }
}
