package io.kulipa.dialects.scantopay;

import io.kulipa.dialects.scantopay.notifications.SweepingUnacknowledgedPurchases;
import java.util.Optional;
import java.util.UUID;

/** Everything Scan to Pay keeps of its own, implemented in {@code store}. */
public interface ScantopayPorts extends ProfileStore, CodeStore, SweepingUnacknowledgedPurchases.Due,
        io.kulipa.dialects.scantopay.notifications.ReversalRefusals {

    /** The newest purchase of a merchant paying {@code code} with {@code merchantReference}. */
    Optional<UUID> purchaseOf(UUID merchantId, String code, String merchantReference);
}
