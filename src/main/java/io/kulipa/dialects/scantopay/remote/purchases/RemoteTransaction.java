package io.kulipa.dialects.scantopay.remote.purchases;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One lookup of the Remote API and what became of it: the single-use transactionId, the code
 * (or VAS product) it resolved, its merchant and amount, the inputs it asks for and those given,
 * and once bought the payment and the card's lookup hash (never the PAN) a retry must match.
 *
 * @param amount    null when the code leaves the amount to the customer (the purchase carries it)
 * @param poi       "11" static (a code paid many times), "12" dynamic (single-use)
 * @param inputs    the inputs given, as a JSON object of name to value (no card data)
 */
public record RemoteTransaction(String transactionId, UUID brandId, String msisdn, Kind kind, String value,
                                String code, String vasProduct, UUID merchantId, BigDecimal amount, String poi,
                                List<String> inputsNeeded, String inputs, Status status, UUID paymentId,
                                String cardHash, String cardExpiry, BigDecimal latitude, BigDecimal longitude,
                                String fraudFlag, Instant createdAt, Instant claimedAt, Instant purchasedAt) {

    public enum Kind { CODE, VAS }

    public enum Status { NEED_INPUT, READY, PURCHASING, PURCHASED }

    public static final String STATIC = "11";
    public static final String DYNAMIC = "12";

    public RemoteTransaction {
        inputsNeeded = List.copyOf(inputsNeeded);
    }
}
