package io.kulipa.providers.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SimPinTest {

    @Test
    void aHashIsSaltedSlowAndMatchesOnlyItsPin() {
        String first = SimPin.hash("4321");
        String second = SimPin.hash("4321");

        assertThat(first).startsWith("pbkdf2-sha256$" + SimPin.PBKDF2_ITERATIONS + "$").doesNotContain("4321");
        assertThat(first).as("a salt of its own").isNotEqualTo(second);
        assertThat(SimPin.matches(first, "1234", "4321")).isTrue();
        assertThat(SimPin.matches(second, "1234", "4321")).isTrue();
        assertThat(SimPin.matches(first, "1234", "1234")).as("a chosen PIN replaces the opening one").isFalse();
        assertThat(SimPin.matches(first, "1234", "43210")).isFalse();
        assertThat(SimPin.matches(first, "1234", null)).isFalse();
    }

    @Test
    void noHashMeansTheOpeningPin() {
        assertThat(SimPin.matches(null, "1234", "1234")).isTrue();
        assertThat(SimPin.matches(null, "1234", "0000")).isFalse();
    }

    @Test
    void aHashThisCodeDidNotWriteMatchesNothing() {
        assertThat(SimPin.matches("4321", "1234", "4321")).isFalse();
        assertThat(SimPin.matches("pbkdf2-sha256$999999999$AAAA$AAAA", "1234", "4321")).isFalse();
        assertThat(SimPin.matches("md5$1$AAAA$AAAA", "1234", "4321")).isFalse();
    }
}
