#!/usr/bin/python3
"""The PyTorch side of docs/benchmarks.md: the same work as `amend bench train` and the phases
of `amend bench identify`'s EWC-influence, in plain PyTorch, on the same machine.

Network: amend's paper-cnn (docs/methods.md 4.1): conv3x3 32 - ReLU - [maxpool 2x2] - conv3x3 32
- ReLU - maxpool 2x2 - conv3x3 64 - ReLU - conv3x3 64 - ReLU - global average pool - linear 10;
`--pools 2` (default) has the first max-pool, `--pools 1` is the one-pool variant.
Data: the embedded MNIST digits, a pool of 3,000 (2,700 for D, as a run's training part), inputs
minus their mean. Training: Adam 1e-3, minibatches of 64, 2 threads.

EWC-influence phases (docs/methods.md 2(a)), each timed on its own:
  fisher   the diagonal empirical Fisher of D from per-example gradients (functorch vmap, chunks
           of 50, squares summed in float64), as amend computes it;
  epoch    one epoch of the penalised fine-tuning on 256 query examples (minibatches of 64,
           the penalty computed exactly at every step, as amend does), plus the validation pass
           on 29 examples that amend's early stopping makes after every epoch;
  scoring  the per-example losses of D at the fine-tuned parameters.

Run with Debian's python3-torch (1.13, functorch included) and the malloc settings of ./amend:
  MALLOC_ARENA_MAX=1 MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=4294967296 OMP_NUM_THREADS=2 \\
      /usr/bin/python3 scripts/bench-pytorch.py --pools 2 --repeats 3
It prints one line per timed quantity (median, min, max over the repeats) and, with --json FILE,
writes them as JSON.
"""

import argparse
import gzip
import json
import os
import statistics
import struct
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from functorch import grad, make_functional, vmap

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MNIST = os.path.join(ROOT, "amend-mnist/src/main/resources/dev/amend/data/mnist/")


def load_pool(n=3000, seed=0):
    raw = gzip.open(MNIST + "images-idx3-ubyte.gz").read()
    count, h, w = struct.unpack(">III", raw[4:16])
    x = np.frombuffer(raw, np.uint8, offset=16).reshape(count, 1, h, w).astype(np.float32) / 255
    y = np.frombuffer(gzip.open(MNIST + "labels-idx1-ubyte.gz").read(), np.uint8, offset=8).astype(np.int64)
    idx = np.random.RandomState(seed).permutation(count)
    pool, rest = idx[:n], idx[n:]
    mean = x[pool].mean()
    return (torch.tensor(x[pool] - mean), torch.tensor(y[pool]), torch.tensor(x[rest] - mean),
            torch.tensor(y[rest]))


def paper_cnn(pools):
    first = [nn.Conv2d(1, 32, 3, padding=1), nn.ReLU()] + ([nn.MaxPool2d(2)] if pools == 2 else [])
    return nn.Sequential(*first, nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10))


def train_epoch(net, opt, x, y, penalty=None):
    perm = torch.randperm(len(x))
    for b in range(0, len(x), 64):
        i = perm[b:b + 64]
        opt.zero_grad()
        loss = F.cross_entropy(net(x[i]), y[i])
        if penalty is not None:
            loss = loss + penalty()
        loss.backward()
        opt.step()


def fisher_diagonal(net, x, y, chunk=50):
    fnet, params = make_functional(net)
    params = tuple(p.detach() for p in params)

    def loss_one(p, xi, yi):
        return F.cross_entropy(fnet(p, xi.unsqueeze(0)), yi.unsqueeze(0))

    per_example = vmap(grad(loss_one), in_dims=(None, 0, 0))
    acc = [torch.zeros_like(p, dtype=torch.float64) for p in params]
    for b in range(0, len(x), chunk):
        gs = per_example(params, x[b:b + chunk], y[b:b + chunk])
        for a, g in zip(acc, gs):
            a += g.detach().double().pow(2).sum(0)
    return [a / len(x) for a in acc]


def timed(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def summary(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "values": values}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pools", type=int, choices=(1, 2), default=2)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--epochs", type=int, default=5, help="timed training epochs per repeat")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--json", help="write the results here")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    x, y, tx, ty = load_pool()
    d_x, d_y = x[:2700], y[:2700]
    q_x, q_y = tx[:256], ty[:256]
    v_x, v_y = tx[256:285], ty[256:285]
    results = {"torch": torch.__version__, "pools": args.pools, "threads": args.threads, "repeats": args.repeats,
               "loadavg_start": os.getloadavg()}

    epochs = []
    for _ in range(args.repeats):
        net = paper_cnn(args.pools)
        opt = torch.optim.Adam(net.parameters(), 1e-3)
        train_epoch(net, opt, x, y)  # warm-up: kernels for new shapes
        for _ in range(args.epochs):
            epochs.append(timed(lambda: train_epoch(net, opt, x, y)))
    results["train_epoch_3000"] = summary(epochs)

    fisher_t, epoch_t, score_t = [], [], []
    for _ in range(args.repeats):
        net = paper_cnn(args.pools)
        opt = torch.optim.Adam(net.parameters(), 1e-3)
        train_epoch(net, opt, d_x, d_y)
        star = [p.detach().clone() for p in net.parameters()]
        holder = {}
        fisher_t.append(timed(lambda: holder.setdefault("f", fisher_diagonal(net, d_x, d_y))))
        weights = [(len(d_x) / (2.0 * len(q_x))) * f.float() for f in holder["f"]]

        def penalty():
            return sum((w * (p - s).pow(2)).sum() for w, p, s in zip(weights, net.parameters(), star))

        tune = torch.optim.Adam(net.parameters(), 1e-3)

        def one_epoch():
            train_epoch(net, tune, q_x, q_y, penalty)
            with torch.no_grad():
                F.cross_entropy(net(v_x), v_y)

        one_epoch()  # warm-up
        epoch_t.append(timed(one_epoch))

        def scoring():
            with torch.no_grad():
                for b in range(0, len(d_x), 500):
                    F.cross_entropy(net(d_x[b:b + 500]), d_y[b:b + 500], reduction="none")

        score_t.append(timed(scoring))
    results["ewc_fisher_2700"] = summary(fisher_t)
    results["ewc_finetune_epoch_256"] = summary(epoch_t)
    results["ewc_scoring_2700"] = summary(score_t)
    results["loadavg_end"] = os.getloadavg()
    for key in ("train_epoch_3000", "ewc_fisher_2700", "ewc_finetune_epoch_256", "ewc_scoring_2700"):
        s = results[key]
        print(f"{key:24s} median {s['median']:.3f} s  min {s['min']:.3f}  max {s['max']:.3f}  (n={len(s['values'])})")
    print(f"load average start {results['loadavg_start']}, end {results['loadavg_end']}")
    if args.json:
        tmp = args.json + ".tmp"
        with open(tmp, "w") as f:
            json.dump(results, f, indent=2)
        os.replace(tmp, args.json)


if __name__ == "__main__":
    main()
