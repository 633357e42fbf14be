package dev.amend.util;

import java.util.Objects;

/**
 * How far long work has come: a pass over the data, the iterations of a solver, a replay. Code
 * that runs long opens a {@link Task} and steps it; whoever started the work (a command line, an
 * application) installs a {@link Listener} on the thread for that time and decides how to show
 * it. Without one nothing is reported and a task costs a field read per step.
 *
 * <p>The listener is per thread, so that hooks need no extra parameter through the layers and a
 * library user who installs none sees nothing.
 */
public final class Progress {
    /** Hears about tasks; called on the thread that does the work. */
    public interface Listener {
        Listener NONE = new Listener() {
        };

        /** A task of {@code total} steps starts ({@code total} 0 when unknown). */
        default void started(String task, long total) {
        }

        /** {@code done} of {@code total} steps are finished. */
        default void advanced(String task, long done, long total) {
        }

        /** The task ended after {@code done} steps (fewer than {@code total} when it stopped early). */
        default void finished(String task, long done, long total) {
        }
    }

    private static final ThreadLocal<Listener> CURRENT = ThreadLocal.withInitial(() -> Listener.NONE);

    private Progress() {
    }

    /** Sends this thread's tasks to {@code listener} until the returned scope is closed. */
    public static Scope install(Listener listener) {
        Listener previous = CURRENT.get();
        CURRENT.set(Objects.requireNonNull(listener));
        return () -> CURRENT.set(previous);
    }

    /** The listener of this thread ({@link Listener#NONE} when none is installed). */
    public static Listener current() {
        return CURRENT.get();
    }

    /** Starts a task of {@code total} steps (0 when unknown); close it when the work ends. */
    public static Task task(String name, long total) {
        return new Task(CURRENT.get(), name, total);
    }

    /** An installed listener; closing it restores the one before. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** One piece of long work being done. */
    public static final class Task implements AutoCloseable {
        private final Listener listener;
        private final String name;
        private final long total;
        private long done;
        private boolean closed;

        private Task(Listener listener, String name, long total) {
            this.listener = listener;
            this.name = Objects.requireNonNull(name);
            this.total = Math.max(0, total);
            listener.started(name, this.total);
        }

        /** One more step done. */
        public void step() {
            stepTo(done + 1);
        }

        /** {@code count} steps done in all. */
        public void stepTo(long count) {
            done = count;
            listener.advanced(name, done, total);
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                listener.finished(name, done, total);
            }
        }
    }
}
