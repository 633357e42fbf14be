package dev.amend.run;

import dev.amend.run.format.RepairMetrics;
import java.util.HashMap;
import java.util.Map;

/**
 * Identifications and repairs already computed in this process, for experiments that ask for the
 * same one more than once: in {@code amend experiment paper}, Fig. 6 at |F_q| = all repeats Fig.
 * 3's top-100 removals, and Fig. 5 and Fig. 9 share Fig. 3's EWC-influence ranking and their
 * fine-tuning reference (docs/results.md, "Work done once"). Each result depends only on what
 * its key names (every computation is seeded and the thread count is fixed for the process), so
 * a remembered result is the one a second computation would give; a repair's seconds are those
 * of the computation that made it.
 *
 * <p>A {@link Repair} consults a memo only when it is given one with the identity of its base
 * run ({@link Repair#withMemo}); the key adds the repair's seed, F_q, F_h, the acceptance
 * settings, the method or treatment with all their settings, the cause set and the ranking it
 * came from. Not thread-safe: one experiment uses it at a time.
 */
public final class RepairMemo {
    private final Map<String, Repair.Identified> identifications = new HashMap<>();
    private final Map<String, RepairMetrics> repairs = new HashMap<>();
    private int identificationHits;
    private int repairHits;

    /** The known identification under {@code key}, or null; counts a hit. */
    Repair.Identified identification(String key) {
        Repair.Identified known = identifications.get(key);
        if (known != null) {
            identificationHits++;
        }
        return known;
    }

    void putIdentification(String key, Repair.Identified identified) {
        identifications.put(key, identified);
    }

    /** The known repair under {@code key}, or null; counts a hit. */
    RepairMetrics repair(String key) {
        RepairMetrics known = repairs.get(key);
        if (known != null) {
            repairHits++;
        }
        return known;
    }

    void putRepair(String key, RepairMetrics metrics) {
        repairs.put(key, metrics);
    }

    /** How many identifications were answered from memory. */
    public int identificationHits() {
        return identificationHits;
    }

    /** How many repairs were answered from memory. */
    public int repairHits() {
        return repairHits;
    }
}
