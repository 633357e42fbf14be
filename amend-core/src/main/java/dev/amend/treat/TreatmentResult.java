package dev.amend.treat;

import dev.amend.model.ModelHandle;
import java.util.Map;

/**
 * A repaired model and facts about how it was made: the epochs run and kept, the distance
 * ||theta_rep - theta*|| (docs/methods.md 3(a) asks to report it) and method-specific details.
 */
public record TreatmentResult(ModelHandle model, double parameterDistance, Map<String, Object> details) {
}
