package dev.amend.cli;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The base of a command test class whose tests share one run, trained once before them by
 * {@link #trainRun} in the class's temporary folder {@link #dir}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TrainedRunFixture {
    // Static: JUnit makes an instance field's folder anew for every test, after the run is trained.
    @TempDir
    static Path dir;

    /** The data spec of the run's data. */
    String data;
    /** The run's folder. */
    Path run;

    /** Trains the run of this class's tests below {@link #dir}, e.g. with {@link TinyCsvRun#train}. */
    abstract TinyCsvRun trainRun();

    @BeforeAll
    void train() {
        TinyCsvRun trained = trainRun();
        data = trained.data();
        run = trained.run();
    }
}
