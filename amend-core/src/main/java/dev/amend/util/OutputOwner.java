package dev.amend.util;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Which amend command wrote an output folder, read from the {@code provenance.json} in it: its
 * {@code command} field, or for folders written before that field existed, the leading words of
 * its recorded {@code arguments} ("train", "experiment identify"). A command replaces only a
 * folder it wrote itself (docs/errors.md, "Output folders").
 */
public final class OutputOwner {
    /** The provenance file every command's output folder holds (also {@code RunFiles.PROVENANCE}). */
    public static final String PROVENANCE = "provenance.json";

    private OutputOwner() {
    }

    /**
     * The command that wrote {@code folder} ("train", "experiment identify"), or null when the
     * folder has no readable provenance.json naming one.
     */
    public static String of(Path folder) {
        Path file = folder.resolve(PROVENANCE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            JsonNode tree = Json.mapper().readTree(file.toFile());
            if (tree == null || !tree.isObject()) {
                return null;
            }
            JsonNode command = tree.get("command");
            if (command != null && command.isTextual() && !command.asText().isBlank()) {
                return command.asText();
            }
            JsonNode arguments = tree.get("arguments");
            if (arguments == null || !arguments.isArray()) {
                return null;
            }
            List<String> words = new ArrayList<>();
            arguments.forEach(a -> words.add(a.asText()));
            return commandOf(words);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The command named by a command line (without the program name): the words before the first
     * option, after any leading options of {@code amend} itself; null if there are none.
     */
    public static String commandOf(List<String> arguments) {
        int i = 0;
        while (i < arguments.size() && arguments.get(i).startsWith("-")) {
            i++;
        }
        List<String> words = new ArrayList<>();
        for (; i < arguments.size() && !arguments.get(i).startsWith("-"); i++) {
            words.add(arguments.get(i));
        }
        return words.isEmpty() ? null : String.join(" ", words);
    }

    /** What {@code folder} holds, for a refusal: "the output of amend treat", "files amend did not write". */
    public static String describe(Path folder) {
        String owner = of(folder);
        if (owner != null) {
            return "the output of 'amend " + owner + "'";
        }
        return Files.isRegularFile(folder.resolve(PROVENANCE)) ? "an amend output of unknown origin"
                : "files amend did not write";
    }
}
