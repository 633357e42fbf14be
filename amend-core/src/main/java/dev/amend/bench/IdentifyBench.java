package dev.amend.bench;

import dev.amend.AmendException;
import dev.amend.identify.CauseIdentifier;
import dev.amend.identify.IdentificationMetrics;
import dev.amend.identify.IdentificationProblem;
import dev.amend.identify.Identifiers;
import dev.amend.identify.Ranking;
import dev.amend.identify.SgdInfluence;
import dev.amend.run.AuxiliarySgd;
import dev.amend.run.IdentifyRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Times the identification methods on one trained run, as [T22] Table 1 does (docs/methods.md 4.3):
 * wall-clock seconds from theta* and F_q to the ranking (Fisher, fine-tuning or solve, and
 * scoring). Each method runs once untimed (libtorch creates its kernels for new shapes then)
 * and then a number of timed repeats; the median is reported. SGD-influence times its backward
 * pass only; its auxiliary plain-SGD model is trained once beforehand and its training time is
 * reported apart. Each ranking is checked against the ground truth (corrupted examples among the
 * top 100, ROC-AUC), so a fast setting that ranks no better than chance shows as such. Peak
 * memory is the process's resident high-water mark (VmHWM), reset before each method where the
 * kernel allows it.
 */
public final class IdentifyBench {
    /** [T22] Table 1, label noise on MNIST, one K80 GPU (App. B.2), seconds. */
    public static final Map<String, Double> PAPER_K80_SECONDS = Map.of(Identifiers.EWC_INFLUENCE, 9.8,
            Identifiers.INFLUENCE_LISSA, 16.4, Identifiers.INFLUENCE_CG, 11.2, Identifiers.SGD_INFLUENCE, 185.1);
    /** The project's targets on a 2-core CPU (EWC-influence at most 3 s, CG and LiSSA at most 10 s, SGD-influence under 60 s). */
    public static final Map<String, Double> TARGET_SECONDS = Map.of(Identifiers.EWC_INFLUENCE, 3.0,
            Identifiers.INFLUENCE_LISSA, 10.0, Identifiers.INFLUENCE_CG, 10.0, Identifiers.SGD_INFLUENCE, 60.0);
    /** The k at which the rankings are checked. */
    public static final int CHECK_K = 100;

    private IdentifyBench() {
    }

