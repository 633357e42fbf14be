package dev.amend.cli;

import dev.amend.run.TrainRun;
import dev.amend.train.EpochRecord;

/**
 * Progress of a training run on stderr, one line per stage and per epoch, silenced by
 * {@code --quiet}. On a terminal the epochs of one training share a line redrawn in place, with
 * a bar over the epoch limit and the time left if every epoch ran: an upper bound, since early
 * stopping usually ends training sooner. In logs every epoch keeps its line.
 */
final class TrainProgress implements TrainRun.Listener {
    private final OutputOptions output;

    TrainProgress(OutputOptions output) {
        this.output = output;
    }

    @Override
    public void stage(String message) {
        TerminalProgress terminal = output.terminalProgress();
        if (terminal != null) {
            terminal.betweenTasks();
        }
        output.progress("%s", message);
    }

    @Override
    public void epoch(String what, EpochRecord r, int maxEpochs) {
        int width = Integer.toString(maxEpochs).length();
        // Both, whichever of them early stopping watches.
        String validation = Double.isNaN(r.validationAccuracy()) ? ""
                : String.format(java.util.Locale.ROOT, "  check loss %.4f acc %.4f", r.validationLoss(),
                        r.validationAccuracy());
        TerminalProgress terminal = output.terminalProgress();
        if (terminal != null && terminal.terminal()) {
            terminal.epoch(what, r.epoch(), maxEpochs, String.format(java.util.Locale.ROOT, "train loss %.4f%s  %.2f s",
                    r.trainLoss(), validation, r.seconds()), r.seconds());
            return;
        }
        output.progress("%s epoch %" + width + "d/%d  train loss %.4f%s  %.2f s", what, r.epoch(), maxEpochs,
                r.trainLoss(), validation, r.seconds());
    }
}
