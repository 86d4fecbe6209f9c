package io.kulipa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsRetentionTest {

    @Test
    void retentionIsThirtyDaysUnlessSetAndABadValueStopsTheStart() {
        assertThat(Settings.from(Map.of(), new String[0]).retention()).isEqualTo(Duration.ofDays(30));
        assertThat(Settings.from(Map.of("KULIPA_RETENTION_DAYS", "7"), new String[0]).retention())
                .isEqualTo(Duration.ofDays(7));
        assertThat(Settings.from(Map.of(), new String[]{"--retention-days=90"}).retention()).isEqualTo(Duration.ofDays(90));
        assertThatThrownBy(() -> Settings.from(Map.of("KULIPA_RETENTION_DAYS", "0"), new String[0]))
                .hasMessageContaining("KULIPA_RETENTION_DAYS");
        assertThatThrownBy(() -> Settings.from(Map.of("KULIPA_RETENTION_DAYS", "a month"), new String[0]))
                .hasMessageContaining("KULIPA_RETENTION_DAYS");
    }
}
