#!/usr/bin/env python3
"""Which acceptance check agrees with the test set? (docs/methods.md 3(e), docs/results.md)

Reads the results.json of `amend experiment treat-k` and, for every repair in it (all methods,
all k, every random draw, the semi-oracle), replays the acceptance verdict under each check set
from the numbers the repair recorded:

    accepted = accuracy on F_q_val rose  and  accuracy on the check set fell by <= tolerance

and compares it with what the held-out test set says: the repair "harmed" the model when its
accuracy on T fell by more than the tolerance. Prints, per check set, how many repairs it
accepted, how many of those harmed T (false accepts), how many harmless repairs it refused,
and the mean T change of the accepted ones.

It also counts the repairs whose kept epoch has a higher mean loss on V than theta* itself:
with theta* as a candidate of early stopping (`--start-candidate true`) those would have
returned theta* or stopped earlier (docs/treatment.md), and how T changed on them.

Usage: scripts/acceptance-agreement.py RESULTS.json [--tolerance 0.005] [--series A,B]
"""

import argparse
import json


def verdict(acc, check, tol):
    c = acc.get(check)
    q = acc["F_q_val"]
    if c is None:
        return None
    return q["accuracy_after"] > q["accuracy_before"] and c["accuracy_before"] - c["accuracy_after"] <= tol + 1e-12


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results")
    ap.add_argument("--tolerance", type=float, default=0.005)
    ap.add_argument("--series", help="only these series, comma-separated (e.g. ewc-influence,influence-cg)")
    args = ap.parse_args()
    with open(args.results) as f:
        result = json.load(f)
    points = [p for p in result["points"] if p.get("acceptance") and not p["series"].endswith(" auto")
              and (not args.series or p["series"] in args.series.split(","))]
    tol = args.tolerance
    print(f"{len(points)} repairs; harmed = T fell by more than {100 * tol:.1f} points")
    print(f"{'check set':22s} {'accepted':>8s} {'harmed':>7s} {'refused':>8s} {'refused harmless':>17s} "
          f"{'mean dT accepted':>17s} {'mean dT refused':>16s}")
    for check in ("validation", "unflagged_validation"):
        acc_d, ref_d = [], []
        harmed_acc = harmless_ref = 0
        for p in points:
            v = verdict(p["acceptance"], check, tol)
            if v is None:
                continue
            d = p["accuracy"]["T"] - p["before"]["T"]
            harmed = d < -tol
            if v:
                acc_d.append(d)
                harmed_acc += harmed
            else:
                ref_d.append(d)
                harmless_ref += not harmed
        mean = lambda xs: sum(xs) / len(xs) if xs else float("nan")
        print(f"{check:22s} {len(acc_d):8d} {harmed_acc:7d} {len(ref_d):8d} {harmless_ref:17d} "
              f"{mean(acc_d):+17.4f} {mean(ref_d):+16.4f}")
    worse = [p for p in points if p["acceptance"].get("validation")
             and p["acceptance"]["validation"]["loss_after"] > p["acceptance"]["validation"]["loss_before"]]
    dts = [p["accuracy"]["T"] - p["before"]["T"] for p in worse]
    print(f"kept epoch's loss on V above theta*'s: {len(worse)} of {len(points)} repairs; "
          f"their mean T change {sum(dts) / len(dts) if dts else float('nan'):+.4f}, "
          f"{sum(d > tol for d in dts)} of them raised T by more than the tolerance")


if __name__ == "__main__":
    main()
