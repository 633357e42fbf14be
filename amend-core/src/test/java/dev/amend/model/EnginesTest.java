package dev.amend.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.amend.AmendException;
import org.junit.jupiter.api.Test;

/** The engine's thread count: a user's bad value is a one-line AmendException, like every user error. */
class EnginesTest {
    @Test
    void aThreadCountBelowOneIsAUserError() {
        for (int threads : new int[] {0, -2}) {
            assertThatThrownBy(() -> Engines.configure(threads)).isInstanceOf(AmendException.class)
                    .hasMessage("threads must be at least 1, got " + threads);
        }
        assertThat(Engines.threads()).isPositive();
    }
}
