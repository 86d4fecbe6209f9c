package io.kulipa.payments;

import io.kulipa.ledger.AccountRef;
import io.kulipa.ledger.LedgerOp;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * The ledger postings of each flow (see {@code docs/ledger.md}):
 * <ul>
 *   <li>deposit completed: settlement(correspondent) → merchant wallet, the amount the operator moved;</li>
 *   <li>payout or refund accepted: merchant wallet → settlement(correspondent) reserved (pending);</li>
 *   <li>payout or refund completed: the reservation is posted; failed: it is voided.</li>
 * </ul>
 * Transfer ids are derived from the payment id, so applying the same posting twice changes nothing.
 */
public final class Accounting {

    private Accounting() {
    }

    public static AccountRef wallet(Payment p) {
        return AccountRef.merchantWallet(p.merchantId(), p.country(), p.currency());
    }

    public static AccountRef settlement(Payment p) {
        return AccountRef.settlement(p.correspondent(), p.currency());
    }

    public static boolean reserves(PaymentKind kind) {
        return kind == PaymentKind.PAYOUT || kind == PaymentKind.REFUND;
    }

    public static LedgerOp.Reserve reservation(Payment p) {
        return new LedgerOp.Reserve(p.reservationId(), wallet(p), settlement(p), p.amount());
    }

    public static List<LedgerOp> onCompleted(Payment p, BigDecimal processedAmount) {
        if (reserves(p.kind())) {
            return List.of(new LedgerOp.PostPending(derived("post", p.id()), p.reservationId()));
        }
        BigDecimal amount = processedAmount != null ? processedAmount : p.amount();
        return amount.signum() > 0
                ? List.of(new LedgerOp.Post(derived("deposit", p.id()), settlement(p), wallet(p), amount))
                : List.of();
    }

    public static List<LedgerOp> onFailed(Payment p) {
        return reserves(p.kind()) ? List.of(new LedgerOp.VoidPending(derived("void", p.id()), p.reservationId()))
                : List.of();
    }

    /** Funds a merchant wallet from the opening-balance equity account (sandbox bootstrap). */
    public static LedgerOp.Post opening(UUID merchantId, String country, String currency, BigDecimal amount) {
        return new LedgerOp.Post(derived("opening:" + country + ":" + currency, merchantId),
                AccountRef.equity(currency), AccountRef.merchantWallet(merchantId, country, currency), amount);
    }

    private static UUID derived(String purpose, UUID id) {
        return UUID.nameUUIDFromBytes((purpose + ":" + id).getBytes(StandardCharsets.UTF_8));
    }
}
