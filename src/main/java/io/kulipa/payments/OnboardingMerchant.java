package io.kulipa.payments;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Creates merchants and their API tokens. A token is shown once, when it is made; the store
 * keeps only its SHA-256 digest.
 */
public final class OnboardingMerchant {

    private static final int TOKEN_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new merchant and its token in clear, to hand to the merchant once. */
    public record Onboarded(Merchant merchant, String token) {
        @Override
        public String toString() {
            return "Onboarded[merchant=" + merchant.id() + "]";
        }
    }

    private final MerchantStore store;

    public OnboardingMerchant(MerchantStore store) {
        this.store = store;
    }

    /** @param token the token to use, or null to generate one */
    public Onboarded onboard(String name, Set<String> correspondents, Map<PaymentKind, String> callbackUrls,
                             String token) {
        String clear = token == null ? newToken() : token;
        Merchant m = new Merchant(UUID.randomUUID(), name, correspondents, callbackUrls);
        store.insert(m, Secrets.digest(clear));
        return new Onboarded(m, clear);
    }

    /** Gives an existing merchant a new token (or the given one) and returns it. */
    public String rotateToken(UUID merchantId, String token) {
        String clear = token == null ? newToken() : token;
        store.replaceToken(merchantId, Secrets.digest(clear));
        return clear;
    }

    public Optional<Merchant> authenticate(String token) {
        return token == null || token.isBlank() ? Optional.empty() : store.byTokenDigest(Secrets.digest(token));
    }

    public static String newToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(bytes);
        return "kulipa_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
