package dev.amend.train;

/** Hears about every finished epoch (progress bars, logs). */
@FunctionalInterface
public interface EpochListener {
    EpochListener NONE = (r, max) -> { };

    void epochFinished(EpochRecord record, int maxEpochs);
}
