package dev.amend.train;

import java.util.List;

/**
 * What a training run did: the epoch whose parameters were kept (0 = the starting point),
 * the epochs run, the history and, if recorded, the SGD trajectory up to the kept epoch.
 */
public record TrainResult(int bestEpoch, int epochsRun, List<EpochRecord> history, Trajectory trajectory,
        double seconds) {
}
