package dev.amend.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --threads}: the number of libtorch intra-op threads. The option is bound to a setter
 * because DJL reads the thread count only once, when the engine loads: setting it while the
 * arguments are parsed makes sure no command can load the engine first.
 */
public final class ThreadOptions {
    /** The system property DJL's PyTorch engine reads its intra-op thread count from. */
    static final String NUM_THREADS_PROPERTY = "ai.djl.pytorch.num_threads";

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    private int threads;

    // The default follows OMP_NUM_THREADS so that libtorch and OpenMP agree when a user sets only that.
    @Option(names = "--threads", paramLabel = "N", defaultValue = "${env:OMP_NUM_THREADS:-2}",
            description = "libtorch threads; on a machine shared with other jobs 1 is often faster "
                    + "(default: ${DEFAULT-VALUE}, from OMP_NUM_THREADS when set).")
    void setThreads(int threads) {
        if (threads < 1) {
            throw new ParameterException(mixee.commandLine(), "--threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        System.setProperty(NUM_THREADS_PROPERTY, Integer.toString(threads));
    }

    public int threads() {
        return threads;
    }
}
