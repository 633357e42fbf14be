package dev.amend.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.stream.Stream;

/** What a folder holds, to compare before and after a command: "nothing written, nothing changed". */
final class FolderSnapshot {
    private FolderSnapshot() {
    }

    /** Names and SHA-256 of every file under {@code root}, hidden ones too; "absent" if there is none. */
    static String of(Path root) {
        if (!Files.exists(root)) {
            return "absent";
        }
        try (Stream<Path> walk = Files.walk(root)) {
            StringBuilder s = new StringBuilder();
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path p : walk.sorted().toList()) {
                s.append(root.relativize(p));
                if (Files.isRegularFile(p)) {
                    s.append(' ').append(HexFormat.of().formatHex(sha.digest(Files.readAllBytes(p))));
                }
                s.append('\n');
            }
            return s.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
