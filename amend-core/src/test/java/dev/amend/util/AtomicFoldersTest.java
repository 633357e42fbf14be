package dev.amend.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.amend.AmendException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replacing a folder: recoverable after a kill, and only by the command that wrote it. */
class AtomicFoldersTest {
    @TempDir
    Path dir;

    // A process id no running process has.
    private static final long DEAD = 999_999_999L;

    private static AtomicFolders.Writer files(String command, String content) {
        return tmp -> {
            Files.writeString(tmp.resolve(OutputOwner.PROVENANCE), "{\"command\" : \"" + command + "\"}");
            Files.writeString(tmp.resolve("result.txt"), content);
        };
    }

    @Test
    void aFolderLeftAsideByAKilledReplacementIsRestored() throws IOException {
        Path target = dir.resolve("out");
        AtomicFolders.write(target, "folder", f -> true, files("train", "first"));
        Path old = dir.resolve(".out.old-" + DEAD + "-42");
        Files.move(target, old);
        Path half = Files.createDirectories(dir.resolve(".out.tmp-" + DEAD + "-43"));

        List<String> done = AtomicFolders.recover(target);

        assertThat(done).hasSize(2);
        assertThat(done.get(0)).startsWith("restored " + target);
        assertThat(Files.readString(target.resolve("result.txt"))).isEqualTo("first");
        assertThat(old).doesNotExist();
        assertThat(half).doesNotExist();
    }

    @Test
    void aCopyLeftBesideACompleteFolderIsRemovedAndWritesCleanUpToo() throws IOException {
        Path target = dir.resolve("out");
        AtomicFolders.write(target, "folder", f -> true, files("train", "first"));
        Path old = Files.createDirectories(dir.resolve(".out.old-" + DEAD + "-1"));
        Path legacy = Files.createDirectories(dir.resolve(".out.tmp-123456789"));

        AtomicFolders.write(target, "folder", f -> true, files("train", "second"));

        assertThat(Files.readString(target.resolve("result.txt"))).isEqualTo("second");
        assertThat(old).doesNotExist();
        assertThat(legacy).doesNotExist();
        try (var entries = Files.list(dir)) {
            assertThat(entries).containsExactly(target);
        }
    }

    @Test
    void anEarlierResultLeftBesideAFolderOfSomethingElseIsKept() throws IOException {
        Path target = dir.resolve("out");
        AtomicFolders.write(target, "folder", f -> true, files("repair", "the earlier repair"));
        // A kill between the renames left the earlier result aside; the user then made a folder of their own there.
        Path old = dir.resolve(".out.old-" + DEAD + "-1");
        Files.move(target, old);
        Files.createDirectories(target);
        Files.writeString(target.resolve("notes.txt"), "mine");

        List<String> notes = AtomicFolders.recover(target);

        assertThat(notes).singleElement().asString().startsWith("kept " + old + ", the earlier folder");
        assertThat(Files.readString(old.resolve("result.txt"))).isEqualTo("the earlier repair");
        assertThat(Files.readString(target.resolve("notes.txt"))).isEqualTo("mine");
    }

    @Test
    void anotherCommandsFolderIsNotReplacedEvenWhenItsKindMatches() throws IOException {
        Path target = dir.resolve("out");
        AtomicFolders.write(target, "folder", f -> true, files("treat", "treated"));

        assertThatThrownBy(() -> AtomicFolders.write(target, "folder", f -> true, files("train", "trained")))
                .isInstanceOf(AmendException.class)
                .hasMessageContaining("the output of 'amend treat'").hasMessageContaining("'amend train'");
        assertThat(Files.readString(target.resolve("result.txt"))).isEqualTo("treated");
        try (var entries = Files.list(dir)) {
            assertThat(entries).containsExactly(target);
        }
    }

    @Test
    void theCommandOfAFolderWrittenBeforeTheFieldExistedComesFromItsArguments() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("legacy"));
        Files.writeString(folder.resolve(OutputOwner.PROVENANCE),
                "{\"arguments\" : [\"--debug\", \"experiment\", \"identify\", \"--seeds\", \"3\"]}");

        assertThat(OutputOwner.of(folder)).isEqualTo("experiment identify");
        assertThat(AtomicFolders.checkWritable(folder, "experiment identify")).isTrue();
        assertThatThrownBy(() -> AtomicFolders.checkWritable(folder, "train")).isInstanceOf(AmendException.class);
    }
}
