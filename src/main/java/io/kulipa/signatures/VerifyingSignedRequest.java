package io.kulipa.signatures;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a financial request of a merchant that accepts only signed ones: its
 * {@code Content-Digest}, {@code Signature-Input} and {@code Signature} against the merchant's
 * public key ({@link HttpSignatures#verify}). Merchants' settings are read at most once per
 * {@link #SETTINGS_CACHE} on each node, so a request costs no extra query in the ordinary course.
 */
public final class VerifyingSignedRequest {

    /** How long a node keeps a merchant's settings before reading them again: the bound on a change made through another node. */
    public static final Duration SETTINGS_CACHE = Duration.ofSeconds(1);
    /** Merchants whose settings are cached at most; past it the cache starts over. */
    public static final int CACHED_MERCHANTS_MAX = 10_000;

    private record Cached(Optional<MerchantSignatures.Settings> settings, long readAt) {
    }

    private final MerchantSignatures store;
    private final Clock clock;
    private final Map<UUID, Cached> cache = new ConcurrentHashMap<>();

    public VerifyingSignedRequest(MerchantSignatures store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Why the request is refused, or empty when it may go on (signed and verified, or signatures not required). */
    public Optional<String> refusal(UUID merchantId, HttpSignatures.Message message, byte[] body) {
        Optional<MerchantSignatures.Settings> settings = settings(merchantId);
        if (settings.isEmpty() || !settings.get().onlySignedRequests()) {
            return Optional.empty();
        }
        Optional<java.security.PublicKey> key = SignatureKeys.publicKey(settings.get().publicKey());
        if (key.isEmpty()) {
            return Optional.of("the merchant's public key cannot be read; ask operations to upload it again");
        }
        HttpSignatures.Verdict verdict = HttpSignatures.verify(message, body, key.get(),
                HttpSignatures.REQUIRED_REQUEST_COMPONENTS, clock.instant());
        return verdict.verified() ? Optional.empty() : Optional.of(verdict.problem());
    }

    /** The merchant's settings, from this node's cache while fresh. */
    public Optional<MerchantSignatures.Settings> settings(UUID merchantId) {
        long now = System.nanoTime();
        Cached c = cache.get(merchantId);
        if (c == null || now - c.readAt() > SETTINGS_CACHE.toNanos()) {
            if (cache.size() >= CACHED_MERCHANTS_MAX) {
                cache.clear();
            }
            c = new Cached(store.find(merchantId), now);
            cache.put(merchantId, c);
        }
        return c.settings();
    }

    /** Drops the cached settings of a merchant changed on this node. */
    void forget(UUID merchantId) {
        cache.remove(merchantId);
    }
}
