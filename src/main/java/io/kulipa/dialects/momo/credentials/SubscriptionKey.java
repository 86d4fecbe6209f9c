package io.kulipa.dialects.momo.credentials;

import java.util.UUID;

/** What a subscription key opens: one product of one merchant. */
public record SubscriptionKey(UUID merchantId, MomoProduct product) {
}
