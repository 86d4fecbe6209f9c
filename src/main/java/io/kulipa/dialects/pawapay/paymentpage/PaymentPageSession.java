package io.kulipa.dialects.pawapay.paymentpage;

import io.kulipa.payments.Payment;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One Payment Page session: what the merchant fixed when it asked for it (each optional field
 * null when the customer chooses it on the page) and the session's clock.
 *
 * @param linkExpires   until when the redirectUrl may first be opened (5 minutes)
 * @param expires       until when the customer may start the deposit on the page (15 minutes)
 * @param browserDigest the digest of the cookie of the browser that first opened the page, or null
 */
public record PaymentPageSession(UUID id, UUID merchantId, String depositId, String fingerprint, String returnUrl,
                                 String statementDescription, String amount, String msisdn, String country,
                                 String reason, String language, List<Payment.MetadataItem> metadata,
                                 Instant created, Instant linkExpires, Instant expires, Instant opened,
                                 String browserDigest) {

    public PaymentPageSession {
        metadata = List.copyOf(metadata);
    }

    /** The merchant's returnUrl with {@code depositId} added to its query, as pawaPay forwards. */
    public String returnUrlWithDeposit() {
        String base = returnUrl;
        String fragment = "";
        int hash = base.indexOf('#');
        if (hash >= 0) {
            fragment = base.substring(hash);
            base = base.substring(0, hash);
        }
        String sep = base.contains("?") ? (base.endsWith("?") || base.endsWith("&") ? "" : "&") : "?";
        return base + sep + "depositId=" + depositId + fragment;
    }
}
