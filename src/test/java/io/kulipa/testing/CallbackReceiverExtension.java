package io.kulipa.testing;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A merchant's callback receiver for a whole test class: WireMock on loopback, started before
 * the first test, stopped after the last, and forgetting what it received before each test.
 * It is the WireMock server itself, so tests stub and verify on it directly. Where a
 * {@link GatewayExtension}'s settings name the receiver's port, register the receiver first:
 *
 * <pre>{@code
 * @RegisterExtension
 * @Order(1)
 * static final CallbackReceiverExtension receiver = CallbackReceiverExtension.answeringOk();
 * @RegisterExtension
 * @Order(2)
 * static final GatewayExtension gateway = GatewayExtension.withSettings(() -> Map.of(
 *         "KULIPA_BOOTSTRAP_CALLBACK_URL", receiver.url("/callbacks")));
 * }</pre>
 */
public final class CallbackReceiverExtension extends WireMockServer
        implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    private final boolean answersOk;
    /** The class that started the receiver, so that a nested class neither restarts nor stops it. */
    private String startedBy;

    private CallbackReceiverExtension(boolean answersOk) {
        super(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        this.answersOk = answersOk;
    }

    /** A receiver that answers every request 200, before every test. */
    public static CallbackReceiverExtension answeringOk() {
        return new CallbackReceiverExtension(true);
    }

    /** A receiver with no answers of its own: each test stubs what it wants heard. */
    public static CallbackReceiverExtension stubbedByEachTest() {
        return new CallbackReceiverExtension(false);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!isRunning()) {
            start();
            startedBy = context.getUniqueId();
            forget();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        forget();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (isRunning() && context.getUniqueId().equals(startedBy)) {
            stop();
        }
    }

    private void forget() {
        if (answersOk) {
            CallbackReceiver.reset(this);
        } else {
            resetAll();
        }
    }

    /** The URL of {@code path} on this receiver. */
    public String url(String path) {
        return CallbackReceiver.url(this, path);
    }
}
