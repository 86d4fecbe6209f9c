package io.kulipa.signatures;

import io.kulipa.callbacks.Callback;
import io.kulipa.callbacks.CallbackSigner;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Signs the callbacks of merchants who asked for it, as pawaPay signs its own: a
 * {@code Content-Digest} (SHA-256), a {@code Signature-Date}, and an RFC 9421 signature over
 * {@link HttpSignatures#CALLBACK_COMPONENTS} with the merchant's callback key. Only the dialects
 * named here are signed: those whose provider signs callbacks this way (pawaPay) or documents no
 * signature of its own (MoMo, Jenga).
 */
public final class SigningCallbacks implements CallbackSigner {

    /** The label of Kulipa's signature in Signature-Input and Signature. */
    public static final String LABEL = "sig-kp";
    /** A callback's signature expires this long after it was made; a retry is signed anew. */
    public static final Duration CALLBACK_SIGNATURE_VALIDITY = Duration.ofMinutes(5);

    private final VerifyingSignedRequest settings;
    private final Set<String> dialects;
    private final Clock clock;

    public SigningCallbacks(VerifyingSignedRequest settings, Set<String> dialects, Clock clock) {
        this.settings = settings;
        this.dialects = Set.copyOf(dialects);
        this.clock = clock;
    }

    @Override
    public Map<String, String> headers(Callback callback, URI url, String method, byte[] body) {
        if (callback.merchantId() == null || callback.dialect() == null || !dialects.contains(callback.dialect())) {
            return Map.of();
        }
        Optional<MerchantSignatures.Settings> s = settings.settings(callback.merchantId());
        if (s.isEmpty() || !s.get().signCallbacks()) {
            return Map.of();
        }
        Instant now = clock.instant();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Digest", HttpSignatures.contentDigest(body));
        headers.put("Signature-Date", DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
        Map<String, String> lower = new LinkedHashMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        lower.put("content-type", "application/json");
        HttpSignatures.Message message = new HttpSignatures.Message() {
            @Override
            public String method() {
                return method;
            }

            @Override
            public String authority() {
                return url.getPort() == -1 ? url.getHost() : url.getHost() + ":" + url.getPort();
            }

            @Override
            public String path() {
                return url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
            }

            @Override
            public String query() {
                return url.getRawQuery();
            }

            @Override
            public String scheme() {
                return url.getScheme();
            }

            @Override
            public Optional<String> header(String name) {
                return Optional.ofNullable(lower.get(name));
            }
        };
        headers.putAll(HttpSignatures.sign(message, LABEL, HttpSignatures.CALLBACK_COMPONENTS,
                SignatureKeys.CALLBACK_ALGORITHM, s.get().callbackKeyId(),
                SignatureKeys.callbackPrivateKey(s.get().callbackPrivateKey()), now,
                now.plus(CALLBACK_SIGNATURE_VALIDITY)));
        return headers;
    }
}
