package dev.amend.run;

import dev.amend.AmendException;
import dev.amend.data.ExampleSet;
import dev.amend.data.FailureList;
import dev.amend.data.Splits;
import dev.amend.model.ModelHandle;
import dev.amend.model.ScriptedModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * What a repair starts from (docs/methods.md 1): theta*, the training set D it was trained on, the
 * test set T with its failure sets, and, when a scenario injected the corruption, the ground
 * truth over D. Does not own the model.
 *
 * <p>V, the validation set that the acceptance check and the stopping rules watching
 * {@code validation} read (docs/methods.md 3(e)), is a training run's own validation split. A
 * model brought from elsewhere has none until one is given: {@link #withCheckData} (labelled
 * examples the model was not trained on) or {@link #withHeldOutCheck} (a seeded fraction of the
 * test examples, outside F when the user named F, taken out of T).
 *
 * @param model theta*
 * @param train D
 * @param validation V, or null
 * @param test T (without V when V was held out of it)
 * @param failures F, F_q, F_h and T\F as positions in T
 * @param corrupted the ground-truth mask by position in D, or null when unknown (a model brought
 *     from elsewhere)
 * @param originalLabels the true labels by position in D (before the scenario), or null when unknown
 * @param validationSource where V came from
 * @param failuresNamed whether F was named by the user (a failure list or failure data) rather
 *     than found as theta*'s misclassified test examples or a run's
 * @param notes what the user should be told about this input, one sentence each (named failures
 *     that theta* classifies correctly, say); empty when there is nothing to say
 */
