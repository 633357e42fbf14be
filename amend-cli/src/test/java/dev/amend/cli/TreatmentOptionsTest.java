package dev.amend.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.amend.AmendException;
import dev.amend.treat.TreatmentFactory;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The treatment options resolve their defaults before core sees them: --start-candidate reaches it as a value. */
class TreatmentOptionsTest {

    private static TreatmentOptions parse(String... args) {
        TreatmentOptions options = new TreatmentOptions();
        new CommandLine(options).parseArgs(args);
        return options;
    }

    @Test
    void startCandidateLeftOutIsTheFactoryDefault() {
        assertThat(parse().create("retrain", 0).settings())
                .containsEntry("start_candidate", TreatmentFactory.DEFAULT_START_CANDIDATE);
        assertThat(parse("--start-candidate", "true").create("ewc-deletion", 0).settings())
                .containsEntry("start_candidate", true);
    }

    @Test
    void newtonRemovalRefusesOnlyAStartCandidateItCannotHonour() {
        assertThat(parse().create("newton-removal", 0).name()).isEqualTo("newton-removal");
        assertThat(parse("--start-candidate", "false").create("newton-removal", 0).name()).isEqualTo("newton-removal");
        assertThatThrownBy(() -> parse("--start-candidate", "true").create("Newton-Removal", 0))
                .isInstanceOf(AmendException.class)
                .hasMessageContaining("start-candidate does not apply to treatment newton-removal");
    }
}
