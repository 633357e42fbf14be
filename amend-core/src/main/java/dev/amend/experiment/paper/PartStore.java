package dev.amend.experiment.paper;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amend.AmendException;
import dev.amend.provenance.Provenance;
import dev.amend.provenance.RunFiles;
import dev.amend.util.AtomicFolders;
import dev.amend.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;

/**
 * The folders of the parts of {@code amend experiment paper}, which make it resumable: each part
 * is written in one piece (an {@link AtomicFolders} write) holding spec.json (what the part was
 * given), provenance.json and, last, {@value #PART} (its time and headline numbers). A folder
 * with both JSON files is a finished part. On a rerun a finished part whose spec.json equals the
 * part's spec now is skipped; one whose spec differs is refused with the first difference named,
 * unless the caller forces it to be replaced.
 */
public final class PartStore {
    /** The file that marks a part as finished. */
    public static final String PART = "part.json";
    /** What a part folder is called in messages. */
    static final String WHAT = "experiment part folder";

    private PartStore() {
    }

    /**
     * What {@value #PART} holds.
     *
     * @param part the part's name
     * @param seconds wall-clock seconds the part took (its base runs not included: they are parts of their own)
     * @param finished when it was written
     * @param headline a few numbers of the summary table, by name
     */
    public record PartRecord(String part, double seconds, String finished, Map<String, Object> headline) {
    }

    /** Something that writes a part's own files into its (temporary) folder. */
    @FunctionalInterface
    public interface Body {
        void write(Path folder) throws IOException;
    }

    /** Whether {@code folder} holds a finished part. */
    public static boolean isPart(Path folder) {
        return Files.isRegularFile(folder.resolve(RunFiles.SPEC)) && Files.isRegularFile(folder.resolve(PART));
    }

    /**
     * Whether the part in {@code folder} is finished with the same spec, so that it can be skipped.
     *
     * @return true if finished with {@code spec}; false if not there (or to be replaced, with {@code force})
     * @throws AmendException if it was finished with another spec and {@code force} is false
     */
    public static boolean upToDate(Path folder, String name, Object spec, boolean force) {
        if (!isPart(folder)) {
            checkReplaceable(folder);
            return false;
        }
        JsonNode before;
        try {
            before = Json.mapper().readTree(folder.resolve(RunFiles.SPEC).toFile());
        } catch (IOException e) {
            throw new AmendException("cannot read " + folder.resolve(RunFiles.SPEC) + ": " + e.getMessage(), e);
        }
        JsonNode now = tree(spec);
        if (before.equals(now)) {
            return true;
        }
        if (force) {
            checkReplaceable(folder);
            return false;
        }
        throw new AmendException("part " + name + " in " + folder + " was run with a different spec ("
                + difference("", before, now) + "); give --force to run it again and replace it, or another --out");
    }

    /**
     * Refuses, before any work, a part folder {@link #write} would refuse or whose replacement
     * would delete a file amend did not write (docs/errors.md, "Output folders").
     */
    static void checkReplaceable(Path folder) {
        AtomicFolders.checkReplaceable(folder, WHAT, PartStore::replaceable);
    }

    // What write() replaces: a folder written as a part (its spec.json first).
    private static boolean replaceable(Path folder) {
        return Files.isRegularFile(folder.resolve(RunFiles.SPEC));
    }

    /** The record of a finished part. */
    public static PartRecord read(Path folder) {
        return Json.read(folder.resolve(PART), PartRecord.class);
    }

    /**
     * Writes the part into {@code folder} in one piece: spec.json, provenance.json, the files of
     * {@code body}, then {@value #PART}. A finished part there is replaced; any other non-empty
     * folder is refused.
     */
    public static PartRecord write(Path folder, String name, Object spec, Provenance provenance, double seconds,
            Map<String, Object> headline, Body body) {
        PartRecord record = new PartRecord(name, seconds, Instant.now().toString(), headline);
        AtomicFolders.write(folder, WHAT, PartStore::replaceable, tmp -> {
            RunFiles.writeSpec(tmp, spec);
            RunFiles.writeProvenance(tmp, provenance);
            body.write(tmp);
            RunFiles.writeJson(tmp.resolve(PART), record);
        });
        return record;
    }

    /** {@code value} as the tree its JSON file reads back as (so that a long and an int of the same value agree). */
    static JsonNode tree(Object value) {
        try {
            return Json.mapper().readTree(Json.toJson(value));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first place where two JSON trees differ, as "path: before -> now". */
    static String difference(String path, JsonNode before, JsonNode now) {
        if (before.isObject() && now.isObject()) {
            for (Iterator<String> names = now.fieldNames(); names.hasNext();) {
                String field = names.next();
                String sub = path.isEmpty() ? field : path + "." + field;
                JsonNode b = before.get(field);
                if (b == null) {
                    return sub + ": missing -> " + shorten(now.get(field));
                }
                if (!b.equals(now.get(field))) {
                    return difference(sub, b, now.get(field));
                }
            }
            for (Iterator<String> names = before.fieldNames(); names.hasNext();) {
                String field = names.next();
                if (!now.has(field)) {
                    return (path.isEmpty() ? field : path + "." + field) + ": " + shorten(before.get(field)) + " -> missing";
                }
            }
        }
        if (before.isArray() && now.isArray() && before.size() == now.size()) {
            for (int i = 0; i < now.size(); i++) {
                if (!before.get(i).equals(now.get(i))) {
                    return difference(path + "[" + i + "]", before.get(i), now.get(i));
                }
            }
        }
        return (path.isEmpty() ? "spec" : path) + ": " + shorten(before) + " -> " + shorten(now);
    }

    private static String shorten(JsonNode node) {
        String text = node.toString();
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
