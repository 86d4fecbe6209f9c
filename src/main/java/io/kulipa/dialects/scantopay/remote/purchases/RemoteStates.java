package io.kulipa.dialects.scantopay.remote.purchases;

import io.kulipa.cards.InitiatingCardPayment;
import io.kulipa.dialects.scantopay.TxState;
import io.kulipa.dialects.scantopay.notifications.ReversingUnacknowledgedPurchase;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentKind;
import io.kulipa.payments.PaymentStore;
import io.kulipa.providers.simulator.CardIssuers;
import io.kulipa.providers.simulator.SimCardAuthorisation;
import io.kulipa.providers.simulator.SimulatedIssuers;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one answer of a Remote API purchase, whichever way the wallet reads it (purchaseTx,
 * transactionState, the webhook): {@code status} SUCCESS, PENDING or ERROR (with
 * {@code errorMessage}), {@code txState} the word of the business rules' "State semantics"
 * table, and from the issuer {@code bankResponse} (ISO 8583), {@code authCode} and the
 * {@code retrievalReferenceNumber}.
 */
public final class RemoteStates {

    public static final String DIALECT = "scantopay-remote";
    /** Metadata of a Remote purchase beside the card's. */
    public static final String TRANSACTION_ID = "transactionId";
    public static final String VALUE = "value";
    public static final String BRAND = "brandId";
    public static final String POI = "poi";
    public static final String FRAUD = "fraudReview";

    private final PaymentStore payments;
    private final SimulatedIssuers issuers;

    public RemoteStates(PaymentStore payments, SimulatedIssuers issuers) {
        this.payments = payments;
        this.issuers = issuers;
    }

    public TxState state(Payment p) {
        Optional<SimCardAuthorisation> a = issuers.authorisation(p.id().toString());
        return TxState.of(p, false, a.map(SimCardAuthorisation::responseCode).orElse(null), reversal(p));
    }

    private Optional<Payment> reversal(Payment p) {
        return payments.find(p.merchantId(), DIALECT, PaymentKind.REFUND, ReversingUnacknowledgedPurchase.reversalId(p));
    }

    /** The purchase's answer; for a reversal (a refund), the answer of the purchase it reversed. */
    public Map<String, Object> answer(Payment given) {
        Payment p = given.kind() == PaymentKind.REFUND && given.relatedPaymentId() != null
                ? payments.get(given.relatedPaymentId()).orElse(given) : given;
        Optional<SimCardAuthorisation> a = issuers.authorisation(p.id().toString());
        String bank = a.map(SimCardAuthorisation::responseCode).orElse(null);
        TxState s = TxState.of(p, false, bank, reversal(p));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", s == TxState.SUCCESS ? "SUCCESS" : s.terminal() ? "ERROR" : "PENDING");
        if (s.terminal() && s != TxState.SUCCESS) {
            out.put("errorMessage", message(s, bank));
        }
        out.put("transactionId", p.clientRef());
        out.put("txState", s.name());
        out.put("value", meta(p, VALUE).orElse(null));
        out.put("amount", rand(p.amount()));
        out.put("currency", p.currency());
        out.put("msisdn", p.msisdn());
        out.put("cardBin", meta(p, InitiatingCardPayment.CARD_BIN).orElse(null));
        out.put("cardLast4", meta(p, InitiatingCardPayment.CARD_LAST4).orElse(null));
        out.put("bankResponse", bank);
        boolean approved = CardIssuers.APPROVED.equals(bank);
        out.put("authCode", approved ? authCode(a.get()) : null);
        out.put("retrievalReferenceNumber", a.isPresent() ? rrn(p) : null);
        out.put("transactionDate", p.created().toString());
        out.put("updated", (p.updated() == null ? p.created() : p.updated()).toString());
        return out;
    }

    /** Six characters as an issuer's approval code has them, from the authorisation's reference. */
    static String authCode(SimCardAuthorisation a) {
        String hex = a.providerRef().replaceAll("[^0-9a-fA-F]", "").toUpperCase(java.util.Locale.ROOT);
        return hex.length() >= 6 ? hex.substring(hex.length() - 6) : hex;
    }

    /** The ISO 8583 retrieval reference number (12 digits), fixed for the payment. */
    static String rrn(Payment p) {
        return String.format("%012d", Math.floorMod(p.id().getLeastSignificantBits(), 1_000_000_000_000L));
    }

    private String message(TxState s, String bank) {
        String meaning = bank == null ? null : issuers.data().code(bank).map(CardIssuers.ResponseCode::meaning)
                .orElse(null);
        return switch (s) {
            case END_BANK_NON_00 -> "the bank declined the card (" + bank + (meaning == null ? "" : " " + meaning) + ")";
            case END_INSUFFICIENT_FUNDS_OR_OVER_CREDIT_LIMIT -> "the card lacks funds or is over its credit limit";
            case END_BANK_OFFLINE -> "the bank is offline; try again later";
            case END_REVERSED -> "the purchase was reversed: the money is back on the card";
            case END_REVERSAL_FAILED -> "the reversal of the purchase failed; operations will resolve it";
            case END_TIMEOUT_PURCHASE -> "the purchase timed out; it may be tried again";
            default -> "the purchase could not be completed";
        };
    }

    /** An amount of rand as the wire shows it: two decimals ("45.10"), more only if it has them. */
    public static String rand(java.math.BigDecimal v) {
        if (v == null) {
            return null;
        }
        java.math.BigDecimal s = v.stripTrailingZeros();
        return s.setScale(Math.max(2, s.scale()), java.math.RoundingMode.UNNECESSARY).toPlainString();
    }

    public static Optional<String> meta(Payment p, String field) {
        return p.metadata().stream().filter(m -> m.fieldName().equals(field)).map(Payment.MetadataItem::fieldValue)
                .findFirst();
    }
}
