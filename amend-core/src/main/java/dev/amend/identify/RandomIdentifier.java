package dev.amend.identify;

import dev.amend.data.Splits;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Baseline (docs/methods.md 2(d)): a seeded uniform random order; score = -rank. Expected
 * frac(k) = M/N. The order comes from the identifier's own seed when it has one (so that
 * several draws on the same problem differ), else from the problem's.
 */
public final class RandomIdentifier implements CauseIdentifier {
    private final OptionalLong seed;

    /** Orders by the problem's seed. */
    public RandomIdentifier() {
        this.seed = OptionalLong.empty();
    }

    /** Orders by {@code seed}. */
    public RandomIdentifier(long seed) {
        this.seed = OptionalLong.of(seed);
    }

    @Override
    public String name() {
        return "random";
    }

    @Override
    public Map<String, Object> settings() {
        return seed.isPresent() ? Map.of("seed", seed.getAsLong()) : Map.of();
    }

    @Override
    public Ranking identify(IdentificationProblem p) {
        int n = p.train().size();
        int[] perm = Splits.permutation(n, seed.orElse(p.seed()));
        double[] scores = new double[n];
        for (int r = 0; r < n; r++) {
            scores[perm[r]] = -r;
        }
        return new Ranking(name(), scores);
    }
}
