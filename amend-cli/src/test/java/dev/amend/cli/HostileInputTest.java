package dev.amend.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input: damaged, random, huge or misplaced files and values, given to every reader
 * and command. Each case must end the way README.md promises for a user's mistake: exit code
 * 2, one line on stderr starting "amend: ", no output folder (not even a hidden leftover), and
 * no file changed. Tiny data, logistic regression, one epoch: the whole suite takes seconds.
 */
class HostileInputTest {
    @TempDir
    static Path dir;

    static String data;
    static Path run;
    static Path out;
    static Random random = new Random(13);

    @BeforeAll
    static void trainOnce() {
        data = TinyCsv.write(dir.resolve("data"), 300, 150, 1);
        run = dir.resolve("run");
        CliRun r = CliRun.amend("train", "--data", data, "--model", "logreg", "--epochs", "1", "--quiet", "--out",
                run.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        out = dir.resolve("out");
    }

    /** Runs {@code args} (with --out and --quiet added where the command takes them) and checks the promises. */
    static CliRun refused(String... args) {
        String before = FolderSnapshot.of(dir);
        List<String> all = new ArrayList<>(List.of(args));
        boolean writes = List.of("train", "identify", "treat", "repair").contains(args[0]);
        if (writes && !all.contains("--out")) {
            all.add("--out");
            all.add(out.toString());
        }
        if (writes) {
            all.add("--quiet");
        }
        CliRun r = CliRun.amend(all.toArray(String[]::new));
        String what = String.join(" ", all) + "\nstderr: " + r.err();
        assertThat(r.exitCode()).as(what).isEqualTo(ErrorHandler.USER_ERROR);
        assertThat(r.errLines()).as(what).hasSize(1);
        assertThat(r.errLines()[0]).as(what).startsWith("amend: ").doesNotContain("internal error");
        assertThat(FolderSnapshot.of(dir)).as("nothing written or changed by " + what).isEqualTo(before);
        return r;
    }

    static Path write(String name, byte[] bytes) {
        try {
            Path file = dir.resolve("inputs").resolve(name);
            Files.createDirectories(file.getParent());
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** Random contents for a reader: empty, one byte, a few hundred and a few thousand bytes. */
    static List<byte[]> garbage() {
        return List.of(new byte[0], randomBytes(1), randomBytes(300), randomBytes(5000));
    }

    static byte[] idxImages(int count, int height, int width, byte[] pixels) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(0x00000803);
            out.writeInt(count);
            out.writeInt(height);
            out.writeInt(width);
            out.write(pixels);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] idxLabels(byte[] labels) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(0x00000801);
            out.writeInt(labels.length);
            out.write(labels);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** idx:TRAIN_IMAGES,TRAIN_LABELS,TEST_IMAGES,TEST_LABELS for 3x3 images with the given labels. */
    static String idx(String name, byte[] trainLabels, byte[] testLabels) {
        Path a = write(name + "-train-images", idxImages(trainLabels.length, 3, 3, randomBytes(9 * trainLabels.length)));
        Path b = write(name + "-train-labels", idxLabels(trainLabels));
        Path c = write(name + "-test-images", idxImages(testLabels.length, 3, 3, randomBytes(9 * testLabels.length)));
        Path d = write(name + "-test-labels", idxLabels(testLabels));
        return "idx:" + a + "," + b + "," + c + "," + d;
    }

    static byte[] digits(int n) {
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 10);
        }
        return labels;
    }

    // ---- random bytes fed to every reader ----

    @Test
    void randomBytesAsIdxFilesAreRefused() {
        int i = 0;
        for (byte[] bytes : garbage()) {
            Path f = write("random-" + i++ + ".idx", bytes);
            refused("train", "--data", "idx:" + f + "," + f + "," + f + "," + f, "--model", "logreg");
        }
        // A valid magic number and header in front of the garbage.
        Path images = write("magic-images", idxImages(100, 28, 28, randomBytes(500)));
        Path labels = write("magic-labels", idxLabels(randomBytes(100)));
        refused("train", "--data", "idx:" + images + "," + labels + "," + images + "," + labels, "--model", "logreg");
    }