    /**
     * The source with its model exported to TorchScript and reopened through the generic path
     * ({@link dev.amend.model.ScriptedModel}): the same function, differentiated by libtorch's
     * autograd instead of amend's layers, so the two paths can be timed on one network.
     */
    public static IdentifyRun.Source generic(IdentifyRun.Source built) {
        Path file = null;
        try {
            file = Files.createTempFile("amend-generic-", ".pt");
            built.model().exportTorchScript(file);
            return built.withModel(dev.amend.model.ScriptedModel.open(file, built.train()));
        } catch (IOException e) {
            throw new AmendException("cannot write a temporary TorchScript file: " + e.getMessage(), e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    // a temporary file left behind is harmless
                }
            }
        }
    }

    /** Hears what the bench is doing. */
    public interface Listener {
        /** A step starts or a repeat finished. */
        void stage(String message);
    }

    /**
     * One method's timings.
     *
     * @param method the method
     * @param settings its resolved settings
     * @param warmupSeconds the untimed first run
     * @param seconds the timed repeats
     * @param median their median
     * @param paperSeconds [T22] Table 1 (K80 GPU), or null
     * @param targetSeconds the project's target, or null
     * @param noisyInTopK corrupted examples among the {@value #CHECK_K} most harmful (last repeat)
     * @param expectedRandom the same for a random ranking, {@value #CHECK_K} M / N
     * @param rocAuc ROC-AUC of the last repeat
     * @param peakRssBytes resident high-water mark, or null if unknown
     * @param peakOfMethod whether {@code peakRssBytes} covers this method alone (else the whole process so far)
     * @param phases a breakdown of the last repeat where the method gives one (EWC-influence)
     * @param auxiliarySeconds for SGD-influence: the auxiliary SGD model's training, not in the timings
     */
    public record Timing(String method, Map<String, Object> settings, double warmupSeconds, List<Double> seconds,
            double median, Double paperSeconds, Double targetSeconds, int noisyInTopK, double expectedRandom,
            double rocAuc, Long peakRssBytes, boolean peakOfMethod, Map<String, Object> phases,
            Double auxiliarySeconds) {

        /** Whether the median meets the target (null without one). SGD-influence must stay below it. */
        public Boolean met() {
            if (targetSeconds == null) {
                return null;
            }
            return method.equals(Identifiers.SGD_INFLUENCE) ? median < targetSeconds : median <= targetSeconds;
        }
    }

    /**
     * Times each method on {@code source} for its F_q.
     *
     * @param methods method names
     * @param options method settings, each applied to the methods that use it
     * @param repeats timed repeats per method (after one untimed run)
     * @param seed seeds the identification (F_q split, fine-tuning, LiSSA sampling)
     */
    public static List<Timing> run(IdentifyRun.Source source, List<String> methods, Identifiers.Options options,
            int repeats, long seed, Listener listener) {
        if (repeats < 1) {
            throw new AmendException("the bench's repeats must be at least 1, got " + repeats);
        }
        if (source.corruption() == null) {
            throw new AmendException("the bench checks each ranking against the ground truth; it needs a training run");
        }
        List<String> names = methods.stream().map(Identifiers::canonical).toList();
        for (String m : names) {
            Identifiers.create(m, options, seed);
        }
        List<Timing> timings = new ArrayList<>();
        for (String method : names) {
            timings.add(time(source, method, options, repeats, seed, listener));
        }
        return timings;
    }

    private static Timing time(IdentifyRun.Source source, String method, Identifiers.Options options, int repeats,
            long seed, Listener listener) {
        AuxiliarySgd.Trained auxiliary = null;
        try {
            if (Identifiers.needsTrajectory(method) && source.trajectory() == null) {
                SgdInfluence.AuxiliaryStart start = AuxiliarySgd.start(options);
                listener.stage(method + ": training the auxiliary plain-SGD model (" + AuxiliarySgd.describe(start) + ")");
                auxiliary = AuxiliarySgd.train(start, source.model(), source.initSeed(), source.train(),
                        source.trainSeed(), (r, max) -> { });
            }
            IdentificationProblem problem = auxiliary == null
                    ? IdentificationProblem.of(source.model(), source.train(), source.query(), source.noisy(),
                            source.trajectory(), seed)
                    : IdentificationProblem.of(auxiliary.model(), source.train(), source.query(), source.noisy(),
                            auxiliary.trajectory(), seed);
            boolean peakOfMethod = resetPeakMemory();
            double warmup = 0;
            List<Double> seconds = new ArrayList<>();
            Ranking ranking = null;
            CauseIdentifier identifier = null;
            for (int r = 0; r <= repeats; r++) {
                identifier = Identifiers.create(method, options, seed);
                problem.model().forgetCached(); // every repeat pays for its Fisher pass
                long start = System.nanoTime();
                ranking = identifier.identify(problem);
                double s = (System.nanoTime() - start) / 1e9;
                if (r == 0) {
                    warmup = s;
                    listener.stage(String.format(java.util.Locale.ROOT, "%s: warm-up %.2f s", method, s));
                } else {
                    seconds.add(s);
                    listener.stage(String.format(java.util.Locale.ROOT, "%s: repeat %d/%d %.2f s", method, r, repeats,
                            s));
                }
            }
            Long peak = peakMemoryBytes();
            IdentificationMetrics metrics = new IdentificationMetrics(ranking, source.noisy());
            int k = Math.min(CHECK_K, ranking.size());
            Map<String, Object> phases = ranking.facts();
            return new Timing(method, identifier.settings(), warmup, List.copyOf(seconds), median(seconds),
                    PAPER_K80_SECONDS.get(method), TARGET_SECONDS.get(method), metrics.noisyInTopK(k),
                    (double) k * metrics.noisyCount() / metrics.size(), metrics.rocAuc(), peak, peakOfMethod, phases,
                    auxiliary == null ? null : auxiliary.seconds());
        } finally {
            if (auxiliary != null) {
                auxiliary.close();
            }
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** The process's peak resident memory (VmHWM), or null where /proc does not say. */
    public static Long peakMemoryBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    // Linux resets VmHWM to the current RSS when "5" is written to clear_refs; elsewhere the peak stays process-wide.
    private static boolean resetPeakMemory() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The 1-minute load average, or null where /proc does not say: above the core count, timings are slowed by other jobs. */
    public static Double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
