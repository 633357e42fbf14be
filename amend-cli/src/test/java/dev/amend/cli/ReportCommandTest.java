package dev.amend.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amend.report.HtmlPage;
import dev.amend.report.HtmlReport;
import dev.amend.util.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** amend report and the reports repair and treat write, on tiny runs; --json of identify, treat and repair. */
class ReportCommandTest {
    private static final Pattern IMG = Pattern.compile("<img [^>]*src=\"([^\"]*)\"");
    private static final Pattern SVG = Pattern.compile("<figure>(<svg .*?</svg\\s*>)", Pattern.DOTALL);

    @TempDir
    static Path dir;

    static String data;
    static Path run;
    static Path repaired;
    static CliRun repair;

    @BeforeAll
    static void repairATinyRun() {
        data = TinyCsv.write(dir.resolve("data"), 300, 150, 5);
        run = dir.resolve("run");
        CliRun trained = CliRun.amend("train", "--data", data, "--scenario", "label-flip:pairs=0-1,rate=0.3", "--model",
                "mlp", "--model-option", "hidden=8", "--epochs", "4", "--seed", "1", "--quiet", "--out", run.toString());
        assertThat(trained.exitCode()).as(trained.err()).isZero();
        repaired = dir.resolve("repaired");
        repair = CliRun.amend("repair", "--run", run.toString(), "--top-k", "20", "--epochs", "3", "--json", "--out",
                repaired.toString());
        assertThat(repair.exitCode()).as(repair.err()).isZero();
    }

    /** The page of {@code folder}'s report.html. */
    static String html(Path folder) throws Exception {
        return Files.readString(folder.resolve(HtmlReport.FILE));
    }

    /** Every img src of a page, checked to be a data: URI holding a PNG that decodes; returns how many. */
    static int checkImagesAreInlinePngs(String html) throws Exception {
        Matcher m = IMG.matcher(html);
        int count = 0;
        while (m.find()) {
            String src = m.group(1);
            assertThat(src).startsWith("data:image/png;base64,");
            byte[] png = Base64.getDecoder().decode(src.substring("data:image/png;base64,".length()));
            assertThat(ImageIO.read(new ByteArrayInputStream(png))).as("image %d decodes", count).isNotNull();
            count++;
        }
        return count;
    }

