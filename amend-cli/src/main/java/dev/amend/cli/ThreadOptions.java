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
    /** More threads than this many per processor only add switching; far more exhaust the machine. */
    static final int THREADS_PER_PROCESSOR = 4;

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
        int max = maxThreads();
        if (threads > max) {
            // Each thread is a native thread with its own stack; thousands exhaust the machine.
            throw new ParameterException(mixee.commandLine(), "--threads must be at most " + max + " (4 per processor,"
                    + " " + Runtime.getRuntime().availableProcessors() + " processors), got " + threads
                    + (Integer.toString(threads).equals(System.getenv("OMP_NUM_THREADS"))
                            ? " (OMP_NUM_THREADS=" + threads + " sets the default)" : ""));
        }
        this.threads = threads;
        System.setProperty(NUM_THREADS_PROPERTY, Integer.toString(threads));
    }

    /** The most threads amend accepts: {@value #THREADS_PER_PROCESSOR} per processor (docs/errors.md). */
    static int maxThreads() {
        return THREADS_PER_PROCESSOR * Runtime.getRuntime().availableProcessors();
    }

    public int threads() {
        return threads;
    }
}
