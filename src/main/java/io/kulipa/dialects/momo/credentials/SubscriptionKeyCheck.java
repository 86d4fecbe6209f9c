package io.kulipa.dialects.momo.credentials;

import io.kulipa.payments.Secrets;
import java.util.List;
import java.util.UUID;

/** Finds the merchant behind a subscription key for a product, or why there is none. */
record SubscriptionKeyCheck(UUID merchantId, CredentialRefusal refusal) {

    static SubscriptionKeyCheck of(MomoCredentialStore store, String key, MomoProduct product) {
        if (key == null || key.isBlank()) {
            return new SubscriptionKeyCheck(null, CredentialRefusal.MISSING_SUBSCRIPTION_KEY);
        }
        List<SubscriptionKey> opened = store.subscriptionKeys(Secrets.digest(key.trim()));
        if (opened.isEmpty()) {
            return new SubscriptionKeyCheck(null, CredentialRefusal.UNKNOWN_SUBSCRIPTION_KEY);
        }
        return opened.stream().filter(k -> k.product() == product).findFirst()
                .map(k -> new SubscriptionKeyCheck(k.merchantId(), null))
                .orElseGet(() -> new SubscriptionKeyCheck(null, CredentialRefusal.WRONG_PRODUCT));
    }

    boolean passed() {
        return refusal == null;
    }
}
