package dev.amend.identify;

import dev.amend.data.Splits;
import java.util.Map;

/** Baseline (docs/methods.md 2(d)): a seeded uniform random order; score = -rank. Expected frac(k) = M/N. */
public final class RandomIdentifier implements CauseIdentifier {
    @Override
    public String name() {
        return "random";
    }

    @Override
    public Map<String, Object> settings() {
        return Map.of();
    }

    @Override
    public Ranking identify(IdentificationProblem p) {
        int n = p.train().size();
        int[] perm = Splits.permutation(n, p.seed());
        double[] scores = new double[n];
        for (int r = 0; r < n; r++) {
            scores[perm[r]] = -r;
        }
        return new Ranking(name(), scores);
    }
}
