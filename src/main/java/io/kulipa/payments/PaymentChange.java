package io.kulipa.payments;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/** The fields a state change may set, and the name of the event in the history. Nulls leave a field as it is. */
public record PaymentChange(String event, String providerRef, BigDecimal processedAmount, FailureCode failureCode,
                            String failureMessage, Instant respondedAt, Map<String, String> correspondentIds) {

    public static PaymentChange event(String event) {
        return new PaymentChange(event, null, null, null, null, null, null);
    }
}
