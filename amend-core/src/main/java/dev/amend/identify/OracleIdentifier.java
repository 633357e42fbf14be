package dev.amend.identify;

import dev.amend.AmendException;
import dev.amend.data.Splits;
import java.util.Map;

/**
 * Identification reference (docs/methods.md 2(d), Fig. 2c): every corrupted example first, then the
 * rest, each group in seeded random order; frac(k) = min(k, M)/k. Needs the ground-truth mask.
 */
public final class OracleIdentifier implements CauseIdentifier {
    @Override
    public String name() {
        return "oracle";
    }

    @Override
    public Map<String, Object> settings() {
        return Map.of();
    }

    @Override
    public Ranking identify(IdentificationProblem p) {
        if (p.noisy() == null) {
            throw new AmendException("the oracle needs the ground-truth corruption mask, which this run does not have");
        }
        int n = p.train().size();
        int[] perm = Splits.permutation(n, p.seed());
        double[] scores = new double[n];
        int r = 0;
        for (boolean wantNoisy : new boolean[] {true, false}) {
            for (int i : perm) {
                if (p.noisy()[i] == wantNoisy) {
                    scores[i] = -(r++);
                }
            }
        }
        return new Ranking(name(), scores);
    }
}
