package io.kulipa.testing;

import io.kulipa.Kulipa;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link TestGateway} for a whole test class: started before the first test, closed after
 * the last. A test class declares it as
 *
 * <pre>{@code
 * @RegisterExtension
 * static final GatewayExtension gateway = GatewayExtension.withSettings(Map.of("KULIPA_STATUS_CHECK_AFTER", "60s"));
 * }</pre>
 *
 * and calls the gateway's methods on it as it would on the {@link TestGateway} itself
 * ({@code gateway.merchant()}, {@code gateway.jdbi()}...), or takes the gateway with
 * {@link #get()} where a helper wants one. Settings that name something only known once the
 * class runs, such as the port of a {@link CallbackReceiverExtension} registered before it, are
 * given as a supplier, which is asked when the gateway starts.
 */
public final class GatewayExtension implements BeforeAllCallback, AfterAllCallback {

    private final Supplier<Map<String, String>> settings;
    private TestGateway gateway;
    /** The class that started the gateway, so that a nested class neither restarts nor closes it. */
    private String startedBy;

    private GatewayExtension(Supplier<Map<String, String>> settings) {
        this.settings = settings;
    }

    /** A gateway with the test defaults of {@link TestGateway#settings}. */
    public static GatewayExtension withDefaults() {
        return withSettings(Map.of());
    }

    /** A gateway with the given KULIPA_* settings over the test defaults. */
    public static GatewayExtension withSettings(Map<String, String> overrides) {
        Map<String, String> copy = Map.copyOf(overrides);
        return withSettings(() -> copy);
    }

    /** A gateway whose extra settings are worked out when it starts. */
    public static GatewayExtension withSettings(Supplier<Map<String, String>> overrides) {
        return new GatewayExtension(overrides);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (gateway == null) {
            gateway = TestGateway.start(settings.get());
            startedBy = context.getUniqueId();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (gateway != null && context.getUniqueId().equals(startedBy)) {
            gateway.close();
            gateway = null;
        }
    }

    /** The running gateway; only between the class's first and last test. */
    public TestGateway get() {
        if (gateway == null) {
            throw new IllegalStateException("the gateway runs only while its test class does");
        }
        return gateway;
    }

    public int port() {
        return get().port();
    }

    public String baseUrl() {
        return get().baseUrl();
    }

    public String dbUrl() {
        return get().dbUrl();
    }

    public Kulipa kulipa() {
        return get().kulipa();
    }

    public Jdbi jdbi() {
        return get().jdbi();
    }

    /** A request to the gateway as the demo merchant. */
    public RequestSpecification merchant() {
        return get().merchant();
    }

    public RequestSpecification as(String token) {
        return get().as(token);
    }

    public RequestSpecification anonymous() {
        return get().anonymous();
    }

    public Response postDeposit(Map<String, Object> body) {
        return get().postDeposit(body);
    }

    /** The current status of a deposit as GET /deposits/{id} shows it, or null when unknown. */
    public String depositStatus(String depositId) {
        return get().depositStatus(depositId);
    }
}
