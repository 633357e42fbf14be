package dev.amend.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** How a failure-data or check-data spec is recorded in spec.json: its paths absolute, its options kept. */
class QuerySetsTest {
    private static String abs(String p) {
        return Path.of(p).toAbsolutePath().normalize().toString();
    }

    @Test
    void aSpecIsRecordedWithAbsolutePathsAndItsOptions() {
        assertThat(QuerySets.absolute("csv:fail.csv")).isEqualTo("csv:" + abs("fail.csv"));
        assertThat(QuerySets.absolute("csv:fail.csv,shape=3x32x32")).isEqualTo("csv:" + abs("fail.csv")
                + ",shape=3x32x32");
        assertThat(QuerySets.absolute("csv:a/../fail.csv,features")).isEqualTo("csv:" + abs("fail.csv") + ",features");
        assertThat(QuerySets.absolute("idx:imgs,labels")).isEqualTo("idx:" + abs("imgs") + "," + abs("labels"));
        assertThat(QuerySets.absolute("folder:failing")).isEqualTo("folder:" + abs("failing"));
        assertThat(QuerySets.absolute("/already/absolute.csv")).isEqualTo("/already/absolute.csv");
        assertThat(QuerySets.absolute(null)).isNull();
    }
}
