package dev.amend.data.scenario;

import dev.amend.AmendException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The settings of adversarial poisoning before its victims exist ([T22] Section 4.1,
 * "Adversarial Poisoning"; docs/methods.md 4.2 item 3): a spec can name poisoning, but the caller
 * must first train {@code victims} models on the clean data and then call
 * {@link #toScenario(List)}.
 *
 * <p>{@code classes} and {@code fraction} choose the poisoned images as in input noise.
 * {@code eps} is the FGSM step; empty means the project default for the image type, resolved
 * when the scenario is applied: {@value #DEFAULT_EPS_GREY} for grey images, 8/255 for colour
 * images (the paper gives neither eps nor the victims, docs/methods.md 7 item 5).
 */
public record PoisonOptions(List<Integer> classes, double fraction, OptionalDouble eps, int victims)
        implements ScenarioSpec {
    public static final int DEFAULT_VICTIMS = 3;
    public static final double DEFAULT_EPS_GREY = 0.2;
    public static final double DEFAULT_EPS_COLOUR = 8.0 / 255.0;

    public PoisonOptions {
        classes = Checks.classes(classes);
        Checks.unitInterval("fraction", fraction);
        if (eps.isPresent() && !(eps.getAsDouble() > 0 && eps.getAsDouble() <= 1)) {
            throw new AmendException("option eps must be in (0, 1], got " + eps.getAsDouble());
        }
        if (victims < 1) {
            throw new AmendException("option victims must be at least 1, got " + victims);
        }
    }

    /** The given target classes with every other setting at its default. */
    public static PoisonOptions of(List<Integer> classes) {
        return new PoisonOptions(classes, InputNoiseScenario.DEFAULT_FRACTION, OptionalDouble.empty(), DEFAULT_VICTIMS);
    }

    /** The FGSM step for images with this many channels. */
    public double epsFor(int channels) {
        return eps.orElse(channels == 1 ? DEFAULT_EPS_GREY : DEFAULT_EPS_COLOUR);
    }

    @Override
    public String name() {
        return PoisonScenario.NAME;
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("classes", classes);
        p.put("fraction", fraction);
        p.put("eps", eps.isPresent() ? (Object) eps.getAsDouble() : "auto");
        p.put("victims", victims);
        return Collections.unmodifiableMap(p);
    }

    @Override
    public int victimsNeeded() {
        return victims;
    }

    /** The poisoning scenario against these victims; there must be exactly {@link #victims()} of them. */
    @Override
    public PoisonScenario toScenario(List<Victim> trained) {
        return new PoisonScenario(this, trained);
    }
}
