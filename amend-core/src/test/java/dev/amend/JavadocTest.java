package dev.amend;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library's API documentation builds: no doc comment of amend-core breaks the javadoc tool. */
class JavadocTest {
    @Test
    void theJavadocOfAmendCoreBuilds(@TempDir Path out) {
        ToolProvider javadoc = ToolProvider.findFirst("javadoc").orElseThrow();
        StringWriter log = new StringWriter();
        PrintWriter w = new PrintWriter(log);

        int rc = javadoc.run(w, w, "-quiet", "-Xdoclint:html,syntax", "-d", out.toString(), "-sourcepath",
                Path.of("src/main/java").toString(), "-subpackages", "dev.amend", "-cp",
                System.getProperty("java.class.path"));

        w.flush();
        assertThat(log.toString().lines().filter(l -> l.contains("error:")).toList()).as(log.toString()).isEmpty();
        assertThat(rc).as(log.toString()).isZero();
    }
}
