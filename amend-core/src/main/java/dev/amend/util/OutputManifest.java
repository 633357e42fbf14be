package dev.amend.util;

import dev.amend.AmendException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The list of files amend wrote into an output folder, kept in the folder as
 * {@value #NAME}, so that replacing the folder never deletes a file amend did not write
 * (docs/errors.md, "Output folders").
 *
 * <p>{@link AtomicFolders#write} lists every file of a folder when it completes; a file or
 * folder amend adds to a completed folder later ({@code report.html}, a demo's {@code repair/})
 * is added to its parent's list by {@link #register}. Before a folder is replaced,
 * {@link #checkOnlyOwnFiles} refuses it if it holds a file no list names: a note the user put
 * there, or a copy of other work. A folder written before amend kept these lists has none, and
 * is replaced as before.
 */
public final class OutputManifest {
    /** The list's file name: hidden, one path per line, relative to its folder, '/'-separated. */
    public static final String NAME = ".amend-files";

    private OutputManifest() {
    }

    /**
     * Writes the list of {@code folder}: every regular file under it, those of folders with a list
     * of their own included (files written into such a folder after its list are then named too),
     * the lists themselves left out.
     */
    static void writeFor(Path folder) throws IOException {
        Set<String> files = new TreeSet<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                if (!p.getFileName().toString().equals(NAME)) {
                    files.add(relative(folder, p));
                }
            }
        }
        Files.writeString(folder.resolve(NAME), String.join("\n", files) + "\n", StandardCharsets.UTF_8);
    }

    /**
     * Adds {@code written} (a file or folder amend has just completed) to the list of the folder
     * it is in, if that folder has one; nothing otherwise.
     */
    static void register(Path written) {
        Path absolute = written.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        if (parent == null || absolute.getFileName().toString().equals(NAME)) {
            return;
        }
        Path list = parent.resolve(NAME);
        if (!Files.isRegularFile(list, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        TreeSet<String> names = read(parent);
        if (names.add(absolute.getFileName().toString())) {
            AtomicFiles.writeString(list, String.join("\n", names) + "\n");
        }
    }

    /**
     * Refuses, with a one-line {@link AmendException}, to overwrite {@code file} when it exists in
     * a folder that has a list and the list does not name it: a file of the user's that happens
     * to have the name amend writes (a {@code report.html} of their own, say).
     */
    static void checkOverwrite(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        if (parent == null || absolute.getFileName().toString().equals(NAME)
                || !Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)
                || !Files.isRegularFile(parent.resolve(NAME), LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!read(parent).contains(absolute.getFileName().toString())) {
            throw new AmendException("cannot write " + file + ": a file of that name is there and amend did not write"
                    + " it; move it away or write elsewhere");
        }
    }

    /**
     * Refuses, with a one-line {@link AmendException}, to let {@code folder} be replaced if it
     * has a list and holds a file that neither its list nor the list of a folder amend wrote
     * inside it names.
     */
    public static void checkOnlyOwnFiles(Path folder, String label) {
        Path absolute = folder.toAbsolutePath().normalize();
        if (!Files.isRegularFile(absolute.resolve(NAME), LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<String> foreign = new ArrayList<>();
        try {
            collectForeign(absolute, List.of(Map.entry(absolute, read(absolute))), absolute, foreign);
        } catch (IOException | UncheckedIOException e) {
            throw new AmendException("cannot read folder " + label + ": " + e.getMessage(), e);
        }
        if (!foreign.isEmpty()) {
            throw new AmendException("cannot write to " + label + ": it holds " + foreign.get(0)
                    + (foreign.size() > 1 ? " and " + (foreign.size() - 1) + " more file"
                            + (foreign.size() > 2 ? "s" : "") : "")
                    + " that amend did not write, which replacing the folder would delete; move "
                    + (foreign.size() > 1 ? "them" : "it") + " away or choose another folder");
        }
    }

    // Files under dir, as paths relative to top, that no list of a folder from top down to dir
    // names (lists: each with its folder, outermost first).
    private static void collectForeign(Path top, List<Map.Entry<Path, TreeSet<String>>> lists, Path dir,
            List<String> foreign) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.equals(NAME) || AtomicFolders.isLeftover(name)) {
                    continue;
                }
                if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    if (Files.isRegularFile(entry.resolve(NAME), LinkOption.NOFOLLOW_LINKS)) {
                        if (!named(lists, entry)) {
                            foreign.add(relative(top, entry) + "/");
                            continue;
                        }
                        List<Map.Entry<Path, TreeSet<String>>> inner = new ArrayList<>(lists);
                        inner.add(Map.entry(entry, read(entry)));
                        collectForeign(top, inner, entry, foreign);
                    } else if (!named(lists, entry)) {
                        // A folder of the user's, even an empty one, which replacing would delete too.
                        foreign.add(relative(top, entry) + "/");
                    } else {
                        collectForeign(top, lists, entry, foreign);
                    }
                } else if (!listed(lists, entry)) {
                    foreign.add(relative(top, entry));
                }
            }
        }
    }

    private static boolean listed(List<Map.Entry<Path, TreeSet<String>>> lists, Path file) {
        for (Map.Entry<Path, TreeSet<String>> list : lists) {
            if (list.getValue().contains(relative(list.getKey(), file))) {
                return true;
            }
        }
        return false;
    }

    // A list names the folder itself (registered when it was added) or files under it (written with it).
    private static boolean named(List<Map.Entry<Path, TreeSet<String>>> lists, Path folder) {
        for (Map.Entry<Path, TreeSet<String>> list : lists) {
            String rel = relative(list.getKey(), folder);
            String prefix = rel + "/";
            String next = list.getValue().ceiling(prefix);
            if (list.getValue().contains(rel) || next != null && next.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static TreeSet<String> read(Path folder) {
        try {
            TreeSet<String> names = new TreeSet<>();
            for (String line : Files.readAllLines(folder.resolve(NAME), StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    names.add(line.strip());
                }
            }
            return names;
        } catch (IOException e) {
            throw new AmendException("cannot read " + folder.resolve(NAME) + ": " + e.getMessage(), e);
        }
    }

    private static String relative(Path folder, Path p) {
        return folder.relativize(p).toString().replace('\\', '/');
    }
}
