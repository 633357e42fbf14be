#!/usr/bin/env python3
"""What a shorter early-stopping patience would do to the treatments of an `amend experiment`
run, read off its progress log (docs/benchmarks.md, "experiment paper wall time").

Every training epoch of a treatment prints one line on stderr when stderr is not a terminal,
e.g.

    finetune-remaining epoch   3/100  train loss 0.1781  check loss 0.2983 acc 0.8633  0.92 s

A treatment stops after `patience` epochs without a strict improvement of the check loss
(docs/methods.md, Section 3) and keeps its best epoch. Because the log holds every epoch's check
loss, the epoch a smaller patience would have kept, and the epochs it would have trained, follow
from the log alone; a larger patience would need epochs that were never run. For each patience
p below the run's, this prints how many fine-tunings would keep the same epoch (and so give the
same model, bit for bit), and how many training epochs and seconds they would take.

    python3 scripts/patience-from-log.py RUN.log [--treatment finetune-remaining] [--patience 5]

RUN.log: the stderr of `amend experiment paper ... 2> RUN.log` (or of any command that trains
treatments without --quiet).
"""

import argparse
import re
import sys

EPOCH = re.compile(r"^(?P<name>[a-z-]+) epoch\s+(?P<epoch>\d+)/\d+ .*check loss (?P<loss>[0-9.]+)"
                   r" .* (?P<seconds>[0-9.]+) s$")


def trainings(lines, name):
    """The (check loss, seconds) sequence of every training of the named treatment, in order."""
    out = []
    for line in lines:
        m = EPOCH.match(line.strip())
        if not m or m.group("name") != name:
            continue
        if int(m.group("epoch")) == 1:
            out.append([])
        if out:
            out[-1].append((float(m.group("loss")), float(m.group("seconds"))))
    return out


def stop(losses, patience):
    """(kept epoch, epochs trained), both 0-based / counts, under the rule of docs/methods.md 3."""
    best, kept = None, 0
    for i, loss in enumerate(losses):
        if best is None or loss < best:
            best, kept = loss, i
        elif i - kept >= patience:
            return kept, i + 1
    return kept, len(losses)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("log")
    p.add_argument("--treatment", default="finetune-remaining")
    p.add_argument("--patience", type=int, default=5, help="the patience the run used (default 5)")
    a = p.parse_args()
    with open(a.log, encoding="utf-8") as f:
        runs = trainings(f, a.treatment)
    if not runs:
        sys.exit(f"no '{a.treatment} epoch' lines in {a.log}")
    complete = [r for r in runs if stop([l for l, _ in r], a.patience)[1] == len(r)]
    if len(complete) != len(runs):
        print(f"note: {len(runs) - len(complete)} of {len(runs)} trainings did not end by patience "
              f"{a.patience} (cap or interruption); they are left out")
    full_epochs = sum(len(r) for r in complete)
    full_seconds = sum(s for r in complete for _, s in r)
    print(f"{a.treatment}: {len(complete)} trainings, {full_epochs} epochs, {full_seconds:.0f} s at patience "
          f"{a.patience}")
    print("patience  same kept epoch  epochs  seconds  saved")
    for q in range(1, a.patience + 1):
        same = epochs = 0
        seconds = 0.0
        for r in complete:
            losses = [l for l, _ in r]
            kept, n = stop(losses, q)
            same += kept == stop(losses, a.patience)[0]
            epochs += n
            seconds += sum(s for _, s in r[:n])
        print(f"{q:>8}  {same:>6} of {len(complete):<6}  {epochs:>6}  {seconds:>7.0f}  {max(0.0, 1 - seconds / full_seconds):>5.1%}")


if __name__ == "__main__":
    main()
