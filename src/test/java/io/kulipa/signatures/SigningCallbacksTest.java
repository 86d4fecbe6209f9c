package io.kulipa.signatures;

import static org.assertj.core.api.Assertions.assertThat;

import io.kulipa.callbacks.Callback;
import io.kulipa.callbacks.CallbackPolicy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Which callbacks are signed: the merchant's choice, for the dialects named, and no others. */
class SigningCallbacksTest {

    private final Map<UUID, MerchantSignatures.Settings> rows = new HashMap<>();
    private final MerchantSignatures store = new MerchantSignatures() {
        @Override
        public Optional<Settings> find(UUID merchantId) {
            return Optional.ofNullable(rows.get(merchantId));
        }

        @Override
        public void save(Settings settings) {
            rows.put(settings.merchantId(), settings);
        }
    };

    @Test
    void onlyTheNamedDialectsOfMerchantsWhoAskedAreSigned() {
        VerifyingSignedRequest verifying = new VerifyingSignedRequest(store, Clock.systemUTC());
        ConfiguringSignatures configuring = new ConfiguringSignatures(store, verifying);
        UUID asked = UUID.randomUUID();
        UUID notAsked = UUID.randomUUID();
        configuring.change(asked, new ConfiguringSignatures.Change(null, false, null, true));
        configuring.settings(notAsked);
        SigningCallbacks signing = new SigningCallbacks(verifying, Set.of("pawapay", "momo", "jenga"),
                Clock.systemUTC());
        byte[] body = "{\"status\":\"Successful\"}".getBytes(StandardCharsets.UTF_8);
        URI url = URI.create("https://shop.example/jenga/callbacks?x=1");

        Map<String, String> jenga = signing.headers(callback("jenga", asked), url, "POST", body);
        assertThat(jenga).containsKeys("Content-Digest", "Signature-Date", "Signature-Input", "Signature");
        assertThat(jenga.get("Signature-Input")).startsWith("sig-kp=(\"@method\" \"@authority\" \"@path\"")
                .contains("keyid=\"" + rows.get(asked).callbackKeyId() + "\"");
        assertThat(signing.headers(callback("scantopay", asked), url, "POST", body)).isEmpty();
        assertThat(signing.headers(callback("jenga", notAsked), url, "POST", body)).isEmpty();
        assertThat(signing.headers(callback("jenga", null), url, "POST", body)).isEmpty();
    }

    private static Callback callback(String dialect, UUID merchant) {
        return new Callback(dialect, "push", merchant, "https://shop.example/jenga/callbacks?x=1", "POST", "{}",
                CallbackPolicy.ONCE);
    }
}
