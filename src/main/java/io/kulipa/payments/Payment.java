package io.kulipa.payments;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A payment as the core keeps it. Immutable: a state change produces a new row version and
 * an entry in the payment's history.
 *
 * @param clientRef       the caller's own id (depositId, X-Reference-Id ...), unique per merchant and kind
 * @param amountText      the requested amount as the caller wrote it
 * @param processedAmount what the operator actually moved, once known
 * @param relatedPaymentId for a refund, the deposit it returns money from
 */
public record Payment(UUID id, UUID merchantId, PaymentKind kind, String clientRef, String dialect,
                      PaymentState state, BigDecimal amount, String amountText, String currency,
                      String country, String correspondent, String msisdn, String customerTimestamp,
                      String statementDescription, String preAuthorisationCode, List<MetadataItem> metadata,
                      String fingerprint, String callbackUrl, BigDecimal processedAmount,
                      FailureCode failureCode, String failureMessage, String providerRef,
                      Map<String, String> correspondentIds, Instant respondedAt, Instant created,
                      Instant updated, UUID relatedPaymentId) {

    public Payment {
        metadata = metadata == null ? List.of() : List.copyOf(metadata);
        correspondentIds = correspondentIds == null ? Map.of() : Map.copyOf(correspondentIds);
    }

    /** One metadata field of the request; PII fields are kept but never logged. */
    public record MetadataItem(String fieldName, String fieldValue, boolean pii) {
    }

    /** The reservation of a payout or refund is a pending transfer with the payment's own id. */
    public UUID reservationId() {
        return id;
    }

    public Payment withState(PaymentState next, Instant at) {
        return withOutcome(next, failureCode, failureMessage, at);
    }

    public Payment withOutcome(PaymentState next, FailureCode code, String message, Instant at) {
        return new Payment(id, merchantId, kind, clientRef, dialect, next, amount, amountText, currency, country,
                correspondent, msisdn, customerTimestamp, statementDescription, preAuthorisationCode, metadata,
                fingerprint, callbackUrl, processedAmount, code, message, providerRef,
                correspondentIds, respondedAt, created, at, relatedPaymentId);
    }
}
