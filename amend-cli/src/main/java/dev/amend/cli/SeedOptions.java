package dev.amend.cli;

import picocli.CommandLine.Option;

/** {@code --seed}: the one seed from which a command draws all its randomness. */
public final class SeedOptions {
    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
            description = "Random seed for initialisation, shuffling and sampling (default: ${DEFAULT-VALUE}).")
    long seed;

    public long seed() {
        return seed;
    }
}
