package io.kulipa.payments;

import io.kulipa.money.Amount;
import java.util.List;

/**
 * A request to move money, already parsed from a dialect's wire format. The core checks it
 * against the catalog and the merchant's settings before anything is written.
 *
 * @param country     may be null when the dialect leaves it optional; it then follows the correspondent
 * @param fingerprint a digest of the request as sent, to tell a true retry from a reused id
 * @param callbackUrl a per-request callback URL (MoMo), or null to use the merchant's
 * @param refundOf    for a refund, the deposit it returns money from and how much of it may be refunded in all
 */
public record PaymentRequest(Merchant merchant, PaymentKind kind, String clientRef, String dialect, Amount amount,
                             String currency, String country, String correspondent, String msisdn,
                             String customerTimestamp, String statementDescription, String preAuthorisationCode,
                             List<Payment.MetadataItem> metadata, String fingerprint, String callbackUrl,
                             RefundOf refundOf) {

    /** The deposit a refund belongs to. */
    public record RefundOf(java.util.UUID depositId, java.math.BigDecimal refundable) {
    }
}
