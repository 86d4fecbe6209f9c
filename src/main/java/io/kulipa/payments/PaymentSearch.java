package io.kulipa.payments;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What the ops dashboard reads across every dialect and merchant: payments by filter, a
 * payment's history with its times, its ledger transfers, and the merchants. Read only;
 * implemented in {@code store}.
 */
public interface PaymentSearch {

    /**
     * Which payments to list; a null field does not filter.
     *
     * @param id     a payment's UUID, or a client id (depositId, X-Reference-Id...) or an operator's reference
     * @param before only payments created before this instant (the next page of a list)
     */
    record Filter(UUID merchantId, String dialect, PaymentKind kind, PaymentState state, String id,
                  Instant from, Instant to, Instant before) {
        public static Filter all() {
            return new Filter(null, null, null, null, null, null, null, null);
        }
    }

    /** Payments that pass the filter, newest first, at most {@code limit}. */
    List<Payment> search(Filter filter, int limit);

    /** One entry of a payment's history. */
    record Event(Instant at, String fromState, String toState, String event, String detail) {
    }

    /** The history of a payment, oldest first. */
    List<Event> events(UUID paymentId);

    /** One ledger transfer made for a payment. */
    record Transfer(UUID id, String kind, String debitAccount, String creditAccount, BigDecimal amount,
                    String currency, UUID pendingId, Instant created) {
    }

    /** The ledger transfers of a payment, oldest first. */
    List<Transfer> transfers(UUID paymentId);

    /** A merchant and when it was created. */
    record MerchantEntry(Merchant merchant, Instant created) {
    }

    /** Merchants by name, at most {@code limit}. */
    List<MerchantEntry> merchants(int limit);
}