    @Test
    void randomBytesAsCsvFilesAreRefused() {
        int i = 0;
        for (byte[] bytes : garbage()) {
            Path f = write("random-" + i++ + ".csv", bytes);
            refused("train", "--data", "csv:" + f + "," + f, "--model", "logreg");
        }
    }

    @Test
    void randomBytesAsCifarBatchesAreRefused() {
        int i = 0;
        for (byte[] bytes : garbage()) {
            Path folder = dir.resolve("inputs").resolve("cifar-" + i++);
            for (String name : List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                    "data_batch_5.bin", "test_batch.bin")) {
                write(dir.resolve("inputs").relativize(folder.resolve(name)).toString(), bytes);
            }
            refused("train", "--data", "cifar10:" + folder, "--model", "logreg");
        }
    }

    @Test
    void randomBytesAsImagesOfAnImageFolderAreRefused() {
        int i = 0;
        for (byte[] bytes : garbage()) {
            String root = "folder-" + i++;
            write(root + "/train/a/x.png", bytes);
            write(root + "/train/b/y.png", bytes);
            write(root + "/test/a/z.png", bytes);
            refused("train", "--data", "folder:" + dir.resolve("inputs").resolve(root), "--model", "logreg");
        }
    }

    @Test
    void randomBytesAsARankingAreRefused() throws IOException {
        int i = 0;
        for (byte[] bytes : garbage()) {
            Path csv = write("ranking-" + i + "/ranking.csv", bytes);
            refused("treat", "--run", run.toString(), "--ranking", csv.toString(), "--top-k", "5");
            // A valid ranking.csv beside a random ranking.json.
            Path folder = dir.resolve("inputs").resolve("ranking-json-" + i++);
            CliRun made = CliRun.amend("identify", "--run", run.toString(), "--method", "random", "--quiet", "--out",
                    folder.toString());
            assertThat(made.exitCode()).as(made.err()).isZero();
            Files.write(folder.resolve("ranking.json"), bytes);
            refused("treat", "--run", run.toString(), "--ranking", folder.toString(), "--top-k", "5");
        }
    }

    @Test
    void randomBytesAsAModelAreRefused() throws IOException {
        int i = 0;
        for (byte[] bytes : garbage()) {
            Path model = dir.resolve("inputs").resolve("model-" + i);
            Files.createDirectories(model);
            Files.write(model.resolve("model.json"), bytes);
            Files.copy(run.resolve("model/parameters.ndlist"), model.resolve("parameters.ndlist"));
            refused("eval", "--model", model.toString(), "--data", data);
            // A valid model.json with random parameters.
            Path params = dir.resolve("inputs").resolve("params-" + i);
            Files.createDirectories(params);
            Files.copy(run.resolve("model/model.json"), params.resolve("model.json"));
            Files.write(params.resolve("parameters.ndlist"), bytes);
            refused("eval", "--model", params.toString(), "--data", data);
            Path pt = write("model-" + i++ + ".pt", bytes);
            refused("eval", "--model", pt.toString(), "--data", data);
            refused("identify", "--model", pt.toString(), "--data", data, "--method", "random", "--query-indices",
                    write("q.txt", "0\n".getBytes(StandardCharsets.UTF_8)).toString());
        }
    }

    @Test
    void randomBytesAsARunAreRefused() throws IOException {
        Path broken = dir.resolve("inputs").resolve("broken-run");
        for (String file : List.of("spec.json", "metrics.json", "mask.csv", "train-data.bin", "validation-data.bin")) {
            copyTree(run, broken);
            Files.write(broken.resolve(file), randomBytes(700));
            refused("eval", "--run", broken.toString());
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        dev.amend.util.AtomicFolders.deleteRecursively(to);
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    // ---- the defects, one test each ----

    @Test
    void threadsBeyondFourPerProcessorAreRefused() {
        CliRun r = refused("train", "--data", data, "--model", "logreg", "--threads", "100000");
        assertThat(r.errLines()[0]).contains("--threads must be at most " + ThreadOptions.maxThreads());
    }

    @Test
    void anIdxLabelFarAboveTheOthersIsRefusedNotMadeAClass() {
        byte[] train = digits(100);
        train[17] = (byte) 255;
        CliRun r = refused("train", "--data", idx("stray", train, digits(30)), "--model", "logreg");
        assertThat(r.errLines()[0]).contains("256 classes", "largest label 255 in row 17", "only 11 of them have a training example");
    }

    @Test
    void emptyIdxPartsAreRefusedLikeEmptyCsvFiles() {
        CliRun test = refused("train", "--data", idx("empty-test", digits(100), new byte[0]), "--model", "logreg");
        assertThat(test.errLines()[0]).contains("holds no images");
        CliRun train = refused("train", "--data", idx("empty-train", new byte[0], digits(30)), "--model", "logreg");
        assertThat(train.errLines()[0]).contains("holds no images");
        Path empty = write("empty.csv", new byte[0]);
        CliRun csv = refused("train", "--data", "csv:" + dir.resolve("data/train.csv") + "," + empty, "--model",
                "logreg");
        assertThat(csv.errLines()[0]).contains("has no data lines");
    }

    @Test
    void aModelWithANaNInputMeanIsRefused() throws IOException {
        Path model = dir.resolve("inputs").resolve("nan-mean");
        copyTree(run.resolve("model"), model);
        String json = Files.readString(model.resolve("model.json"));
        Files.writeString(model.resolve("model.json"), json.replaceFirst("\"inputMean\" : \\[ [^\\]]* \\]",
                "\"inputMean\" : [ \"NaN\" ]"));
        CliRun r = refused("eval", "--model", model.toString(), "--data", data);
        assertThat(r.errLines()[0]).contains("input mean of channel 0 is NaN");
    }

    @Test
    void aBitFlipInTheParametersIsCaughtByTheChecksum() throws IOException {
        Path model = dir.resolve("inputs").resolve("flipped");
        copyTree(run.resolve("model"), model);
        byte[] params = Files.readAllBytes(model.resolve("parameters.ndlist"));
        params[params.length - 3] ^= 0x10;
        Files.write(model.resolve("parameters.ndlist"), params);
        CliRun r = refused("eval", "--model", model.toString(), "--data", data);
        assertThat(r.errLines()[0]).contains("parameters.ndlist is damaged or was replaced: its SHA-256");
    }

    @Test
    void aZipBombPtIsRefusedBeforeItIsUnpacked() throws IOException {
        Path bomb = dir.resolve("inputs").resolve("bomb.pt");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(bomb))) {
            zip.putNextEntry(new ZipEntry("archive/code/m.py"));
            zip.write("x".getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("archive/data.pkl"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 200; i++) {
                zip.write(zeros);
            }
            zip.closeEntry();
        }
        assertThat(Files.size(bomb)).isLessThan(1 << 20);
        long start = System.nanoTime();
        CliRun r = refused("eval", "--model", bomb.toString(), "--data", data);
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(5);
        assertThat(r.errLines()[0]).contains("zip bomb");
    }

    @Test
    void aHugeModelOptionIsRefusedBeforeAllocation() {
        CliRun r = refused("train", "--data", data, "--model", "mlp", "--model-option", "hidden=100000000");
        assertThat(r.errLines()[0]).contains("parameters", "Java heap");
    }

    @Test
    void aPathJavaCannotRepresentIsAUserError() {
        // NUL is refused on every platform; a non-ASCII name under LC_ALL=C fails the same way
        // (checked in a separate JVM by aNonAsciiPathUnderTheCLocaleIsAUserError).
        CliRun r = refused("train", "--data", "csv:bad\u0000name.csv,x.csv", "--model", "logreg");
        assertThat(r.errLines()[0]).contains("cannot use the path");
        refused("train", "--data", data, "--model", "logreg", "--out", "bad\u0000out");
    }

    @Test
    void aNonAsciiPathUnderTheCLocaleIsAUserError() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                AmendCli.class.getName(), "data", "describe", "--data", "csv:" + dir.resolve("\u00e9t\u00e9.csv")
                + ",x.csv");
        builder.environment().put("LC_ALL", "C");
        builder.environment().remove("LANG");
        builder.environment().put("AMEND_DEBUG", "0");
        Process p = builder.redirectErrorStream(false).start();
        p.getOutputStream().close();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(err).isEqualTo(ErrorHandler.USER_ERROR);
        assertThat(err.strip().lines()).as(err).hasSize(1);
        assertThat(err).startsWith("amend: cannot use the path").contains("LC_ALL=C.UTF-8");
    }

    @Test
    void aPipeOrADeviceIsNamedAsSuch() throws Exception {
        CliRun device = refused("train", "--data", "csv:/dev/null," + dir.resolve("data/test.csv"), "--model", "logreg");
        assertThat(device.errLines()[0]).contains("/dev/null is not a regular file");
        Path fifo = dir.resolve("inputs").resolve("fifo.csv");
        Files.createDirectories(fifo.getParent());
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor()).isZero();
        try {
            CliRun pipe = refused("train", "--data", "csv:" + fifo + "," + fifo, "--model", "logreg");
            assertThat(pipe.errLines()[0]).contains("is not a regular file but a named pipe");
            CliRun ranking = refused("treat", "--run", run.toString(), "--ranking", fifo.toString(), "--top-k", "3");
            assertThat(ranking.errLines()[0]).doesNotContain("does not exist");
        } finally {
            Files.delete(fifo);
        }
    }

    @Test
    void aPtFileGivenToIdentifyIsNotCalledAMissingFolder() {
        Path pt = write("notamodel.pt", randomBytes(64));
        CliRun r = refused("identify", "--model", pt.toString(), "--data", data, "--method", "random",
                "--query-indices", write("q2.txt", "0\n".getBytes(StandardCharsets.UTF_8)).toString());
        assertThat(r.errLines()[0]).doesNotContain("does not exist").contains("not a TorchScript file");
        CliRun asRun = refused("identify", "--run", pt.toString(), "--method", "random");
        assertThat(asRun.errLines()[0]).contains("it is a file, not a run folder");
    }

    @Test
    void aBinaryRankingFileIsCalledNotText() {
        byte[] bytes = new byte[200];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (0x80 | i);
        }
        Path binary = write("binary/ranking.csv", bytes);
        CliRun r = refused("treat", "--run", run.toString(), "--ranking", binary.toString(), "--top-k", "3");
        assertThat(r.errLines()[0]).contains("is not a text file").doesNotContain("Input length");
    }

    @Test
    void anEmptyTrainingPartIsNamedAsSuch() {
        CliRun r = refused("train", "--data", idx("no-train", new byte[0], digits(20)), "--model", "logreg");
        assertThat(r.errLines()[0]).doesNotContain("mean");
    }

    @Test
    void aParserErrorIsOneLine() {
        CliRun r = refused("train", "--data", data, "--bogus");
        assertThat(r.errLines()[0]).contains("--bogus").endsWith("see 'amend train --help'");
        refused("train", "--epochs", "many");
    }

    @Test
    void anOutThatIsAFileIsRefusedBeforeWork() throws IOException {
        Path file = write("plain-file", "x".getBytes(StandardCharsets.UTF_8));
        refused("train", "--data", data, "--model", "logreg", "--out", file.toString());
    }

    @Test
    void idxImagesOfImpossibleSizeAreRefusedBeforeAllocation() {
        Path images = write("huge-images", idxImages(2, 100000, 100000, new byte[0]));
        Path labels = write("huge-labels", idxLabels(new byte[] {0, 1}));
        CliRun r = refused("train", "--data", "idx:" + images + "," + labels + "," + images + "," + labels, "--model",
                "logreg");
        assertThat(r.errLines()[0]).contains("announces images of 100000x100000");
        Path many = write("many-images", idxImages(2_000_000_000, 1, 1, new byte[0]));
        refused("train", "--data", "idx:" + many + "," + labels + "," + many + "," + labels, "--model", "logreg");
    }

    @Test
    void garbageOptionValuesAreRefused() {
        refused("train", "--data", data, "--model", "mlp", "--model-option", "hidden=99999999999999");
        refused("train", "--data", data, "--model", "logreg", "--threads", "0");
        refused("train", "--data", "csv:" + dir.resolve("nope.csv") + "," + dir.resolve("nope2.csv"));
        refused("eval", "--run", dir.resolve("no-such-run").toString());
        refused("treat", "--run", run.toString(), "--ranking", dir.resolve("nowhere").toString(), "--top-k", "3");
    }
}