    /**
     * Every inline SVG figure of a page, checked to parse as XML on its own, to carry a size, and
     * to refer to nothing outside the page; returns how many.
     */
    static int checkInlineSvgs(String html) throws Exception {
        Matcher m = SVG.matcher(html);
        int count = 0;
        while (m.find()) {
            String svg = m.group(1);
            var root = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(svg.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .getDocumentElement();
            assertThat(root.getAttribute("viewBox")).as("figure %d's viewBox", count).isNotEmpty();
            assertThat(svg).as("figure %d", count).doesNotContain("http").doesNotContain("<image")
                    .doesNotContain("<script");
            count++;
        }
        return count;
    }

    @Test
    void repairWritesAReportWhoseTableEqualsMetricsJson() throws Exception {
        String html = html(repaired);
        JsonNode metrics = Json.mapper().readTree(repaired.resolve("metrics.json").toFile());

        assertThat(html).contains("<h2>What was run</h2>", "<h2>Before and after</h2>", "<h3>Acceptance check</h3>",
                "<h2>The most harmful training examples</h2>", "<h2>The least harmful training examples</h2>",
                "<h3>Failures fixed: ", "<h3>Failures still failing: ",
                "<h3>Correct test examples the repair broke (T\\F now wrong): ");
        String[][] rows = {{"F_q (query failures)", "F_q"}, {"F_h (holdout failures)", "F_h"},
            {"T\\F (rest of the test set)", "T_minus_F"}, {"T (whole test set)", "T"}};
        for (String[] row : rows) {
            double before = metrics.at("/before/" + row[1]).asDouble();
            double after = metrics.at("/after/" + row[1]).asDouble();
            assertThat(html).contains(String.format(Locale.ROOT, "<tr><td>%s</td><td class=\"num\">%d</td>"
                    + "<td class=\"num\">%.4f</td><td class=\"num\">%.4f</td><td>%+.4f</td></tr>", HtmlPage.escape(
                    row[0]), metrics.at("/sizes/" + row[1]).asInt(), before, after, after - before));
        }
        boolean accepted = metrics.at("/acceptance/accepted").asBoolean();
        assertThat(html).contains(accepted ? "class=\"verdict good\">ACCEPTED" : "class=\"verdict bad\">NOT ACCEPTED");
        assertThat(html).contains(HtmlPage.escape(metrics.at("/acceptance/reason").asText()));
        assertThat(html).contains("amend repair --run " + run);
        // The counts of the test grids are those of predictions.csv.
        List<String> predictions = Files.readAllLines(repaired.resolve("predictions.csv"));
        long fixed = predictions.stream().skip(1).map(l -> l.split(","))
                .filter(f -> f[2].startsWith("F_") && f[4].equals(f[1])).count();
        assertThat(html).contains("<h3>Failures fixed: " + fixed + "</h3>");
    }

    @Test
    void theReportIsSelfContained() throws Exception {
        String html = html(repaired);

        assertThat(html).doesNotContainIgnoringCase("http:").doesNotContainIgnoringCase("https:")
                .doesNotContain("<script").doesNotContain("<link");
        // url(...) only for a plot's clip paths inside the page.
        assertThat(html).doesNotContainPattern("url\\((?!#f\\d+-)");
        // Training curve-free repair: top/bottom of the ranking and up to three test grids as PNG,
        // the ranking quality as a plot.
        assertThat(checkImagesAreInlinePngs(html)).as("image grids").isGreaterThanOrEqualTo(3);
        assertThat(checkInlineSvgs(html)).as("corrupted among the top k").isEqualTo(1);
    }

    @Test
    void jsonPrintsMetricsJsonAndNothingElse() throws Exception {
        String metrics = Files.readString(repaired.resolve("metrics.json"));

        assertThat(repair.out().strip()).isEqualTo(metrics.strip());
        assertThat(Json.mapper().readTree(repair.out())).isEqualTo(Json.mapper().readTree(metrics));
        // The tables and the report's path went to stderr or nowhere.
        assertThat(repair.err()).contains("report");
    }

    @Test
    void treatAndIdentifyPrintTheirSummaryWithJson() throws Exception {
        Path treated = dir.resolve("treated");
        CliRun treat = CliRun.amend("treat", "--run", run.toString(), "--ranking", repaired.toString(), "--top-k", "5",
                "--epochs", "1", "--json", "--no-report", "--quiet", "--out", treated.toString());
        assertThat(treat.exitCode()).as(treat.err()).isZero();
        assertThat(Json.mapper().readTree(treat.out()))
                .isEqualTo(Json.mapper().readTree(treated.resolve("metrics.json").toFile()));
        assertThat(treat.err()).isEmpty();
        assertThat(treated.resolve(HtmlReport.FILE)).doesNotExist();

        Path identified = dir.resolve("identified");
        CliRun identify = CliRun.amend("identify", "--run", run.toString(), "--json", "--quiet", "--out",
                identified.toString());
        assertThat(identify.exitCode()).as(identify.err()).isZero();
        assertThat(identify.out().strip()).isEqualTo(Files.readString(identified.resolve("ranking.json")).strip());
    }

    @Test
    void reportsRunAndIdentificationFolders() throws Exception {
        CliRun onRun = CliRun.amend("report", run.toString());
        assertThat(onRun.exitCode()).as(onRun.err()).isZero();
        String runHtml = html(run);
        assertThat(runHtml).contains("<h2>Results</h2>", "<h2>Training</h2>", "<h2>Corrupted training examples</h2>");
        assertThat(checkImagesAreInlinePngs(runHtml)).as("the corrupted examples' grid").isEqualTo(1);
        assertThat(checkInlineSvgs(runHtml)).as("loss and accuracy per epoch").isEqualTo(2);

        Path identified = dir.resolve("identified-for-report");
        assertThat(CliRun.amend("identify", "--run", run.toString(), "--quiet", "--out", identified.toString())
                .exitCode()).isZero();
        CliRun onIdentification = CliRun.amend("report", identified.toString());
        assertThat(onIdentification.exitCode()).as(onIdentification.err()).isZero();
        String idHtml = html(identified);
        assertThat(idHtml).contains("<h2>Ranking</h2>", "<h2>Ranking quality</h2>",
                "<h2>The most harmful training examples</h2>", "<h2>The least harmful training examples</h2>");
        assertThat(checkImagesAreInlinePngs(idHtml)).as("most and least harmful").isEqualTo(2);
        assertThat(checkInlineSvgs(idHtml)).as("corrupted among the top k").isEqualTo(1);
    }

    @Test
    void rendersTheFigureRowsOfAnExperimentFolderAsGrids() throws Exception {
        Path experiment = Files.createDirectories(dir.resolve("experiment"));
        writeFigurePart(experiment);

        CliRun report = CliRun.amend("report", experiment.toString());

        assertThat(report.exitCode()).as(report.err()).isZero();
        String html = html(experiment);
        assertThat(html).contains("<h3>fig7-label-noise.csv</h3>", "<h3>fig2d-most-harmful.csv</h3>");
        assertThat(checkImagesAreInlinePngs(html)).isEqualTo(2);
    }

    @Test
    void rendersAPaperFolderWithEveryFinishedPart() throws Exception {
        Path paper = Files.createDirectories(dir.resolve("paper"));
        Files.writeString(paper.resolve("summary.json"), "{\"spec\":{\"data\":\"" + data + "\"},\"seconds\":12}");
        Path part = Files.createDirectories(paper.resolve("fig2-identify"));
        writeFigurePart(part);
        Files.writeString(part.resolve("part.json"), "{\"part\":\"fig2-identify\",\"seconds\":7.5,"
                + "\"finished\":\"2026-11-28T10:00:00Z\",\"headline\":{\"ewc-influence ROC-AUC\":\"0.99\"}}");
        Files.writeString(part.resolve("table.md"), "| method | ROC-AUC |\n| --- | --- |\n| ewc-influence | 0.99 |\n");
        Files.createDirectories(paper.resolve("base"));

        CliRun report = CliRun.amend("report", paper.toString());

        assertThat(report.exitCode()).as(report.err()).isZero();
        String html = html(paper);
        assertThat(html).contains("<h2>Parts</h2>", "<h2>Part fig2-identify</h2>", "ewc-influence ROC-AUC: 0.99",
                "<h4>fig7-label-noise.csv</h4>");
        assertThat(checkImagesAreInlinePngs(html)).isEqualTo(2);
    }

    /**
     * An experiment part's spec.json, results.json and two figure CSVs in the format the paper
     * experiment writes (class names as labels; one with a comma, quoted).
     */
    private void writeFigurePart(Path folder) throws IOException {
        Files.writeString(folder.resolve("spec.json"), "{\"base\":{\"data\":\"" + data + "\",\"poolSize\":3000,"
                + "\"dataSeed\":0}}");
        Files.writeString(folder.resolve("results.json"), "{}");
        StringBuilder rows = new StringBuilder(dev.amend.experiment.paper.RankingExperiment.CSV_HEADER).append('\n');
        for (int r = 0; r < 16; r++) {
            rows.append(r + 1).append(',').append(r).append(',').append(r).append(',').append(0.5 - r * 0.01)
                    .append(",1,").append(r % 2 == 0 ? "0" : "\"1,one\"").append(',').append(r % 2 == 0).append('\n');
        }
        Files.writeString(folder.resolve("fig7-label-noise.csv"), rows.toString());
        Files.writeString(folder.resolve("fig2d-most-harmful.csv"), rows.toString());
    }

    @Test
    void aFolderWithoutAResultIsAOneLineError() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {"report", empty.toString()});
        cases.add(new String[] {"report", dir.resolve("missing").toString()});
        for (String[] args : cases) {
            CliRun report = CliRun.amend(args);

            assertThat(report.exitCode()).isEqualTo(ErrorHandler.USER_ERROR);
            assertThat(report.errLines()).as(report.err()).hasSize(1);
            assertThat(report.errLines()[0]).startsWith("amend: no amend result in ");
        }
        assertThat(empty.resolve(HtmlReport.FILE)).doesNotExist();
    }

    @Test
    void quietRepairPrintsNothingOnStderrAndALogGetsPlainProgressLines() {
        CliRun quiet = CliRun.amend("repair", "--run", run.toString(), "--top-k", "5", "--epochs", "1", "--quiet",
                "--no-report", "--out", dir.resolve("quiet").toString());
        assertThat(quiet.exitCode()).as(quiet.err()).isZero();
        assertThat(quiet.err()).isEmpty();

        CliRun logged = CliRun.amend("repair", "--run", run.toString(), "--top-k", "5", "--epochs", "1", "--no-report",
                "--out", dir.resolve("logged").toString());
        assertThat(logged.exitCode()).as(logged.err()).isZero();
        // Not a terminal: plain lines when a task starts and ends, no carriage returns.
        assertThat(logged.err()).contains("Fisher diagonal over 270 examples: started (270 steps)\n",
                "Fisher diagonal over 270 examples: 270 steps in ", "finetune-remaining epoch 1/1").doesNotContain("\r");

        CliRun cg = CliRun.amend("identify", "--run", run.toString(), "--method", "influence-cg", "--curvature", "ggn",
                "--out", dir.resolve("cg").toString());
        assertThat(cg.exitCode()).as(cg.err()).isZero();
        assertThat(cg.err()).containsPattern("conjugate gradients: started \\(\\d+ steps\\)\n")
                .containsPattern("conjugate gradients: \\d+ steps in ");
    }
}
