package io.kulipa.dialects.scantopay;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * A Scan to Pay code: ten digits a customer quotes (or scans) to pay the merchant.
 *
 * @param amount    null when the customer may choose the amount (not for USSD: a WIG payment needs one)
 * @param expiresAt when it can no longer be paid
 */
public record Code(String code, UUID merchantId, BigDecimal amount, String merchantReference, boolean useOnce,
                   Instant expiresAt, String shortDescription, int uses, Instant createdAt) {
}
