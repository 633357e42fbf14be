package dev.amend.run.format;

import dev.amend.run.RepairInput;
import java.util.Map;

/**
 * What a treat or repair was given, written as its {@code spec.json}: enough to run it again.
 * Exactly one of {@code run} and {@code model} is set; {@code ranking} is set for a treatment of
 * a ranking read from a file, {@code identify} when the repair identified the causes itself.
 *
 * @param run the training run folder, or null
 * @param model the model folder brought from elsewhere, or null
 * @param data the data spec of {@code model} (the run's own otherwise), or null
 * @param poolSize for {@code mnist} data with {@code model}: the training digits drawn
 * @param dataSeed the seed of that draw
 * @param failures the file listing the failing test rows, or null (the misclassified ones, or the run's F)
 * @param failuresData the data spec of failing examples given as data of their own (dev.amend.data.FailureList's
 *     alternative; {@link RepairInput#ofFailureData}), or null
 * @param ranking the ranking file or folder, or null
 * @param identify the identification method, or null
 * @param identifySettings its settings as resolved, or null
 * @param selection how C was chosen ({@code top-k:K}, {@code top-k:auto}, {@code top-fraction:F}, {@code threshold})
 * @param treat the treatment's name
 * @param treatSettings its settings as resolved
 * @param acceptance the settings of the acceptance check (tolerance, check set)
 * @param seed the seed of the F_q split (and, for a model brought from elsewhere, of its F halves) and of
 *     the treatment's minibatches
 */
public record RepairSpec(String run, String model, String data, Integer poolSize, Long dataSeed, String failures,
        String failuresData, String ranking, String identify, Map<String, Object> identifySettings, String selection,
        String treat, Map<String, Object> treatSettings, Map<String, Object> acceptance, long seed) {

    /** A spec without failure data. */
    public RepairSpec(String run, String model, String data, Integer poolSize, Long dataSeed, String failures,
            String ranking, String identify, Map<String, Object> identifySettings, String selection, String treat,
            Map<String, Object> treatSettings, Map<String, Object> acceptance, long seed) {
        this(run, model, data, poolSize, dataSeed, failures, null, ranking, identify, identifySettings, selection,
                treat, treatSettings, acceptance, seed);
    }
}
