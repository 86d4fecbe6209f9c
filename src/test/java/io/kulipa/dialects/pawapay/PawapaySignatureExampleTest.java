package io.kulipa.dialects.pawapay;

import static org.assertj.core.api.Assertions.assertThat;

import io.kulipa.testing.GatewayExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * docs/pawapay.md's signed-deposit example as a merchant runs it: bash, curl and openssl make a
 * key, upload it, sign a deposit after RFC 9421 and send it; the unsigned one is refused. Only the
 * base URL and the data directory are replaced.
 */
class PawapaySignatureExampleTest {

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.withDefaults();

    @Test
    void theDocumentedOpensslExampleSignsADepositThatIsAccepted() throws Exception {
        String doc = Files.readString(Path.of("docs/pawapay.md"));
        int start = doc.indexOf("```sh", doc.indexOf("<!-- pawapay-signature-example -->")) + "```sh".length();
        String script = doc.substring(start, doc.indexOf("```", start))
                .replace("localhost:8080", "127.0.0.1:" + gateway.port())
                .replace("D=data", "D='" + gateway.kulipa().dataDir() + "'");
        Path work = Files.createTempDirectory("kulipa-signature-example");
        Process bash = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script).directory(work.toFile())
                .redirectErrorStream(true).start();
        assertThat(bash.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.exitValue()).as(out).isZero();
        String[] lines = out.strip().split("\n");
        assertThat(lines).as(out).hasSize(3);
        assertThat(lines[0]).contains("\"onlySignedRequests\":true");
        assertThat(lines[1]).contains("\"status\":\"ACCEPTED\"");
        assertThat(lines[2]).contains("HTTP_SIGNATURE_ERROR");
    }
}
