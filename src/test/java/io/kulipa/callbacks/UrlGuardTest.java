package io.kulipa.callbacks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UrlGuardTest {

    private final UrlGuard production = new UrlGuard(false, Set.of("hooks.internal.example"));
    private final UrlGuard sandbox = new UrlGuard(true, Set.of());

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1/cb", "http://localhost:8080/cb", "http://[::1]/cb",
            "http://10.1.2.3/cb", "http://192.168.0.10/cb", "http://172.16.5.4/cb", "http://169.254.169.254/latest",
            "http://100.64.0.1/cb", "http://0.0.0.0/cb", "http://[fd00::1]/cb", "ftp://example.com/cb",
            "file:///etc/passwd", "not a url"})
    void productionRefusesPrivateLoopbackAndOddTargets(String url) {
        assertThat(production.refusal(url)).as(url).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:9000/cb", "http://localhost/cb"})
    void theSandboxAllowsLoopback(String url) {
        assertThat(sandbox.refusal(url)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://10.0.0.1/cb", "http://169.254.169.254/"})
    void theSandboxStillRefusesPrivateAndLinkLocal(String url) {
        assertThat(sandbox.refusal(url)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://93.184.215.14/cb", "http://hooks.internal.example/cb"})
    void publicAddressesAndAllowListedHostsPass(String url) {
        assertThat(production.refusal(url)).isEmpty();
    }
}
