package dev.amend.data.scenario;

import dev.amend.AmendException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/** The grammar of {@link ScenarioSpec}; kept apart so that the interface shows only the contract. */
final class ScenarioSpecParser {
    /** Every scenario with its options, in the order messages list them. */
    private static final Map<String, List<String>> OPTIONS = Map.of(
            NoneScenario.NAME, List.of(),
            LabelFlipScenario.NAME, List.of("pairs", "rate"),
            InputNoiseScenario.NAME, List.of("classes", "fraction", "noise", "amount", "sigma"),
            PoisonScenario.NAME, List.of("classes", "fraction", "eps", "victims"));
    private static final String NAMES = String.join(", ", NoneScenario.NAME, LabelFlipScenario.NAME,
            InputNoiseScenario.NAME, PoisonScenario.NAME);

    private ScenarioSpecParser() {
    }

    static ScenarioSpec parse(String spec, String dataKind, int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be positive, got " + numClasses);
        }
        if (spec == null || spec.isBlank()) {
            throw new AmendException("the scenario spec is empty; valid scenarios: " + NAMES);
        }
        int colon = spec.indexOf(':');
        String name = (colon < 0 ? spec : spec.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
        List<String> valid = OPTIONS.get(name);
        if (valid == null) {
            throw new AmendException("unknown scenario '" + name + "'; valid scenarios: " + NAMES);
        }
        Options o = new Options(name, colon < 0 ? null : spec.substring(colon + 1), valid, dataKind, numClasses);
        return switch (name) {
            case NoneScenario.NAME -> new ScenarioSpec.Ready(new NoneScenario());
            case LabelFlipScenario.NAME -> new ScenarioSpec.Ready(
                    new LabelFlipScenario(o.pairs(), o.number("rate", LabelFlipScenario.DEFAULT_RATE)));
            case InputNoiseScenario.NAME -> new ScenarioSpec.Ready(new InputNoiseScenario(o.classes(),
                    o.number("fraction", InputNoiseScenario.DEFAULT_FRACTION),
                    o.has("noise") ? NoiseType.parse(o.get("noise")) : NoiseType.AUTO,
                    o.number("amount", InputNoiseScenario.DEFAULT_AMOUNT),
                    o.number("sigma", InputNoiseScenario.DEFAULT_SIGMA)));
            case PoisonScenario.NAME -> new PoisonOptions(o.classes(),
                    o.number("fraction", InputNoiseScenario.DEFAULT_FRACTION),
                    o.has("eps") ? OptionalDouble.of(o.number("eps", 0)) : OptionalDouble.empty(),
                    o.integer("victims", PoisonOptions.DEFAULT_VICTIMS));
            default -> throw new IllegalStateException("scenario " + name + " has options but no parser");
        };
    }

    /** The options of one spec, checked against the scenario's valid keys. */
    private static final class Options {
        private final String scenario;
        private final String dataKind;
        private final int numClasses;
        private final Map<String, String> values = new LinkedHashMap<>();

        Options(String scenario, String text, List<String> valid, String dataKind, int numClasses) {
            this.scenario = scenario;
            this.dataKind = dataKind;
            this.numClasses = numClasses;
            if (text == null) {
                return;
            }
            if (valid.isEmpty()) {
                throw new AmendException("scenario " + scenario + " takes no options");
            }
            for (String token : text.split(",", -1)) {
                int eq = token.indexOf('=');
                if (eq < 0) {
                    throw new AmendException("'" + token.trim() + "' in scenario " + scenario
                            + " is not key=value; options are separated by ',' and list items by ';' (e.g. pairs=1>7;4-9)");
                }
                String key = token.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                String value = token.substring(eq + 1).trim();
                if (!valid.contains(key)) {
                    throw new AmendException("unknown option '" + key + "' for scenario " + scenario + "; valid options: "
                            + String.join(", ", valid));
                }
                if (value.isEmpty()) {
                    throw new AmendException("option " + key + " of scenario " + scenario + " has no value");
                }
                if (values.put(key, value) != null) {
                    throw new AmendException("option " + key + " is given twice in scenario " + scenario);
                }
            }
        }

        boolean has(String key) {
            return values.containsKey(key);
        }

        String get(String key) {
            return values.get(key);
        }

        double number(String key, double fallback) {
            if (!has(key)) {
                return fallback;
            }
            try {
                return Double.parseDouble(get(key));
            } catch (NumberFormatException e) {
                throw new AmendException("option " + key + "=" + get(key) + " of scenario " + scenario + " is not a number");
            }
        }

        int integer(String key, int fallback) {
            if (!has(key)) {
                return fallback;
            }
            try {
                return Integer.parseInt(get(key));
            } catch (NumberFormatException e) {
                throw new AmendException("option " + key + "=" + get(key) + " of scenario " + scenario
                        + " is not a whole number");
            }
        }

        List<Integer> classes() {
            if (!has("classes")) {
                List<Integer> defaults = orDefault(ScenarioDefaults.targetClasses(dataKind), "classes", "classes=1;7;6;9");
                defaults.forEach(c -> checkRange(c, "classes", "default "));
                return defaults;
            }
            List<Integer> classes = new ArrayList<>();
            for (String item : get("classes").split(";", -1)) {
                classes.add(classIndex(item, "classes"));
            }
            return classes;
        }

        List<ClassPair> pairs() {
            if (!has("pairs")) {
                List<ClassPair> defaults = orDefault(ScenarioDefaults.flipPairs(dataKind), "pairs", "pairs=1>7;4-9");
                for (ClassPair p : defaults) {
                    checkRange(p.first(), "pairs", "default ");
                    checkRange(p.second(), "pairs", "default ");
                }
                return defaults;
            }
            List<ClassPair> pairs = new ArrayList<>();
            for (String item : get("pairs").split(";", -1)) {
                boolean oneWay = item.contains(">");
                String[] ab = item.split(oneWay ? ">" : "-", -1);
                if (ab.length != 2) {
                    throw new AmendException("'" + item.trim() + "' in option pairs of scenario " + scenario
                            + " is not a pair of class indices: a>b (a's labels become b) or a-b (both ways)");
                }
                pairs.add(new ClassPair(classIndex(ab[0], "pairs"), classIndex(ab[1], "pairs"), oneWay));
            }
            return pairs;
        }

        private int classIndex(String text, String key) {
            int c;
            try {
                c = Integer.parseInt(text.trim());
            } catch (NumberFormatException e) {
                throw new AmendException("'" + text.trim() + "' in option " + key + " of scenario " + scenario
                        + " is not a class index");
            }
            checkRange(c, key, "");
            return c;
        }

        /** {@code origin} is "default " when the class came from the data kind's defaults rather than the user. */
        private void checkRange(int c, String key, String origin) {
            if (c < 0 || c >= numClasses) {
                throw new AmendException("class " + c + " in " + origin + "option " + key + " of scenario " + scenario
                        + " is not in [0, " + numClasses + ")");
            }
        }

        private <T> T orDefault(Optional<T> defaults, String key, String example) {
            return defaults.orElseThrow(() -> new AmendException("scenario " + scenario + " has no default " + key
                    + " for data kind '" + dataKind + "' (defaults exist for mnist, cifar10, fashion-mnist); give them, e.g. "
                    + scenario + ":" + example));
        }
    }
}
