package dev.amend.experiment.paper;

import dev.amend.AmendException;
import dev.amend.bench.IdentifyBench;
import dev.amend.experiment.TreatExperiment;
import dev.amend.identify.Identifiers;
import dev.amend.model.ModelSpec.Precision;
import dev.amend.provenance.Provenance;
import dev.amend.provenance.RunFiles;
import dev.amend.report.Table;
import dev.amend.run.IdentifyRun;
import dev.amend.run.RepairMemo;
import dev.amend.run.TrainRun;
import dev.amend.run.TrainRunResult;
import dev.amend.run.format.RunDirectory;
import dev.amend.run.format.TrainRunSpec;
import dev.amend.train.TrainConfig;
import dev.amend.treat.TreatmentFactory;
import dev.amend.util.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * {@code amend experiment paper}: every experiment of [T22] Section 4 and Appendix B in one run
 * (docs/results.md), in parts that are each written in one piece into their own subfolder when
 * they finish ({@link PartStore}), so that a rerun after an interruption resumes from the parts
 * already finished. The base runs (the paper's protocol, one per seed and scenario) are parts
 * too, under {@code base/}, and are shared by every experiment on that scenario, so each base
 * model is trained once. The parts:
 * <ul>
 *   <li>{@value #FIG2}: label noise, every identification method on every base run: fraction of
 *       flipped labels among the top k, ROC-AUC, seconds (Fig. 2(c)); the 16 most harmful (Fig.
 *       2(d)) and least harmful (Fig. 7) by EWC-influence, as CSV and PNG.</li>
 *   <li>{@value #FIG3}: remove the top k and fine-tune on D\C (Fig. 3), {@link TreatExperiment}.</li>
 *   <li>{@value #FIG4}: random input noise on the target classes, F_q from the failures of those
 *       classes: noisy images among each method's top k (Fig. 4, second row); the 16 most
 *       harmful by EWC-influence (Fig. 8), as CSV and PNG.</li>
 *   <li>{@value #FIG4_TREAT}: the same base runs, remove the top k and fine-tune (Fig. 4, third
 *       and fourth rows), with the removal of every noisy image as the reference.</li>
 *   <li>{@value #FIG5}: EWC-deletion and Newton removal over gamma (Fig. 5).</li>
 *   <li>{@value #FIG6}: identification and repair against |F_q| (Fig. 6), {@link SampleEfficiency}.</li>
 *   <li>{@value #FIG9}: fine-tuning on F_q against fine-tuning on D\C (Fig. 9).</li>
 *   <li>{@value #TABLE1}: identification seconds of each method on the first base run of each
 *       scenario beside the paper's K80 seconds (Table 1), {@link IdentifyBench}.</li>
 * </ul>
 * At the end summary.json and summary.md give each part's time and headline numbers.
 */
public final class PaperExperiment {
    public static final String FIG2 = "fig2-identify";
    public static final String FIG3 = "fig3-treat-k";
    public static final String FIG4 = "fig4-input-noise";
    public static final String FIG4_TREAT = "fig4-treat-k";
    public static final String FIG5 = "fig5-tradeoff";
    public static final String FIG6 = "fig6-sample-efficiency";
    public static final String FIG9 = "fig9-finetune";
    public static final String TABLE1 = "table1-time";
    /** Every part, in the order they run. */
    public static final List<String> PARTS = List.of(FIG2, FIG3, FIG4, FIG4_TREAT, FIG5, FIG6, FIG9, TABLE1);
    public static final String SUMMARY_JSON = "summary.json";
    public static final String SUMMARY_MD = "summary.md";
    public static final String BASE = "base";
    /** The scenario names of the base-run folders. */
    public static final String LABEL_NOISE = "label-noise";
    public static final String INPUT_NOISE = "input-noise";
    /** Fig. 7 and 8 as data. */
    public static final String FIG7_CSV = "fig7-least-harmful.csv";
    public static final String FIG8_CSV = "fig8-most-harmful.csv";
    /** [T22] Table 1, random input noise on MNIST, one K80 GPU, seconds (label noise: {@link IdentifyBench#PAPER_K80_SECONDS}). */
    public static final Map<String, Double> PAPER_K80_INPUT_NOISE = Map.of(Identifiers.EWC_INFLUENCE, 11.0,
            Identifiers.INFLUENCE_LISSA, 10.8, Identifiers.INFLUENCE_CG, 15.7, Identifiers.SGD_INFLUENCE, 188.2);

    private PaperExperiment() {
    }

    /**
     * What the run is given; each part's spec.json holds the fields it depends on.
     *
     * @param data the data spec
     * @param poolSize for mnist: the training pool drawn per seed
     * @param firstSeed the seed of the first base run; run r has seed firstSeed + r for everything, data draw included
     * @param seeds base runs per scenario
     * @param model the architecture and its options
     * @param labelNoise the scenario of Fig. 2, 3, 5, 6, 7, 9
     * @param inputNoise the scenario of Fig. 4 and 8
     * @param epochs a cap on the epochs of every training (base models and treatments)
     * @param threads libtorch threads (one and two threads give slightly different models)
     * @param parts the parts to run, of {@link #PARTS}
     * @param identifyMethods Fig. 2 and 4 (identification)
     * @param methodOptions settings of the identification methods, everywhere
     * @param kMax the largest k of the identification curves
     * @param ks Fig. 3: the numbers of removed examples
     * @param treatMethods Fig. 3 and Fig. 4's removals: the identification methods
     * @param randomDraws Fig. 3 and 4: random removals per base run and k
     * @param inputNoiseKs Fig. 4: the numbers of removed examples
     * @param gammas Fig. 5
     * @param mus Fig. 9
     * @param fraction Fig. 5 and 9: the share of D removed
     * @param querySizes Fig. 6: |F_q| (0: all)
     * @param sampleMethods Fig. 6: the identification methods
     * @param sampleK Fig. 6: the examples removed
     * @param benchMethods Table 1: the methods timed
     * @param benchRepeats Table 1: timed repeats per method
     * @param startCandidate whether theta* competes in the early stopping of the treatments
     *     ({@link TreatmentFactory#DEFAULT_START_CANDIDATE} unless a user asks)
     * @param quick whether the grids are the reduced ones of {@link #quick}
     */
    public record Spec(String data, int poolSize, long firstSeed, int seeds, String model,
            Map<String, String> modelOptions, String labelNoise, String inputNoise, int epochs, int threads,
            List<String> parts, List<String> identifyMethods, Identifiers.Options methodOptions, int kMax,
            List<Integer> ks, List<String> treatMethods, int randomDraws, List<Integer> inputNoiseKs,
            List<Double> gammas, List<Double> mus, double fraction, List<Integer> querySizes,
            List<String> sampleMethods, int sampleK, List<String> benchMethods, int benchRepeats,
            boolean startCandidate, boolean quick) {

        public Spec {
            Objects.requireNonNull(data, "data");
            modelOptions = modelOptions == null ? Map.of() : Map.copyOf(modelOptions);
            Objects.requireNonNull(methodOptions, "methodOptions");
            if (seeds < 1) {
                throw new AmendException("--seeds must be at least 1, got " + seeds);
            }
            if (epochs < 1) {
                throw new AmendException("--epochs must be at least 1, got " + epochs);
            }
            if (parts == null || parts.isEmpty()) {
                throw new AmendException("name at least one part of: " + String.join(", ", PARTS));
            }
            for (String p : parts) {
                if (!PARTS.contains(p)) {
                    throw new AmendException("unknown part '" + p + "'; valid: " + String.join(", ", PARTS));
                }
            }
            // In the order they run, whatever order they were given in.
            parts = PARTS.stream().filter(parts::contains).toList();
            identifyMethods = canonical(identifyMethods);
            treatMethods = canonical(treatMethods);
            sampleMethods = canonical(sampleMethods);
            benchMethods = canonical(benchMethods);
            if (sampleMethods.contains(Identifiers.SGD_INFLUENCE) || treatMethods.contains(Identifiers.SGD_INFLUENCE)) {
                throw new AmendException("sgd-influence is compared in Fig. 2, 4 and Table 1 only (it needs an auxiliary"
                        + " SGD model per ranking)");
            }
            if (kMax < 1 || sampleK < 1 || benchRepeats < 1 || randomDraws < 1) {
                throw new AmendException("k-max, the Fig. 6 k, the Table 1 repeats and the random draws must each be at"
                        + " least 1");
            }
            ks = List.copyOf(ks);
            inputNoiseKs = List.copyOf(inputNoiseKs);
            gammas = List.copyOf(gammas);
            mus = List.copyOf(mus);
            querySizes = List.copyOf(querySizes);
            for (String m : identifyMethods) {
                Identifiers.create(m, methodOptions, 0);
            }
        }

        private static List<String> canonical(List<String> methods) {
            if (methods == null || methods.isEmpty()) {
                throw new AmendException("every method list of the paper run needs at least one method");
            }
            List<String> out = new ArrayList<>();
            for (String m : methods) {
                String name = Identifiers.canonical(m);
                if (out.contains(name)) {
                    throw new AmendException("method " + name + " is listed twice");
                }
                out.add(name);
            }
            return List.copyOf(out);
        }

        /** The base run of repetition {@code r} (0-based) on {@code scenario}: the protocol of the experiment commands. */
        public TrainRunSpec baseSpec(String scenario, int r) {
            long seed = firstSeed + r;
            return new TrainRunSpec(data, poolSize, seed, scenario, model, modelOptions, seed, 0.1, 0, Precision.FLOAT32,
                    TrainConfig.baseDefaults(seed).withMaxEpochs(epochs), false);
        }

        /** The scenario spec of a base-run kind ({@value #LABEL_NOISE} or {@value #INPUT_NOISE}). */
        String scenario(String kind) {
            return kind.equals(LABEL_NOISE) ? labelNoise : inputNoise;
        }

        /** This spec with another number of seeds. */
        public Spec withSeeds(int count) {
            return new Spec(data, poolSize, firstSeed, count, model, modelOptions, labelNoise, inputNoise, epochs,
                    threads, parts, identifyMethods, methodOptions, kMax, ks, treatMethods, randomDraws, inputNoiseKs,
                    gammas, mus, fraction, querySizes, sampleMethods, sampleK, benchMethods, benchRepeats,
                    startCandidate, quick);
        }

        /** This spec with other parts. */
        public Spec withParts(List<String> chosen) {
            return new Spec(data, poolSize, firstSeed, seeds, model, modelOptions, labelNoise, inputNoise, epochs,
                    threads, chosen, identifyMethods, methodOptions, kMax, ks, treatMethods, randomDraws, inputNoiseKs,
                    gammas, mus, fraction, querySizes, sampleMethods, sampleK, benchMethods, benchRepeats,
                    startCandidate, quick);
        }
    }

    /**
     * The paper's grids: every method of Fig. 2 and Table 1, k up to 1,000, Fig. 3's k grid and
     * Fig. 5's gamma decades, query sizes 5 to all, three timed repeats. Linear influence gets
     * {@code methodOptions} (the CLI passes the budgets of {@code amend bench identify}).
     */
    public static Spec full(String data, int poolSize, long firstSeed, int seeds, int epochs, int threads,
            Identifiers.Options methodOptions) {
        return new Spec(data, poolSize, firstSeed, seeds, "paper-cnn", Map.of(), "label-flip", "input-noise", epochs,
                threads, PARTS, List.of(Identifiers.EWC_INFLUENCE, Identifiers.INFLUENCE_CG, Identifiers.INFLUENCE_LISSA,
                        Identifiers.SGD_INFLUENCE, Identifiers.RANDOM, Identifiers.ORACLE), methodOptions, 1000,
                TreatExperiment.DEFAULT_KS, List.of(Identifiers.EWC_INFLUENCE, Identifiers.INFLUENCE_CG,
                        Identifiers.RANDOM), TreatExperiment.DEFAULT_RANDOM_DRAWS, List.of(100, 400, 1000),
                TreatExperiment.DEFAULT_GAMMAS, TreatExperiment.DEFAULT_MUS, TreatExperiment.DEFAULT_FRACTION,
                SampleEfficiency.DEFAULT_SIZES, List.of(Identifiers.EWC_INFLUENCE, Identifiers.INFLUENCE_CG,
                        Identifiers.RANDOM), SampleEfficiency.DEFAULT_K,
                List.of(Identifiers.EWC_INFLUENCE, Identifiers.INFLUENCE_CG, Identifiers.INFLUENCE_LISSA,
                        Identifiers.SGD_INFLUENCE, Identifiers.RANDOM, Identifiers.ORACLE), 3,
                TreatmentFactory.DEFAULT_START_CANDIDATE, false);
    }

    /**
     * Reduced grids that keep every figure and method: k = 50, 100, 200 with one random draw, the
     * top 1,000 for Fig. 4, three gammas and two mus, query sizes 10, 50 and all for
     * EWC-influence, one timed repeat. Five MNIST seeds took 33 minutes on the idle 2-core
     * machine (docs/benchmarks.md).
     */
    public static Spec quick(String data, int poolSize, long firstSeed, int seeds, int epochs, int threads,
            Identifiers.Options methodOptions) {
        return new Spec(data, poolSize, firstSeed, seeds, "paper-cnn", Map.of(), "label-flip", "input-noise", epochs,
                threads, PARTS, List.of(Identifiers.EWC_INFLUENCE, Identifiers.INFLUENCE_CG, Identifiers.INFLUENCE_LISSA,
                        Identifiers.SGD_INFLUENCE, Identifiers.RANDOM, Identifiers.ORACLE), methodOptions, 1000,
                List.of(50, 100, 200),
                List.of(Identifiers.EWC_INFLUENCE, Identifiers.RANDOM), 1, List.of(1000), List.of(0.01, 0.1, 1.0),
                List.of(0.01, 1.0), TreatExperiment.DEFAULT_FRACTION, List.of(10, 50, 0),
                List.of(Identifiers.EWC_INFLUENCE), SampleEfficiency.DEFAULT_K,
                List.of(Identifiers.EWC_INFLUENCE, Identifiers.INFLUENCE_CG, Identifiers.INFLUENCE_LISSA,
                        Identifiers.SGD_INFLUENCE, Identifiers.RANDOM, Identifiers.ORACLE), 1,
                TreatmentFactory.DEFAULT_START_CANDIDATE, true);
    }

    /**
     * A part's spec.json: the part, the threads, and what it depends on (its base runs' specs
     * among them, so that a changed protocol makes every dependent part differ).
     */
    public record PartSpec(String part, int threads, Map<String, Object> settings) {
    }

    /**
     * One part in the summary.
     *
     * @param status "ran" (in this invocation) or "finished earlier"
     */
    public record PartOutcome(String part, String status, double seconds, Map<String, Object> headline) {
    }

    /**
     * summary.json.
     *
     * @param seconds this invocation's wall-clock seconds
     * @param partSeconds the sum of every part's own seconds, earlier invocations' included (the
     *     time of the whole experiment run straight through, up to the summary)
     */
    public record Summary(Spec spec, List<PartOutcome> parts, List<PartOutcome> bases, double seconds,
            double partSeconds, Double loadAverageStart, Double loadAverageEnd, String finished,
            Reused reused) {
    }

    /**
     * What parts of this invocation took from earlier parts instead of computing again
     * ({@link RepairMemo}).
     */
    public record Reused(int identifications, int repairs) {
    }

    /**
     * Runs the parts of {@code spec} that are not finished in {@code folder}, then writes the
     * summary. Every finished part is checked against its spec before anything runs.
     *
     * @param force replace finished parts whose spec differs instead of refusing
     */
    public static Summary run(Spec spec, Path folder, boolean force, Provenance provenance,
            TrainRun.Listener listener) {
        long start = System.nanoTime();
        Double loadStart = IdentifyBench.loadAverage();
        // Every check before any work: a changed spec is refused at once, not after an hour.
        List<String> toRun = new ArrayList<>();
        for (String part : spec.parts()) {
            if (!PartStore.upToDate(folder.resolve(part), part, partSpec(spec, part), force)) {
                toRun.add(part);
            }
        }
        // The base runs the parts to run will use: a changed protocol is refused before any work too.
        for (String kind : List.of(LABEL_NOISE, INPUT_NOISE)) {
            boolean all = toRun.stream().anyMatch(p -> !p.equals(TABLE1) && needsBases(p).equals(kind));
            int count = all ? spec.seeds() : toRun.contains(TABLE1) ? 1 : 0;
            for (int r = 0; r < count; r++) {
                PartStore.upToDate(baseFolder(folder, spec, kind, r), baseName(spec, kind, r), baseSpec(spec, kind, r),
                        force);
            }
        }
        RunFiles.writeProvenance(folderCreated(folder), provenance);
        // Parts that ask for an identification or repair an earlier part of this invocation made
        // get it from memory (docs/results.md, "Work done once").
        RepairMemo memo = new RepairMemo();
        List<PartOutcome> outcomes = new ArrayList<>();
        List<PartOutcome> bases = new ArrayList<>();
        for (String part : spec.parts()) {
            Path partFolder = folder.resolve(part);
            if (!toRun.contains(part)) {
                listener.stage(part + ": finished earlier with the same spec, skipped");
                PartStore.PartRecord record = PartStore.read(partFolder);
                outcomes.add(new PartOutcome(part, "finished earlier", record.seconds(), record.headline()));
                continue;
            }
            List<Path> runs;
            if (part.equals(TABLE1)) {
                // Table 1 times the methods on the first base run of each scenario.
                Spec first = spec.withSeeds(1);
                runs = List.of(ensureBases(first, folder, LABEL_NOISE, force, provenance, listener, bases).get(0),
                        ensureBases(first, folder, INPUT_NOISE, force, provenance, listener, bases).get(0));
            } else {
                runs = ensureBases(spec, folder, needsBases(part), force, provenance, listener, bases);
            }
            listener.stage(part + ": running");
            long partStart = System.nanoTime();
            PartStore.PartRecord record = runPart(spec, part, partFolder, runs, provenance, listener, partStart, memo);
            outcomes.add(new PartOutcome(part, "ran", record.seconds(), record.headline()));
            listener.stage(String.format(Locale.ROOT, "%s: done in %.0f s", part, record.seconds()));
        }
        // Base runs finished earlier count too, so that the total is the time of the whole experiment.
        for (String kind : List.of(LABEL_NOISE, INPUT_NOISE)) {
            for (int r = 0; r < spec.seeds(); r++) {
                String name = baseName(spec, kind, r);
                Path f = baseFolder(folder, spec, kind, r);
                if (bases.stream().noneMatch(b -> b.part().equals(name)) && PartStore.isPart(f)) {
                    PartStore.PartRecord record = PartStore.read(f);
                    bases.add(new PartOutcome(name, "finished earlier", record.seconds(), record.headline()));
                }
            }
        }
        double partSeconds = outcomes.stream().mapToDouble(PartOutcome::seconds).sum()
                + bases.stream().mapToDouble(PartOutcome::seconds).sum();
        Summary summary = new Summary(spec, outcomes, bases, (System.nanoTime() - start) / 1e9, partSeconds, loadStart,
                IdentifyBench.loadAverage(), Instant.now().toString(),
                new Reused(memo.identificationHits(), memo.repairHits()));
        RunFiles.writeJson(folder.resolve(SUMMARY_JSON), summary);
        AtomicFiles.writeString(folder.resolve(SUMMARY_MD), markdown(summary, folder));
        return summary;
    }

    private static Path folderCreated(Path folder) {
        try {
            return Files.createDirectories(folder);
        } catch (java.io.IOException e) {
            throw new AmendException("cannot create " + folder + ": " + e.getMessage(), e);
        }
    }

    /** Which base runs a part needs (Table 1: the first of each). */
    static String needsBases(String part) {
        return switch (part) {
            case FIG4, FIG4_TREAT -> INPUT_NOISE;
            default -> LABEL_NOISE;
        };
    }

    static String baseName(Spec spec, String kind, int r) {
        return BASE + "/" + kind + "-seed-" + (spec.firstSeed() + r);
    }

    static Path baseFolder(Path folder, Spec spec, String kind, int r) {
        return folder.resolve(BASE).resolve(kind + "-seed-" + (spec.firstSeed() + r));
    }

    static PartSpec baseSpec(Spec spec, String kind, int r) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("run", spec.baseSpec(spec.scenario(kind), r));
        return new PartSpec(BASE, spec.threads(), settings);
    }

    /** The run folders of {@code kind}'s base runs, trained and written first where they are not finished. */
    static List<Path> ensureBases(Spec spec, Path folder, String kind, boolean force, Provenance provenance,
            TrainRun.Listener listener, List<PartOutcome> bases) {
        List<Path> runs = new ArrayList<>();
        for (int r = 0; r < spec.seeds(); r++) {
            Path f = baseFolder(folder, spec, kind, r);
            String name = baseName(spec, kind, r);
            PartSpec ps = baseSpec(spec, kind, r);
            if (!PartStore.upToDate(f, name, ps, force)) {
                listener.stage(name + ": training the base model (" + (r + 1) + " of " + spec.seeds() + ")");
                long start = System.nanoTime();
                try (TrainRunResult trained = TrainRun.run(spec.baseSpec(spec.scenario(kind), r), listener)) {
                    double seconds = (System.nanoTime() - start) / 1e9;
                    Map<String, Object> headline = new LinkedHashMap<>();
                    headline.put("test accuracy", round(trained.metrics().test().accuracy(), 4));
                    headline.put("|F|", trained.failures().failures().length);
                    headline.put("corrupted", trained.corruption().corruptedCount());
                    PartStore.PartRecord record = PartStore.write(f, name, ps, provenance, seconds, headline,
                            tmp -> RunDirectory.write(tmp.resolve("run"), trained, provenance));
                    bases.add(new PartOutcome(name, "ran", seconds, record.headline()));
                    listener.stage(String.format(Locale.ROOT, "%s: test accuracy %.4f, |F| %d, %.0f s", name,
                            trained.metrics().test().accuracy(), trained.failures().failures().length, seconds));
                }
            }
            runs.add(f.resolve("run").toAbsolutePath());
        }
        return runs;
    }

    /** The spec.json of {@code part}. */
    static PartSpec partSpec(Spec spec, String part) {
        Map<String, Object> s = new LinkedHashMap<>();
        String kind = needsBases(part);
        List<TrainRunSpec> bases = new ArrayList<>();
        for (int r = 0; r < spec.seeds(); r++) {
            bases.add(spec.baseSpec(spec.scenario(kind), r));
        }
        s.put("bases", bases);
        switch (part) {
            case FIG2, FIG4 -> {
                s.put("methods", spec.identifyMethods());
                s.put("method_options", spec.methodOptions());
                s.put("k_max", spec.kMax());
            }
            case FIG3, FIG4_TREAT -> {
                s.put("ks", part.equals(FIG3) ? spec.ks() : spec.inputNoiseKs());
                s.put("methods", spec.treatMethods());
                s.put("method_options", spec.methodOptions());
                s.put("random_draws", spec.randomDraws());
                s.put("start_candidate", spec.startCandidate());
            }
            case FIG5, FIG9 -> {
                s.put(part.equals(FIG5) ? "gammas" : "mus", part.equals(FIG5) ? spec.gammas() : spec.mus());
                s.put("fraction", spec.fraction());
                s.put("start_candidate", spec.startCandidate());
            }
            case FIG6 -> {
                s.put("query_sizes", spec.querySizes());
                s.put("methods", spec.sampleMethods());
                s.put("method_options", spec.methodOptions());
                s.put("k", spec.sampleK());
                s.put("start_candidate", spec.startCandidate());
            }
            case TABLE1 -> {
                // The first base run of each scenario; its other bases are not needed.
                s.put("bases", List.of(spec.baseSpec(spec.labelNoise(), 0), spec.baseSpec(spec.inputNoise(), 0)));
                s.put("methods", spec.benchMethods());
                s.put("method_options", spec.methodOptions());
                s.put("repeats", spec.benchRepeats());
            }
            default -> throw new IllegalArgumentException(part);
        }
        return new PartSpec(part, spec.threads(), s);
    }

    private static PartStore.PartRecord runPart(Spec spec, String part, Path partFolder, List<Path> runs,
            Provenance provenance, TrainRun.Listener listener, long start, RepairMemo memo) {
        PartSpec ps = partSpec(spec, part);
        switch (part) {
            case FIG2, FIG4 -> {
                boolean labels = part.equals(FIG2);
                RankingExperiment.Result result = RankingExperiment.run(labels ? spec.labelNoise() : spec.inputNoise(),
                        runs, spec.identifyMethods(), spec.methodOptions(), spec.kMax(), listener);
                RankingExperiment.Report report = result.report();
                Map<String, Object> headline = new LinkedHashMap<>();
                int top = indexOf(report.ks(), 100);
                for (RankingExperiment.Summary s : report.summary()) {
                    headline.put(s.method() + " ROC-AUC", s.rocAuc().format(3));
                    if (top >= 0) {
                        headline.put(s.method() + (labels ? " frac(100)" : " noisy in top 100"),
                                labels ? s.fraction()[top].format(3) : s.count()[top].format(1));
                    }
                }
                long seed = spec.firstSeed();
                return PartStore.write(partFolder, part, ps, provenance, seconds(start), headline, tmp -> {
                    RunFiles.writeJson(tmp.resolve("results.json"), report);
                    Files.writeString(tmp.resolve("table.md"), RankingExperiment.table(report, labels).toMarkdown());
                    RankingExperiment.plot(report, labels ? "Fig. 2(c): flipped labels among the top k"
                            : "Fig. 4: noisy images among the top k", labels)
                            .writePngAndSvg(tmp.resolve(labels ? "fig2c.png" : "fig4-noisy-in-top-k.png"));
                    if (result.firstEwc() != null) {
                        int[] most = RankingExperiment.most(result.firstEwc(), RankingExperiment.GRID_IMAGES);
                        if (labels) {
                            RankingExperiment.writeImages(tmp, "fig2d-most-harmful", result, most,
                                    "Most harmful by EWC-influence, label noise (seed " + seed + ")");
                            RankingExperiment.writeImages(tmp, "fig7-least-harmful", result,
                                    RankingExperiment.least(result.firstEwc(), RankingExperiment.GRID_IMAGES),
                                    "Fig. 7: least harmful by EWC-influence, label noise (seed " + seed + ")");
                        } else {
                            RankingExperiment.writeImages(tmp, "fig8-most-harmful", result, most,
                                    "Fig. 8: most harmful by EWC-influence, input noise (seed " + seed + ")");
                        }
                    }
                });
            }
            case FIG3, FIG4_TREAT, FIG5, FIG9 -> {
                TreatExperiment.Kind kind = part.equals(FIG5) ? TreatExperiment.Kind.TRADEOFF
                        : part.equals(FIG9) ? TreatExperiment.Kind.FINETUNE : TreatExperiment.Kind.TREAT_K;
                String scenario = part.equals(FIG4_TREAT) ? spec.inputNoise() : spec.labelNoise();
                TreatExperiment.Spec ts = new TreatExperiment.Spec(kind, spec.baseSpec(scenario, 0), spec.seeds(), true,
                        runs.stream().map(Path::toString).toList(), part.equals(FIG4_TREAT) ? spec.inputNoiseKs()
                        : spec.ks(), spec.treatMethods(), spec.methodOptions(), spec.gammas(), spec.mus(),
                        spec.fraction(), spec.epochs(), spec.randomDraws(), spec.startCandidate());
                TreatExperiment.Result result = TreatExperiment.run(ts, listener, memo);
                Map<String, Object> headline = treatHeadline(result);
                return PartStore.write(partFolder, part, ps, provenance, seconds(start), headline, tmp -> {
                    RunFiles.writeJson(tmp.resolve("results.json"), result);
                    Files.writeString(tmp.resolve("table.md"), TreatExperiment.table(result).toMarkdown()
                            + (result.paired().isEmpty() ? "" : "\nPaired with random removal (same base run, mean of"
                                    + " its draws):\n\n" + TreatExperiment.pairedTable(result).toMarkdown()));
                    TreatExperiment.plot(result, tmp);
                });
            }
            case FIG6 -> {
                SampleEfficiency.Report report = SampleEfficiency.run(runs, spec.sampleMethods(), spec.methodOptions(),
                        spec.querySizes(), spec.sampleK(), spec.epochs(), spec.startCandidate(), listener, memo);
                Map<String, Object> headline = new LinkedHashMap<>();
                for (SampleEfficiency.Summary s : report.summary()) {
                    String q = s.size() == 0 ? "all" : Integer.toString(s.size());
                    headline.put(s.method() + " |F_q| " + q, "ROC-AUC " + s.rocAuc().format(3) + ", F_h "
                            + s.fh().format(3) + ", T change " + s.testChange().format(4));
                }
                return PartStore.write(partFolder, part, ps, provenance, seconds(start), headline, tmp -> {
                    RunFiles.writeJson(tmp.resolve("results.json"), report);
                    Files.writeString(tmp.resolve("table.md"), SampleEfficiency.table(report).toMarkdown());
                    for (var e : SampleEfficiency.plots(report).entrySet()) {
                        e.getValue().writePngAndSvg(tmp.resolve(e.getKey()));
                    }
                });
            }
            case TABLE1 -> {
                return table1(spec, partFolder, ps, runs, provenance, listener, start);
            }
            default -> throw new IllegalArgumentException(part);
        }
    }

    /**
     * One row of Table 1.
     *
     * @param timing the measurement, or null if the method failed
     * @param error the failure's message, or null
     */
    public record Timing(String scenario, String method, IdentifyBench.Timing timing, Double paperK80Seconds,
            String error) {
    }

    /** table1-time's results.json. */
    public record TimeReport(int repeats, int threads, List<Timing> timings, Double loadAverageStart,
            Double loadAverageEnd) {
    }

    private static PartStore.PartRecord table1(Spec spec, Path partFolder, PartSpec ps, List<Path> runs,
            Provenance provenance, TrainRun.Listener listener, long start) {
        Double loadStart = IdentifyBench.loadAverage();
        List<Timing> timings = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            String kind = i == 0 ? LABEL_NOISE : INPUT_NOISE;
            Path run = runs.get(i);
            try (IdentifyRun.Source source = IdentifyRun.Source.load(run)) {
                for (String method : spec.benchMethods()) {
                    Double paper = kind.equals(LABEL_NOISE) ? IdentifyBench.PAPER_K80_SECONDS.get(method)
                            : PAPER_K80_INPUT_NOISE.get(method);
                    try {
                        // One method at a time, so that one failing (LiSSA diverging, say) leaves the others' rows.
                        IdentifyBench.Timing t = IdentifyBench.run(source, List.of(method), spec.methodOptions(),
                                spec.benchRepeats(), spec.firstSeed(), listener::stage).get(0);
                        timings.add(new Timing(kind, method, t, paper, null));
                    } catch (AmendException e) {
                        listener.stage("table 1, " + kind + ": " + method + " failed: " + e.getMessage());
                        timings.add(new Timing(kind, method, null, paper, e.getMessage()));
                    }
                }
            }
        }
        TimeReport report = new TimeReport(spec.benchRepeats(), spec.threads(), timings, loadStart,
                IdentifyBench.loadAverage());
        Map<String, Object> headline = new LinkedHashMap<>();
        for (Timing t : timings) {
            headline.put(t.scenario() + " " + t.method() + " s", t.timing() == null ? "failed"
                    : round(t.timing().median(), 2));
        }
        return PartStore.write(partFolder, TABLE1, ps, provenance, seconds(start), headline, tmp -> {
            RunFiles.writeJson(tmp.resolve("results.json"), report);
            Files.writeString(tmp.resolve("table.md"), timeTable(report).toMarkdown());
        });
    }

    /** Table 1 as amend measured it, beside the paper's K80 seconds. */
    public static Table timeTable(TimeReport report) {
        Table t = new Table("scenario", "method", "median s", "min s", "max s", "repeats", "paper K80 s",
                "top-100 corrupted", "ROC-AUC", "note");
        for (Timing timing : report.timings()) {
            IdentifyBench.Timing x = timing.timing();
            if (x == null) {
                t.addRow(timing.scenario(), timing.method(), "-", "-", "-", 0, timing.paperK80Seconds() == null ? "-"
                        : String.format(Locale.ROOT, "%.1f", timing.paperK80Seconds()), "-", "-",
                        "failed: " + timing.error());
                continue;
            }
            t.addRow(timing.scenario(), x.method(), String.format(Locale.ROOT, "%.2f", x.median()),
                    String.format(Locale.ROOT, "%.2f", x.seconds().stream().mapToDouble(Double::doubleValue).min()
                            .orElse(Double.NaN)),
                    String.format(Locale.ROOT, "%.2f", x.seconds().stream().mapToDouble(Double::doubleValue).max()
                            .orElse(Double.NaN)), x.seconds().size(),
                    timing.paperK80Seconds() == null ? "-" : String.format(Locale.ROOT, "%.1f", timing.paperK80Seconds()),
                    String.format(Locale.ROOT, "%d (random %.0f)", x.noisyInTopK(), x.expectedRandom()),
                    String.format(Locale.ROOT, "%.3f", x.rocAuc()),
                    x.auxiliarySeconds() == null ? ""
                            : String.format(Locale.ROOT, "+ %.1f s auxiliary SGD model", x.auxiliarySeconds()));
        }
        return t;
    }

    private static Map<String, Object> treatHeadline(TreatExperiment.Result result) {
        Map<String, Object> headline = new LinkedHashMap<>();
        for (TreatExperiment.Summary s : result.summary()) {
            if (s.series().equals(TreatExperiment.BEFORE)) {
                continue;
            }
            String key = s.series() + (s.parameter() == null ? "" : " " + trim(s.parameter()));
            headline.put(key, String.format(Locale.ROOT, "F_h %.3f, T\\F %.3f, T change %+.4f", s.fh().mean(),
                    s.remaining().mean(), s.testChange().mean()));
        }
        return headline;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static int indexOf(int[] values, int v) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == v) {
                return i;
            }
        }
        return -1;
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static double round(double v, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }

    /** summary.md: the run, a table of the parts, then every part's table. */
    static String markdown(Summary summary, Path folder) {
        Spec spec = summary.spec();
        StringBuilder md = new StringBuilder("# amend experiment paper\n\n");
        md.append(String.format(Locale.ROOT, "data %s, %d seed%s from %d, %s, %d thread%s%s. This invocation: %.0f s;"
                + " all parts and base runs: %.0f s. Load average %s at start, %s at end.%n%n", spec.data(),
                spec.seeds(), spec.seeds() == 1 ? "" : "s", spec.firstSeed(), spec.model(), spec.threads(),
                spec.threads() == 1 ? "" : "s", spec.quick() ? ", quick grids" : "", summary.seconds(),
                summary.partSeconds(), load(summary.loadAverageStart()), load(summary.loadAverageEnd())));
        Reused reused = summary.reused();
        if (reused != null && reused.identifications() + reused.repairs() > 0) {
            md.append(String.format(Locale.ROOT, "Taken from earlier parts of this invocation instead of computed again:"
                    + " %d identification%s, %d repair%s (the same inputs and settings give the same result).%n%n",
                    reused.identifications(), reused.identifications() == 1 ? "" : "s", reused.repairs(),
                    reused.repairs() == 1 ? "" : "s"));
        }
        Table parts = new Table("part", "status", "seconds");
        for (PartOutcome p : summary.parts()) {
            parts.addRow(p.part(), p.status(), String.format(Locale.ROOT, "%.0f", p.seconds()));
        }
        double baseSeconds = summary.bases().stream().mapToDouble(PartOutcome::seconds).sum();
        parts.addRow("base runs (" + summary.bases().size() + ")", "-", String.format(Locale.ROOT, "%.0f", baseSeconds));
        md.append(parts.toMarkdown()).append('\n');
        for (PartOutcome p : summary.parts()) {
            md.append("## ").append(p.part()).append("\n\n");
            Path table = folder.resolve(p.part()).resolve("table.md");
            try {
                md.append(Files.readString(table)).append('\n');
            } catch (java.io.IOException e) {
                md.append("(no table: ").append(e.getMessage()).append(")\n\n");
            }
        }
        return md.toString();
    }

    private static String load(Double v) {
        return v == null ? "unknown" : String.format(Locale.ROOT, "%.2f", v);
    }
}
