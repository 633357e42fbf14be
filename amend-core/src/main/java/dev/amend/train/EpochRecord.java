package dev.amend.train;

/** One epoch of training: mean minibatch objective, validation accuracy and loss (NaN without validation). */
public record EpochRecord(int epoch, double trainLoss, double validationAccuracy, double validationLoss, double seconds) {
}
