package io.kulipa.dialects.momo.credentials;

import java.time.Instant;
import java.util.UUID;

/** A MoMo API user: the client's X-Reference-Id, the merchant it acts for and its callback host. */
public record ApiUser(UUID id, UUID merchantId, CallbackHost providerCallbackHost, Instant createdAt) {
}
