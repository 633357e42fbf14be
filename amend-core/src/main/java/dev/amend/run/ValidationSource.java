package dev.amend.run;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * Where V, the validation set of a repair's acceptance check and of the stopping rules that
 * watch it, came from (docs/methods.md 3(e)).
 *
 * @param kind where V came from
 * @param size |V|
 * @param fraction for {@link Kind#HELD_OUT_TEST}: the fraction of {@code drawnFrom} held out; null
 *     otherwise
 * @param drawnFrom for {@link Kind#HELD_OUT_TEST}: how many test examples V was drawn from (those
 *     outside a failure set the user named, or the whole test set when F is theta*'s
 *     misclassified examples); null otherwise
 * @param seed for {@link Kind#HELD_OUT_TEST}: the seed of the split; null otherwise
 */
public record ValidationSource(Kind kind, int size, Double fraction, @JsonProperty("drawn_from") Integer drawnFrom,
        Long seed) {

    /** The kinds of V. */
    public enum Kind {
        /** The training run's own validation split, set aside before theta* was trained. */
        BASE_RUN,
        /** Labelled examples given for the check (the model was not trained on them). */
        CHECK_DATA,
        /** A seeded fraction of the test examples outside a named F (or of all, before F is found), taken out of T. */
        HELD_OUT_TEST,
        /** There is no V: a model brought from elsewhere without check data or a held-out part. */
        NONE;

        /** The name written to metrics.json: {@code base-run}, {@code check-data}, ... */
        @com.fasterxml.jackson.annotation.JsonValue
        public String text() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** A V of the given kind other than a held-out part. */
    static ValidationSource of(Kind kind, int size) {
        return new ValidationSource(kind, size, null, null, null);
    }

    /** Whether V was taken out of the test set, so that T and T\F are measured without it. */
    public boolean heldOutOfTest() {
        return kind == Kind.HELD_OUT_TEST;
    }
}
