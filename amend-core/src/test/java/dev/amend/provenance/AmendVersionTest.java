package dev.amend.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AmendVersionTest {
    @Test
    void theSourceRevisionTheLauncherPassesReachesProvenance() {
        String before = System.getProperty(AmendVersion.SOURCE_PROPERTY);
        try {
            System.setProperty(AmendVersion.SOURCE_PROPERTY, " 4ee49e5a1b2c-dirty ");
            assertThat(AmendVersion.source()).isEqualTo("4ee49e5a1b2c-dirty");
            assertThat(Provenance.capture(List.of("demo"), 0, Instant.EPOCH).amendSource()).isEqualTo("4ee49e5a1b2c-dirty");

            System.setProperty(AmendVersion.SOURCE_PROPERTY, "");
            assertThat(AmendVersion.source()).isNull();
            System.clearProperty(AmendVersion.SOURCE_PROPERTY);
            assertThat(AmendVersion.source()).isNull();
        } finally {
            if (before != null) {
                System.setProperty(AmendVersion.SOURCE_PROPERTY, before);
            }
        }
    }
}
