package io.kulipa.dialects.scantopay.remote.purchases;

import io.kulipa.dialects.scantopay.notifications.SweepingUnacknowledgedPurchases;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The Remote API's lookups and purchases; implemented in {@code remote.store}. */
public interface RemoteTransactionStore extends SweepingUnacknowledgedPurchases.Due {

    void add(RemoteTransaction t);

    Optional<RemoteTransaction> find(String transactionId);

    /** What a claim of a transaction for a purchase with a card came to. */
    enum Claim {
        /** This request may buy it now. */
        CLAIMED,
        /** Another request with the same card is buying it. */
        BUSY,
        /** Bought (or being bought) with another card. */
        OTHER_CARD,
        /** Bought with this card: answer that purchase. */
        PURCHASED
    }

    /**
     * Claims a READY transaction for a purchase with this card (or takes over a claim of the same
     * card older than {@code staleBefore}, whose request died); one caller wins.
     */
    Claim claim(String transactionId, String cardHash, String cardExpiry, Instant now, Instant staleBefore);

    /** Gives a claimed transaction back (the purchase was refused before any payment). */
    void release(String transactionId);

    void purchased(String transactionId, UUID paymentId, BigDecimal latitude, BigDecimal longitude, String fraudFlag,
                   Instant at);

    /** The newest purchases of the wallet profile whose payment succeeded and was not reversed. */
    List<RemoteTransaction> history(UUID brandId, String msisdn, int limit);

    /** The wallet profile's latest purchase that carried a device position. */
    Optional<RemoteTransaction> lastLocated(UUID brandId, String msisdn);

    /** The inputs a code asks a wallet for (empty when none). */
    List<String> codeInputs(String code);

    void setCodeInputs(String code, List<String> inputs, Instant at);

    @Override
    List<UUID> due(Duration window, Duration grace, Duration lookBack, int limit);
}
