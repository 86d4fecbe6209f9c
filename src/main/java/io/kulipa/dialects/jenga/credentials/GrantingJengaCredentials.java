package io.kulipa.dialects.jenga.credentials;

import io.kulipa.payments.Secrets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Gives a merchant Jenga credentials (the sandbox demo merchant at bootstrap, any merchant by an
 * ops call), registers or replaces its public key, rotates its consumer secret and adds the
 * account numbers its pushes may credit. Only digests of the Api-Key and secret are stored; the
 * clear values are returned once, to the caller who made them.
 */
public final class GrantingJengaCredentials {

    /** Merchant codes, Api-Keys and account numbers are short identifiers; longer ones are refused. */
    public static final int IDENTIFIER_MAX_CHARS = 64;

    /** What the merchant was given, in clear: shown once. */
    public record Granted(String merchantCode, String apiKey, String consumerSecret) {
    }

    /** Why a grant was refused, naming the field. */
    public record Refusal(String field, String message) {
    }

    private final JengaCredentialStore store;
    private final Clock clock;

    public GrantingJengaCredentials(JengaCredentialStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * Sets all of a merchant's credentials; a null value is made up (code, key, secret) or left as
     * it is (public key). The result is the refusal when a value is taken or malformed.
     */
    public Result grant(UUID merchantId, String merchantCode, String apiKey, String secret, String publicKeyPem) {
        Optional<JengaMerchant> current = store.byMerchant(merchantId);
        String code = merchantCode != null ? merchantCode
                : current.map(JengaMerchant::merchantCode).orElse(String.valueOf(1_000_000_000L
                + Math.floorMod(merchantId.getLeastSignificantBits(), 8_999_999_999L)));
        String key = apiKey != null ? apiKey : Secrets.random();
        String clearSecret = secret != null ? secret : Secrets.random();
        if (code.isBlank() || code.length() > IDENTIFIER_MAX_CHARS || key.length() > IDENTIFIER_MAX_CHARS) {
            return Result.refused(new Refusal("merchantCode", "merchantCode and apiKey must be 1 to "
                    + IDENTIFIER_MAX_CHARS + " characters"));
        }
        String pem = publicKeyPem != null ? publicKeyPem : current.map(JengaMerchant::publicKeyPem).orElse(null);
        if (pem != null && PublicKeys.parse(pem).isEmpty()) {
            return Result.refused(badKey());
        }
        boolean stored = store.upsert(new JengaMerchant(merchantId, code, Secrets.digest(key),
                Secrets.digest(clearSecret), pem), clock.instant());
        return stored ? new Result(new Granted(code, key, clearSecret), null)
                : Result.refused(new Refusal("merchantCode", "the merchant code or Api-Key belongs to another merchant"));
    }

    /** Registers or replaces the public key; the refusal names the field when it is not a usable key. */
    public Optional<Refusal> replacePublicKey(UUID merchantId, String pem) {
        if (store.byMerchant(merchantId).isEmpty()) {
            return Optional.of(new Refusal("merchantId", "the merchant has no Jenga credentials yet"));
        }
        if (PublicKeys.parse(pem).isEmpty()) {
            return Optional.of(badKey());
        }
        store.replacePublicKey(merchantId, pem, clock.instant());
        return Optional.empty();
    }

    /** A new consumer secret in clear, the old one stops working at once; empty without credentials. */
    public Optional<String> rotateSecret(UUID merchantId) {
        if (store.byMerchant(merchantId).isEmpty()) {
            return Optional.empty();
        }
        String secret = Secrets.random();
        store.replaceSecret(merchantId, Secrets.digest(secret), clock.instant());
        return Optional.of(secret);
    }

    /** Adds an account number the merchant's pushes may credit; the refusal when it is malformed or taken. */
    public Optional<Refusal> addAccount(UUID merchantId, String accountNumber) {
        if (accountNumber == null || !accountNumber.matches("[0-9A-Za-z]{1," + IDENTIFIER_MAX_CHARS + "}")) {
            return Optional.of(new Refusal("accountNumber", "accountNumber must be 1 to " + IDENTIFIER_MAX_CHARS
                    + " letters or digits"));
        }
        return store.addAccount(merchantId, accountNumber) ? Optional.empty()
                : Optional.of(new Refusal("accountNumber", "the account number belongs to another merchant"));
    }

    public List<String> accounts(UUID merchantId) {
        return store.accounts(merchantId);
    }

    public Optional<JengaMerchant> credentials(UUID merchantId) {
        return store.byMerchant(merchantId);
    }

    private static Refusal badKey() {
        return new Refusal("publicKey", "publicKey must be an RSA public key of at least " + PublicKeys.MIN_KEY_BITS
                + " bits in PEM (openssl rsa -in privatekey.pem -outform PEM -pubout)");
    }

    /** A grant: the clear credentials, or why not. */
    public record Result(Granted granted, Refusal refusal) {
        static Result refused(Refusal refusal) {
            return new Result(null, refusal);
        }
    }
}