public record RepairInput(ModelHandle model, ExampleSet train, ExampleSet validation, ExampleSet test, FailureSets failures,
        boolean[] corrupted, int[] originalLabels, ValidationSource validationSource, boolean failuresNamed,
        List<String> notes) {

    /** The fraction of the test examples that {@link #withHeldOutCheck} holds out by default (docs/methods.md 3(e)). */
    public static final double DEFAULT_CHECK_FRACTION = 0.2;
    /** How many training examples the near-chance check of a model brought from elsewhere evaluates at most. */
    public static final int NEAR_CHANCE_SAMPLE = 1000;
    /** The fewest examples a check set V may have: below that one example moves its accuracy by over 10 points. */
    public static final int MIN_CHECK_EXAMPLES = 10;

    public RepairInput {
        if (corrupted != null && corrupted.length != train.size()) {
            throw new IllegalArgumentException("the mask has " + corrupted.length + " entries for " + train.size()
                    + " training examples");
        }
        if (originalLabels != null && originalLabels.length != train.size()) {
            throw new IllegalArgumentException("the true labels have " + originalLabels.length + " entries for "
                    + train.size() + " training examples");
        }
        corrupted = corrupted == null ? null : corrupted.clone();
        originalLabels = originalLabels == null ? null : originalLabels.clone();
        notes = notes == null ? List.of() : List.copyOf(notes);
        if (validationSource == null) {
            validationSource = validation == null || validation.size() == 0
                    ? ValidationSource.of(ValidationSource.Kind.NONE, 0)
                    : ValidationSource.of(ValidationSource.Kind.BASE_RUN, validation.size());
        }
    }

    /** An input whose V, if any, is a training run's validation split, with the true labels of D if known. */
    public RepairInput(ModelHandle model, ExampleSet train, ExampleSet validation, ExampleSet test, FailureSets failures,
            boolean[] corrupted, int[] originalLabels) {
        this(model, train, validation, test, failures, corrupted, originalLabels, null, false, null);
    }

    /** The same without the true labels. */
    public RepairInput(ModelHandle model, ExampleSet train, ExampleSet validation, ExampleSet test, FailureSets failures,
            boolean[] corrupted) {
        this(model, train, validation, test, failures, corrupted, null, null, false, null);
    }

    /** A training run's model, data, failure sets and ground truth. */
    public static RepairInput of(TrainedRun run) {
        ExampleSet validation = run.validation().size() > 0 ? run.validation() : null;
        return new RepairInput(run.model(), run.train(), validation, run.test(), run.failures(),
                run.corruption().corrupted(), run.corruption().originalLabels());
    }

    /**
     * A model brought from elsewhere, with the data it was trained on ({@code train}) and a test
     * set: F is the test rows listed in {@code failureRows}, or theta*'s misclassified test
     * examples when it is null; the rest as {@link #ofFailureList}.
     *
     * @throws AmendException if a listed row is not in the test set or is listed twice, or F is
     *     empty
     */
    public static RepairInput bringYourOwn(ModelHandle model, ExampleSet train, ExampleSet test, int[] failureRows, long seed) {
        return ofFailureList(model, train, test, failureRows == null ? null : FailureList.ofRows(failureRows), seed);
    }

    /**
     * A model brought from elsewhere, with the data it was trained on ({@code train}) and a test
     * set: F is the test examples the failure list names, or theta*'s misclassified test
     * examples when it is null; F is halved into F_q and F_h with {@code seed} as a training run
     * does; T\F is the correctly classified test examples outside F; misclassified examples
     * that are not listed belong to neither. There is no ground truth.
     *
     * @throws AmendException if a listed row is not in the test set, is listed twice or has a
     *     label other than the test data's, or F has fewer than two examples
     */
    public static RepairInput ofFailureList(ModelHandle model, ExampleSet train, ExampleSet test, FailureList failureList,
            long seed) {
        model.spec().checkCompatible(train, "the training data");
        model.spec().checkCompatible(test, "the test data");
        requireSameClasses(train, test);
        if (failureList == null) {
            FailureSets sets = FailureSets.of(model.evaluate(test), List.of(), seed);
            if (sets.failures().length == 0) {
                throw new AmendException("the model classifies every test example correctly: there are no failures to"
                        + " repair");
            }
            return ownModel(model, train, test, sets, false, new ArrayList<>(), seed);
        }
        int[] failures = failureList.positionsIn(test);
        Arrays.sort(failures);
        return named(model, train, test, failures, seed, "rows named in " + failureList.source(),
                " (rows count from 0)");
    }

    /**
     * A model brought from elsewhere with failing examples given as data of their own
     * ({@code failures}: inputs collected in production with their true labels, say). T is the
     * test set followed by these examples, and F is the appended part, halved into F_q and F_h
     * with {@code seed}; T\F is the correctly classified examples of the test set, and its
     * misclassified examples belong to neither. The failure examples keep the rows of their own
     * file. There is no ground truth.
     *
     * @throws AmendException if the failure data's shape or class count is not the model's, or it
     *     has fewer than two examples
     */
    public static RepairInput ofFailureData(ModelHandle model, ExampleSet train, ExampleSet test, ExampleSet failures,
            long seed) {
        model.spec().checkCompatible(train, "the training data");
        model.spec().checkCompatible(test, "the test data");
        model.spec().checkCompatible(failures, "the failure data");
        requireSameClasses(train, test);
        ExampleSet asTest = new ExampleSet(failures.pixels(), labelsIn(failures, test.classNames()), failures.rows(),
                failures.channels(), failures.height(), failures.width(), test.classNames());
        ExampleSet joined = test.concat(asTest);
        int[] positions = IntStream.range(test.size(), joined.size()).toArray();
        return named(model, train, joined, positions, seed, "examples of the failure data", "");
    }

    /** Refuses training and test data whose classes differ (in name or order): a label means one class in both. */
    private static void requireSameClasses(ExampleSet train, ExampleSet test) {
        if (!train.classNames().equals(test.classNames())) {
            throw new AmendException("the training data's classes " + train.classNames() + " are not the test data's "
                    + test.classNames());
        }
    }

    /**
     * The labels of {@code failures} as positions in {@code classes}: by name when the failure
     * data names its classes in another order, by position when it only numbers them (0 .. K-1),
     * and refused when it names classes the test data does not have.
     */
    private static int[] labelsIn(ExampleSet failures, List<String> classes) {
        List<String> own = failures.classNames();
        if (own.equals(classes) || own.equals(ExampleSet.numberedClasses(own.size()))) {
            return failures.labels();
        }
        if (!new HashSet<>(own).equals(new HashSet<>(classes))) {
            throw new AmendException("the failure data's classes " + own + " are not the test data's " + classes);
        }
        int[] labels = failures.labels().clone();
        for (int i = 0; i < labels.length; i++) {
            labels[i] = classes.indexOf(own.get(labels[i]));
        }
        return labels;
    }

    /**
     * The input when F is the given positions of {@code test} (ascending), named by the user as
     * {@code what} ("rows named in FILE"). A named failure that theta* classifies correctly (its
     * prediction is its label: the test data's, which a listed label must equal, or the failure
     * data's own) stays in F, with a note; when every one is, there is nothing to repair.
     *
     * @param hint what to add to the note and the refusal ("rows count from 0"), or ""
     */
    private static RepairInput named(ModelHandle model, ExampleSet train, ExampleSet test, int[] failures, long seed,
            String what, String hint) {
        if (failures.length == 0) {
            throw new AmendException("the failure list is empty: there is nothing to repair");
        }
        boolean[] listed = new boolean[test.size()];
        for (int i : failures) {
            listed[i] = true;
        }
        int[] predictions = model.evaluate(test).predictions();
        int[] remaining = IntStream.range(0, test.size())
                .filter(i -> !listed[i] && predictions[i] == test.label(i)).toArray();
        int[] other = IntStream.range(0, test.size())
                .filter(i -> !listed[i] && predictions[i] != test.label(i)).toArray();
        int[] correct = Arrays.stream(failures).filter(i -> predictions[i] == test.label(i)).toArray();
        List<String> notes = new ArrayList<>();
        if (correct.length == failures.length && failures.length > 1) {
            throw new AmendException("the model classifies all " + failures.length + " " + what + " correctly"
                    + hint + ": they are not failures, and there is nothing to repair");
        } else if (correct.length > 0) {
            notes.add(correct.length + " of the " + failures.length + " " + what + " are classified correctly by the"
                    + " model (" + rowsOf(test, correct) + "); they are not failures" + hint);
        }
        Splits.Halves halves = Splits.halves(failures, seed);
        FailureSets sets = new FailureSets(failures, halves.query(), halves.holdout(), remaining, other, List.of());
        return ownModel(model, train, test, sets, true, notes, seed);
    }

    /** "row 4" or "rows 4, 9, 12, ...": the first rows (of the user's files) of some examples of {@code test}. */
    private static String rowsOf(ExampleSet test, int[] positions) {
        int shown = Math.min(positions.length, 5);
        StringBuilder text = new StringBuilder(positions.length == 1 ? "row " : "rows ");
        for (int j = 0; j < shown; j++) {
            text.append(j == 0 ? "" : ", ").append(test.row(positions[j]));
        }
        return text.append(shown < positions.length ? ", ..." : "").toString();
    }

    private static RepairInput ownModel(ModelHandle model, ExampleSet train, ExampleSet test, FailureSets sets,
            boolean named, List<String> notes, long seed) {
        if (sets.query().length == 0) {
            throw new AmendException("a single failure cannot be split into a query and a holdout half;"
                    + " give at least two failing examples");
        }
        String nearChance = nearChanceNote(model, train, seed);
        if (nearChance != null) {
            notes.add(nearChance);
        }
        if (model instanceof ScriptedModel scripted && !scripted.frozenParameters().isEmpty()) {
            List<String> frozen = scripted.frozenParameters();
            notes.add("the model marks " + frozen.size() + " parameter" + (frozen.size() == 1 ? "" : "s")
                    + " frozen (requires_grad false: " + String.join(", ", frozen.subList(0, Math.min(4, frozen.size())))
                    + (frozen.size() > 4 ? ", ..." : "") + "); amend repairs every parameter, these too, and writes"
                    + " them back marked frozen (docs/models.md, \"Your own PyTorch model\")");
        }
        return new RepairInput(model, train, null, test, sets, null, null, null, named, notes);
    }

    /**
     * A note when theta* classifies its own training data D about as well as guessing: at most
     * 1.5 times chance (1/K for K classes) and at most a quarter of the way from chance to 1 (for
     * two classes, 62.5%). Measured on a seeded sample of {@link #NEAR_CHANCE_SAMPLE} examples
     * of D (all of a smaller D); nothing else evaluates D before identification. Most often the
     * model expects inputs other than amend's pixels in [0, 1] (normalised, or 0..255) and does
     * not normalise inside forward (docs/models.md, "Your own PyTorch model"); null otherwise.
     */
    private static String nearChanceNote(ModelHandle model, ExampleSet train, long seed) {
        int k = train.numClasses();
        if (k < 2) {
            return null;
        }
        int n = Math.min(train.size(), NEAR_CHANCE_SAMPLE);
        ExampleSet sample = n == train.size() ? train : train.subset(Splits.sampleIndices(train.size(), n, seed));
        double accuracy = model.evaluate(sample).accuracy();
        double chance = 1.0 / k;
        if (accuracy > Math.min(1.5 * chance, chance + (1 - chance) / 4)) {
            return null;
        }
        return String.format(Locale.ROOT, "the model classifies %.1f%% of %s training examples correctly, near"
                + " chance for %d classes (%.1f%%), on the data it was trained on: it may expect inputs other than"
                + " amend gives it (pixels in [0, 1]; a model trained on normalised or 0..255 inputs must normalise"
                + " inside forward, docs/models.md, \"Your own PyTorch model\"), or --data is not its training data",
                100 * accuracy, n == train.size() ? "its " + n : n + " of its " + train.size(), k, 100 * chance);
    }

    /**
     * The same input with {@code check} as V: labelled examples the model was not trained on,
     * for the acceptance check and the stopping rules that watch V (docs/methods.md 3(e)). T is
     * unchanged.
     *
     * @throws AmendException if the input has a V already (a training run), {@code check} does
     *     not have the model's input shape and classes, has fewer than {@link #MIN_CHECK_EXAMPLES}
     *     examples, or holds an example of F or of the training data
     */
    public RepairInput withCheckData(ExampleSet check) {
        requireNoValidation("check data");
        model.spec().checkCompatible(check, "the check data");
        if (check.size() < MIN_CHECK_EXAMPLES) {
            throw new AmendException("the check data has " + check.size() + " examples; a check set needs at least "
                    + MIN_CHECK_EXAMPLES);
        }
        requireUnseen(check, test.subset(failures.failures()), "failure row");
        requireUnseen(check, train, "training row");
        return new RepairInput(model, train, check, test, failures, corrupted, originalLabels,
                ValidationSource.of(ValidationSource.Kind.CHECK_DATA, check.size()), failuresNamed, notes);
    }

    /**
     * The same input with V held out of T, drawn uniformly with {@code seed}
     * ({@link Splits#sampleIndices}): the same (input, fraction, seed) gives the same V, and F
     * never enters it.
     * <ul>
     *   <li>When F was named (a failure list or failure data), V is {@code round(fraction * n)}
     *       of the n test examples outside F; F, F_q and F_h keep their examples.</li>
     *   <li>When F is theta*'s misclassified test examples, V is {@code round(fraction * |T|)}
     *       of all of T, held out before F is found, so that V is a sample of the test set as a
     *       run's validation split is of its data; F is then the misclassified examples of the
     *       rest, halved with {@code seed}.</li>
     * </ul>
     * Either way T, T\F and the other misclassified examples are the rest.
     *
     * @throws AmendException if the input has a V already, {@code fraction} is not in (0, 1), too
     *     few test examples are left to hold out {@link #MIN_CHECK_EXAMPLES} and keep one, or (F
     *     found after the split) fewer than two failures remain
     */
    public RepairInput withHeldOutCheck(double fraction, long seed) {
        requireNoValidation("a held-out check set");
        if (!(fraction > 0 && fraction < 1)) {
            throw new AmendException("the check fraction must be in (0, 1) (a fraction of the test examples), got "
                    + fraction);
        }
        boolean[] inF = new boolean[test.size()];
        if (failuresNamed) {
            for (int i : failures.failures()) {
                inF[i] = true;
            }
        }
        int[] pool = IntStream.range(0, test.size()).filter(i -> !inF[i]).toArray();
        int k = (int) Math.round(fraction * pool.length);
        if (k < MIN_CHECK_EXAMPLES || k >= pool.length) {
            throw new AmendException("the check set is drawn from " + pool.length + " test examples"
                    + (failuresNamed ? " (those outside F)" : "") + "; a check fraction of " + fraction
                    + " would hold out " + k + " of them, but it needs at least " + MIN_CHECK_EXAMPLES
                    + " and must leave some in T: give more test data, another check fraction or check data of its own");
        }
        int[] held = Arrays.stream(Splits.sampleIndices(pool.length, k, seed)).map(j -> pool[j]).toArray();
        int[] kept = Splits.complement(test.size(), held);
        ExampleSet rest = test.subset(kept);
        FailureSets sets;
        if (failuresNamed) {
            int[] renumber = new int[test.size()];
            Arrays.fill(renumber, -1);
            for (int j = 0; j < kept.length; j++) {
                renumber[kept[j]] = j;
            }
            sets = new FailureSets(renumber(failures.failures(), renumber), renumber(failures.query(), renumber),
                    renumber(failures.holdout(), renumber), renumber(failures.remaining(), renumber),
                    renumber(failures.otherFailures(), renumber), failures.classes());
        } else {
            sets = FailureSets.of(model.evaluate(rest), List.of(), seed);
            if (sets.query().length == 0) {
                throw new AmendException("after holding out the check set, the rest of the test set has "
                        + sets.failures().length + " misclassified example(s): too few to repair (at least two);"
                        + " give more test data, another check fraction or check data of its own");
            }
        }
        return new RepairInput(model, train, test.subset(held), rest, sets, corrupted, originalLabels,
                new ValidationSource(ValidationSource.Kind.HELD_OUT_TEST, k, fraction, pool.length, seed),
                failuresNamed, notes);
    }

    /** The new positions of {@code positions} (ascending), leaving out those that have none. */
    private static int[] renumber(int[] positions, int[] renumber) {
        return Arrays.stream(positions).map(i -> renumber[i]).filter(i -> i >= 0).toArray();
    }

    private void requireNoValidation(String what) {
        if (validation != null && validation.size() > 0) {
            String has = switch (validationSource.kind()) {
                case HELD_OUT_TEST -> "already holds out test examples for the check (withHeldOutCheck)";
                case CHECK_DATA -> "already has check data (withCheckData)";
                default -> "has a validation split of its own (a training run's)";
            };
            throw new AmendException("this repair " + has + "; " + what + " gives a model brought from elsewhere its"
                    + " only check set");
        }
    }

    /** Refuses {@code check} if one of its images is also an image of {@code seen}. */
    private static void requireUnseen(ExampleSet check, ExampleSet seen, String seenRow) {
        Map<Integer, List<Integer>> byHash = new HashMap<>();
        for (int i = 0; i < seen.size(); i++) {
            byHash.computeIfAbsent(Arrays.hashCode(seen.image(i)), h -> new java.util.ArrayList<>()).add(i);
        }
        for (int i = 0; i < check.size(); i++) {
            float[] image = check.image(i);
            for (int j : byHash.getOrDefault(Arrays.hashCode(image), List.of())) {
                if (Arrays.equals(image, seen.image(j))) {
                    throw new AmendException("row " + check.row(i) + " of the check data is the same image as "
                            + seenRow + " " + seen.row(j) + ": the check set needs examples that are neither failures"
                            + " nor trained on");
                }
            }
        }
    }

    /** Whether the ground truth of the corruption is known. */
    public boolean hasGroundTruth() {
        return corrupted != null;
    }

    @Override
    public boolean[] corrupted() {
        return corrupted == null ? null : corrupted.clone();
    }

    @Override
    public int[] originalLabels() {
        return originalLabels == null ? null : originalLabels.clone();
    }

    /** The same input with another test set and its failure sets (a clean set drawn out of T). */
    public RepairInput withTest(ExampleSet newTest, FailureSets newFailures) {
        return new RepairInput(model, train, validation, newTest, newFailures, corrupted, originalLabels,
                validationSource, failuresNamed, notes);
    }

    /** F_q as a data set. */
    public ExampleSet querySet() {
        return test.subset(failures.query());
    }
}
