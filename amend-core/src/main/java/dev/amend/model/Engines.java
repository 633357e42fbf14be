package dev.amend.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.amend.AmendException;

/**
 * The one place that starts the PyTorch engine. The thread count must be known before the
 * engine loads (libtorch reads it once), so callers set it through {@link #configure(int)}
 * first; results are bitwise reproducible for a fixed seed and thread count.
 */
public final class Engines {
    private static volatile boolean loaded;

    private Engines() {
    }

    /** Sets the intra-op thread count (call before any model work; later calls also apply it). */
    public static synchronized void configure(int threads) {
        if (threads < 1) {
            throw new AmendException("threads must be at least 1, got " + threads);
        }
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        if (loaded) {
            JniUtils.setNumThreads(threads);
        }
    }

    /** The PyTorch engine, loaded on first use. */
    public static synchronized Engine engine() {
        if (!loaded) {
            System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
            Engine e;
            try {
                e = Engine.getEngine("PyTorch");
            } catch (RuntimeException | UnsatisfiedLinkError ex) {
                throw new AmendException("cannot load the PyTorch engine (" + oneLine(ex) + "); an application needs"
                        + " ai.djl.pytorch:pytorch-native-cpu 2.7.1 (with its platform's classifier) and"
                        + " ai.djl.pytorch:pytorch-jni 2.7.1-0.36.0 on its runtime classpath, or -Dai.djl.offline=false"
                        + " to let DJL download libtorch (docs/library.md)", ex);
            }
            loaded = true;
            return e;
        }
        return Engine.getEngine("PyTorch");
    }

    // The innermost cause's message, on one line: DJL wraps the reason (offline mode, a missing file).
    private static String oneLine(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.lines().findFirst().orElse("").strip();
    }

    /** A new base manager on the CPU; the caller closes it. */
    public static NDManager newManager() {
        return engine().newBaseManager(Device.cpu());
    }

    /** Intra-op threads in use. */
    public static int threads() {
        engine();
        return JniUtils.getNumThreads();
    }
}
