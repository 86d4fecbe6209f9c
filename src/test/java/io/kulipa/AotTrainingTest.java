package io.kulipa;

import static org.assertj.core.api.Assertions.assertThat;

import io.kulipa.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build's AOT training run (ADR 26): what it sends must work against a real gateway, or the
 * cache records a start that fails, and the JVM it trains must get the launcher's own flags.
 */
class AotTrainingTest {

    @TempDir
    Path tmp;

    @Test
    void theTrainingsDepositsAndPayoutsBecomeFinalWithTheirWebhooks() throws Exception {
        try (AotTraining.Receiver receiver = AotTraining.Receiver.start();
                TestGateway gateway = TestGateway.start(Map.of(
                        "KULIPA_BOOTSTRAP_CALLBACK_URL", receiver.url(),
                        "KULIPA_BOOTSTRAP_WALLET_BALANCE", "1000000"))) {
            AotTraining.Exercise e = AotTraining.exercise(gateway.port(), TestGateway.DEMO_TOKEN, receiver);

            assertThat(e.deposits()).isEqualTo(AotTraining.DEPOSITS);
            assertThat(e.payouts()).isEqualTo(AotTraining.PAYOUTS);
            assertThat(e.webhooks()).isEqualTo(AotTraining.DEPOSITS + AotTraining.PAYOUTS);
            assertThat(gateway.kulipa().ledger().verify()).isEmpty();
        }
    }

    @Test
    void theTrainedJvmGetsTheLaunchersFlagsWithoutItsClassDataArchive() throws Exception {
        List<String> flags = AotTraining.launcherFlags(Path.of("jvm.options"));

        assertThat(flags).contains("-Xmx256m", "-XX:+UseSerialGC").noneMatch(f -> f.startsWith("#") || f.isBlank());
        Path options = tmp.resolve("jvm.options");
        Files.writeString(options, "# a comment\n-Xmx100m   # trailing\n\n-XX:SharedArchiveFile=x.jsa\n-XX:+UseSerialGC\n");
        assertThat(AotTraining.launcherFlags(options)).containsExactly("-Xmx100m", "-XX:+UseSerialGC");
        assertThat(AotTraining.launcherFlags(tmp.resolve("missing"))).contains("-Xmx256m", "-XX:+UseSerialGC");
    }
}
