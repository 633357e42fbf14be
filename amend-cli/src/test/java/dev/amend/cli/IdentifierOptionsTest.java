package dev.amend.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.amend.AmendException;
import dev.amend.identify.Identifiers;
import dev.amend.identify.InverseHvp;
import dev.amend.model.ModelHandle.Curvature;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The identification options fill the methods' settings records: defaults, or a base such as the bench's budgets. */
class IdentifierOptionsTest {

    private static IdentifierOptions parse(String... args) {
        IdentifierOptions options = new IdentifierOptions();
        new CommandLine(options).parseArgs(args);
        return options;
    }

    @Test
    void optionsNotGivenKeepTheDefaultsOrTheBase() {
        assertThat(parse().options()).isEqualTo(Identifiers.Options.DEFAULTS);
        Identifiers.Options bench = BenchIdentifyCommand.benchOptions(parse("--lissa-depth", "7"));
        assertThat(bench.linearInfluence().lissaDepth()).isEqualTo(7);
        assertThat(bench.linearInfluence().cgMaxIterations()).isEqualTo(BenchIdentifyCommand.CG_ITERATIONS);
        assertThat(bench.linearInfluence().curvature()).isEqualTo(Curvature.GGN);
        assertThat(bench.linearInfluence().damping()).isEqualTo(InverseHvp.DEFAULT_DAMPING);
        assertThat(parse("--ewc-lambda", "2").options().ewcInfluence().lambda()).isEqualTo(2.0);
    }

    @Test
    void anOptionForAnotherMethodIsRefusedOnlyWhenOneMethodRuns() {
        IdentifierOptions given = parse("--ewc-lambda", "1", "--last-epochs", "2");
        assertThat(given.options().sgdInfluence().lastEpochs()).isEqualTo(2);
        assertThatThrownBy(() -> given.options("influence-cg")).isInstanceOf(AmendException.class)
                .hasMessage("--ewc-lambda (ewc-influence only), --last-epochs (sgd-influence only) do not apply to "
                        + "influence-cg");
        assertThatThrownBy(() -> parse("--lissa-scale", "0").options()).isInstanceOf(AmendException.class)
                .hasMessage("lissa-scale must be a positive number, got 0.0");
    }
}
