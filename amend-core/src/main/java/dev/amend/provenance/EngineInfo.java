package dev.amend.provenance;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.pytorch.jni.JniUtils;
import dev.amend.AmendException;

/**
 * The deep-learning engine amend computes with, as loaded in this process.
 *
 * @param name           the DJL engine name ("PyTorch")
 * @param version        the native library's version (libtorch)
 * @param djlVersion     the DJL API version
 * @param threads        intra-op threads, which is what {@code --threads} sets
 * @param interopThreads inter-op threads
 */
public record EngineInfo(String name, String version, String djlVersion, int threads, int interopThreads) {
    /** The engine amend's models run on. */
    public static final String ENGINE_NAME = "PyTorch";

    /**
     * Loads the engine (on first use this unpacks libtorch, which takes a few seconds) and
     * describes it. Thread settings are read when the engine first loads, so the system
     * property {@code ai.djl.pytorch.num_threads} must be set before the first call.
     */
    public static EngineInfo load() {
        Engine engine;
        try {
            engine = Engine.getEngine(ENGINE_NAME);
        } catch (EngineException | IllegalArgumentException e) {
            // Missing natives or a broken service registration: the cause, not a stack trace, helps the user.
            throw new AmendException("the " + ENGINE_NAME + " engine did not load: " + e.getMessage(), e);
        }
        // The thread getters are native calls that exist only once the engine has loaded libtorch.
        return new EngineInfo(engine.getEngineName(), engine.getVersion(), Engine.getDjlVersion(),
                JniUtils.getNumThreads(), JniUtils.getNumInteropThreads());
    }
}
