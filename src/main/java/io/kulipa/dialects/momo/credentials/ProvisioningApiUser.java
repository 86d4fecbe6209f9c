package io.kulipa.dialects.momo.credentials;

import io.kulipa.payments.Secrets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * MoMo's sandbox user provisioning: a client names its API user (the X-Reference-Id), gives its
 * callback host, then asks for the user's API key. The user belongs to the merchant whose
 * subscription key made it, whatever the product of that key; another merchant's key does
 * not see it. An API key is shown once; the store keeps its digest, and a new key replaces the old.
 */
public final class ProvisioningApiUser {

    /** MoMo's API keys are 32 hexadecimal characters: 128 random bits. */
    private static final int API_KEY_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MomoCredentialStore store;
    private final GrantingSubscriptionKeys subscriptions;
    private final Clock clock;

    public sealed interface Created {
        record Done(ApiUser user) implements Created {
        }

        /** The id is taken: MoMo's RESOURCE_ALREADY_EXIST. Nothing was changed. */
        record AlreadyExists(UUID id) implements Created {
        }

        /** The callback host is neither a host name nor a URL with one. */
        record InvalidCallbackHost(String given) implements Created {
        }
    }

    public ProvisioningApiUser(MomoCredentialStore store, Clock clock) {
        this.store = store;
        this.subscriptions = new GrantingSubscriptionKeys(store);
        this.clock = clock;
    }

    /** The merchant whose subscription key (of any product) this is. */
    public Optional<UUID> merchantOf(String subscriptionKey) {
        return subscriptions.merchantOf(subscriptionKey);
    }

    /** @param providerCallbackHost a bare host or a URL; only its host is kept */
    public Created create(UUID merchantId, UUID referenceId, String providerCallbackHost) {
        Optional<CallbackHost> host = CallbackHost.parse(providerCallbackHost);
        if (host.isEmpty()) {
            return new Created.InvalidCallbackHost(providerCallbackHost);
        }
        ApiUser user = new ApiUser(referenceId, merchantId, host.get(), clock.instant());
        return store.insertApiUser(user) ? new Created.Done(user) : new Created.AlreadyExists(referenceId);
    }

    /** The merchant's API user with this id; another merchant's user is not found. */
    public Optional<ApiUser> find(UUID merchantId, UUID id) {
        return store.apiUser(id).filter(u -> u.merchantId().equals(merchantId));
    }

    /** A new API key for the merchant's user, in clear, replacing the user's old key; empty if no such user. */
    public Optional<String> createApiKey(UUID merchantId, UUID id) {
        if (find(merchantId, id).isEmpty()) {
            return Optional.empty();
        }
        String clear = newApiKey();
        store.replaceApiKey(id, Secrets.digest(clear), clock.instant());
        return Optional.of(clear);
    }

    public static String newApiKey() {
        byte[] bytes = new byte[API_KEY_BYTES];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
