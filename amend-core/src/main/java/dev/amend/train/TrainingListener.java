package dev.amend.train;

/** Hears about every finished epoch (progress bars, logs). */
@FunctionalInterface
public interface TrainingListener {
    TrainingListener NONE = (r, max) -> { };

    void epochFinished(EpochRecord record, int maxEpochs);
}
