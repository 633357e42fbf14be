package dev.amend.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.amend.AmendException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replacing an output folder never deletes a file amend did not write (docs/errors.md, "Output folders"). */
class OutputManifestTest {
    @TempDir
    Path dir;

    private static AtomicFolders.Writer files(String content) {
        return tmp -> {
            Files.writeString(tmp.resolve(OutputOwner.PROVENANCE), "{\"command\" : \"repair\"}");
            Files.writeString(tmp.resolve("result.txt"), content);
            Files.createDirectories(tmp.resolve("model"));
            Files.writeString(tmp.resolve("model/weights.bin"), content);
        };
    }

    @Test
    void aFolderHoldingAUsersFileIsNotReplaced() throws IOException {
        Path target = dir.resolve("out");
        AtomicFolders.write(target, "folder", f -> true, files("first"));
        Files.writeString(target.resolve("model/notes.txt"), "mine");

        assertThatThrownBy(() -> AtomicFolders.write(target, "folder", f -> true, files("second")))
                .isInstanceOf(AmendException.class)
                .hasMessage("cannot write to " + target + ": it holds model/notes.txt that amend did not write, which"
                        + " replacing the folder would delete; move it away or choose another folder");
        assertThatThrownBy(() -> AtomicFolders.checkWritable(target, "repair"))
                .isInstanceOf(AmendException.class).hasMessageContaining("model/notes.txt");
        assertThat(Files.readString(target.resolve("result.txt"))).isEqualTo("first");
        assertThat(Files.readString(target.resolve("model/notes.txt"))).isEqualTo("mine");
    }

    @Test
    void anEmptyFolderOfTheUsersIsNotDeletedEither() throws IOException {
        Path target = dir.resolve("out");
        AtomicFolders.write(target, "folder", f -> true, files("first"));
        Files.createDirectories(target.resolve("model/mine"));

        assertThatThrownBy(() -> AtomicFolders.checkWritable(target, "repair"))
                .isInstanceOf(AmendException.class).hasMessageContaining("it holds model/mine/ that amend did not write");
    }

    @Test
    void aFileOfTheUsersIsNotOverwrittenByAFileAmendAddsLater() throws IOException {
        Path target = dir.resolve("out");
        AtomicFolders.write(target, "folder", f -> true, files("first"));
        Files.writeString(target.resolve("report.html"), "my own notes");

        assertThatThrownBy(() -> AtomicFiles.writeString(target.resolve("report.html"), "<html></html>"))
                .isInstanceOf(AmendException.class)
                .hasMessage("cannot write " + target.resolve("report.html") + ": a file of that name is there and amend"
                        + " did not write it; move it away or write elsewhere");
        assertThat(Files.readString(target.resolve("report.html"))).isEqualTo("my own notes");
        // Its own files amend overwrites as before.
        AtomicFiles.writeString(target.resolve("result.txt"), "again");
        assertThat(Files.readString(target.resolve("result.txt"))).isEqualTo("again");
    }

    @Test
    void anEarlierOutputMissingSomeOfItsFilesIsStillReplaced() throws IOException {
        Path target = dir.resolve("out");
        AtomicFolders.write(target, "folder", f -> Files.isDirectory(f.resolve("model")), files("first"));
        AtomicFolders.deleteRecursively(target.resolve("model"));    // taken away to deploy it

        // Not by another command's output, and not by a writer that records no command.
        AtomicFolders.Writer other = tmp -> Files.writeString(tmp.resolve(OutputOwner.PROVENANCE), "{}");
        assertThatThrownBy(() -> AtomicFolders.write(target, "folder", f -> Files.isDirectory(f.resolve("model")),
                other)).isInstanceOf(AmendException.class).hasMessageContaining("is not an amend folder");
        assertThat(Files.readString(target.resolve("result.txt"))).isEqualTo("first");

        assertThat(AtomicFolders.write(target, "folder", f -> Files.isDirectory(f.resolve("model")), files("second")))
                .isTrue();
        assertThat(Files.readString(target.resolve("result.txt"))).isEqualTo("second");
    }

    @Test
    void whatAmendAddsLaterIsItsOwnAndTheFolderIsReplaced() throws IOException {
        Path target = dir.resolve("out");
        AtomicFolders.write(target, "folder", f -> true, files("first"));
        // A report written into the finished folder, and a folder written inside it (a demo's repair/).
        AtomicFiles.writeString(target.resolve("report.html"), "<html></html>");
        AtomicFolders.write(target.resolve("repair"), "folder", f -> true, files("inner"));
        AtomicFiles.writeString(target.resolve("repair/report.html"), "<html></html>");

        assertThat(AtomicFolders.checkWritable(target, "repair")).isTrue();
        assertThat(AtomicFolders.write(target, "folder", f -> true, files("second"))).isTrue();
        assertThat(Files.readString(target.resolve("result.txt"))).isEqualTo("second");
        assertThat(target.resolve("report.html")).doesNotExist();
    }

    @Test
    void aCopiedAmendFolderInsideIsNotTheFoldersOwn() throws IOException {
        Path target = dir.resolve("out");
        AtomicFolders.write(target, "folder", f -> true, files("first"));
        AtomicFolders.write(dir.resolve("elsewhere"), "folder", f -> true, files("kept"));
        Files.move(dir.resolve("elsewhere"), target.resolve("kept"));

        assertThatThrownBy(() -> AtomicFolders.checkWritable(target, "repair"))
                .isInstanceOf(AmendException.class).hasMessageContaining("it holds kept/ that amend did not write");
    }

    @Test
    void severalForeignFilesAreCountedAndAFolderWithoutAListIsReplacedAsBefore() throws IOException {
        Path target = dir.resolve("out");
        AtomicFolders.write(target, "folder", f -> true, files("first"));
        Files.writeString(target.resolve("a.txt"), "mine");
        Files.writeString(target.resolve("b.txt"), "mine");
        Files.writeString(target.resolve("c.txt"), "mine");
        assertThatThrownBy(() -> AtomicFolders.checkWritable(target, "repair"))
                .isInstanceOf(AmendException.class).hasMessageContaining(" and 2 more files that amend did not write")
                .hasMessageContaining("move them away");

        // Written before amend kept the list: no list, replaced as before.
        Path legacy = dir.resolve("legacy");
        AtomicFolders.write(legacy, "folder", f -> true, files("old"));
        Files.delete(legacy.resolve(OutputManifest.NAME));
        Files.writeString(legacy.resolve("notes.txt"), "mine");
        assertThat(AtomicFolders.checkWritable(legacy, "repair")).isTrue();
    }
}
