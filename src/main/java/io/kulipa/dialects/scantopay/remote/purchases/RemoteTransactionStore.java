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

    /** VAS purchases whose payment completed and that nothing was delivered for yet. */
    List<RemoteTransaction> undelivered(int limit);

    /** Records a VAS delivery unless one exists for the transaction; false when one did. */
    boolean deliver(String transactionId, String product, String kind, String destination, BigDecimal amount,
                    String token, Instant at);

    /** The airtime credited to an MSISDN by VAS purchases (the sandbox handset's airtime balance). */
    BigDecimal airtime(String msisdn);

    /**
     * Marks PURCHASED, with their payment, at most {@code limit} transactions still claimed since
     * before {@code staleBefore} whose core deposit was started: the request that held them died
     * between starting the payment and recording it. Only {@code transactionId} unless it is null.
     * How many.
     */
    int linkStarted(String transactionId, Instant staleBefore, int limit);

    /** Deletes at most {@code limit} lookups never bought and made before {@code before}; how many. */
    int forget(Instant before, int limit);

    @Override
    List<UUID> due(Duration window, Duration grace, Duration lookBack, int limit);
}
