package dev.amend.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.amend.report.HtmlReport;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A repair's report.html as a browser shows it: headless Chromium (Debian's {@code chromium},
 * which .ci/run installs) takes a screenshot, which must not be blank, and reports whether every
 * image of the page loaded and every inline SVG plot was laid out with its lines and text, with every host name resolving nowhere so that nothing could be
 * fetched from the network. Skipped, with a message, where Chromium is not installed.
 */
class ReportBrowserTest {
    private static final Path[] CHROMIUM = {Path.of("/usr/bin/chromium"), Path.of("/usr/bin/chromium-browser")};
    private static final int WIDTH = 1200;

    @TempDir
    static Path dir;

    static Path chromium;
    static Path repaired;

    @BeforeAll
    static void repairATinyRun() {
        chromium = findChromium();
        Assumptions.assumeTrue(chromium != null, "chromium is not installed (apt-get install chromium, as .ci/run "
                + "does); the browser check of report.html is skipped");
        String data = TinyCsv.write(dir.resolve("data"), 300, 150, 5);
        Path run = dir.resolve("run");
        CliRun trained = CliRun.amend("train", "--data", data, "--scenario", "label-flip:pairs=0-1,rate=0.3", "--model",
                "mlp", "--model-option", "hidden=8", "--epochs", "4", "--seed", "1", "--quiet", "--out", run.toString());
        assertThat(trained.exitCode()).as(trained.err()).isZero();
        repaired = dir.resolve("repaired");
        CliRun repair = CliRun.amend("repair", "--run", run.toString(), "--top-k", "20", "--epochs", "3", "--quiet",
                "--out", repaired.toString());
        assertThat(repair.exitCode()).as(repair.err()).isZero();
    }

    private static Path findChromium() {
        for (Path p : CHROMIUM) {
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    @Test
    void theScreenshotShowsTheReport() throws Exception {
        Path png = dir.resolve("screenshot.png");
        chromium("--screenshot=" + png, "--window-size=" + WIDTH + ",3000",
                repaired.resolve(HtmlReport.FILE).toUri().toString());

        BufferedImage shot = ImageIO.read(png.toFile());
        assertThat(shot).as("a PNG screenshot").isNotNull();
        assertThat(shot.getWidth()).isEqualTo(WIDTH);
        long inked = 0;
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < shot.getHeight(); y += 2) {
            for (int x = 0; x < shot.getWidth(); x += 2) {
                int rgb = shot.getRGB(x, y) & 0xFFFFFF;
                colours.add(rgb);
                inked += rgb == 0xFFFFFF ? 0 : 1;
            }
        }
        long sampled = (long) (shot.getWidth() / 2) * (shot.getHeight() / 2);
        // Text, tables, plots and digit grids: far from blank, and in more than a few colours.
        assertThat(inked).as("non-white pixels of %d sampled", sampled).isGreaterThan(sampled / 20);
        assertThat(colours.size()).as("distinct colours").isGreaterThan(50);
    }

    @Test
    void everyImageLoadsWithoutTheNetwork() throws Exception {
        String html = Files.readString(repaired.resolve(HtmlReport.FILE));
        int images = ReportCommandTest.checkImagesAreInlinePngs(html);
        int plots = ReportCommandTest.checkInlineSvgs(html);
        assertThat(images).isGreaterThanOrEqualTo(3);
        assertThat(plots).isPositive();
        // A copy with a probe that marks the body with how many images the browser decoded, and
        // how many inline SVG plots it laid out at a readable size with their lines and text.
        String probe = "<script>window.addEventListener('load', function () { var all = document.images, ok = 0;"
                + " for (var i = 0; i < all.length; i++) { if (all[i].complete && all[i].naturalWidth > 0) ok++; }"
                + " document.body.setAttribute('data-loaded', ok + '/' + all.length);"
                + " var svgs = document.querySelectorAll('figure > svg'), drawn = 0;"
                + " for (var j = 0; j < svgs.length; j++) { var r = svgs[j].getBoundingClientRect();"
                + " if (r.width > 300 && r.height > 150 && svgs[j].querySelectorAll('path').length > 0"
                + " && svgs[j].querySelectorAll('text').length > 0) drawn++; }"
                + " document.body.setAttribute('data-plots', drawn + '/' + svgs.length); });</script>";
        Path checked = Files.writeString(dir.resolve("probe.html"), html.replace("</body>", probe + "</body>"));

        String dom = chromium("--dump-dom", "--virtual-time-budget=5000", checked.toUri().toString());

        Matcher m = Pattern.compile("data-loaded=\"(\\d+)/(\\d+)\"").matcher(dom);
        assertThat(m.find()).as("the probe ran: %s", dom.length() > 300 ? dom.substring(0, 300) : dom).isTrue();
        assertThat(Integer.parseInt(m.group(2))).isEqualTo(images);
        assertThat(Integer.parseInt(m.group(1))).as("images loaded").isEqualTo(images);
        Matcher p = Pattern.compile("data-plots=\"(\\d+)/(\\d+)\"").matcher(dom);
        assertThat(p.find()).as("the probe counted the plots").isTrue();
        assertThat(Integer.parseInt(p.group(2))).isEqualTo(plots);
        assertThat(Integer.parseInt(p.group(1))).as("plots drawn").isEqualTo(plots);
    }

    /** Runs headless Chromium on a fresh profile with every host unresolvable; returns its stdout. */
    private static String chromium(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND",
                "--user-data-dir=" + Files.createTempDirectory(dir, "profile")));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(dir.resolve("chromium.err").toFile()).start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 120 s");
        }
        assertThat(p.exitValue()).as("chromium exit code; stderr: %s", Files.readString(dir.resolve("chromium.err")))
                .isZero();
        return new String(out, StandardCharsets.UTF_8);
    }
}
