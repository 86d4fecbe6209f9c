package io.kulipa.dialects.momo;

import static org.assertj.core.api.Assertions.assertThat;

import io.kulipa.payments.FailureCode;
import io.kulipa.payments.PaymentState;
import io.kulipa.callbacks.RetryPolicy;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The core's states and failure codes in MoMo's words, and how MoMo calls back. */
class MomoJsonTest {

    /** MoMo's ErrorReason codes (its Open API's enumeration). */
    static final Set<String> ERROR_REASONS = Set.of("PAYEE_NOT_FOUND", "PAYER_NOT_FOUND", "NOT_ALLOWED",
            "NOT_ALLOWED_TARGET_ENVIRONMENT", "INVALID_CALLBACK_URL_HOST", "INVALID_CURRENCY", "SERVICE_UNAVAILABLE",
            "INTERNAL_PROCESSING_ERROR", "NOT_ENOUGH_FUNDS", "PAYER_LIMIT_REACHED", "PAYEE_NOT_ALLOWED_TO_RECEIVE",
            "PAYMENT_NOT_APPROVED", "RESOURCE_NOT_FOUND", "APPROVAL_REJECTED", "EXPIRED", "TRANSACTION_CANCELED",
            "RESOURCE_ALREADY_EXIST", "COULD_NOT_PERFORM_TRANSACTION");

    @Test
    void everyStateIsPendingSuccessfulOrFailed() {
        Map<PaymentState, String> expected = Map.of(PaymentState.ACCEPTED, "PENDING", PaymentState.ENQUEUED, "PENDING",
                PaymentState.IN_DOUBT, "PENDING", PaymentState.SUBMITTED, "PENDING",
                PaymentState.COMPLETED, "SUCCESSFUL", PaymentState.FAILED, "FAILED");
        for (PaymentState state : PaymentState.values()) {
            assertThat(MomoJson.status(state)).as(state.name()).isEqualTo(expected.get(state));
        }
    }

    @Test
    void everyFailureCodeBecomesOneOfMomosReasons() {
        for (FailureCode code : FailureCode.values()) {
            assertThat(ERROR_REASONS).as(code.name()).contains(MomoJson.reason(code));
        }
        assertThat(MomoJson.reason(FailureCode.PAYER_NOT_FOUND)).isEqualTo("PAYER_NOT_FOUND");
        assertThat(MomoJson.reason(FailureCode.INSUFFICIENT_BALANCE)).isEqualTo("NOT_ENOUGH_FUNDS");
        assertThat(MomoJson.reason(FailureCode.BALANCE_INSUFFICIENT)).isEqualTo("NOT_ENOUGH_FUNDS");
        assertThat(MomoJson.reason(FailureCode.PAYMENT_NOT_APPROVED)).isEqualTo("APPROVAL_REJECTED");
        assertThat(MomoJson.reason(FailureCode.RECIPIENT_NOT_FOUND)).isEqualTo("PAYEE_NOT_FOUND");
        assertThat(MomoJson.reason(FailureCode.OTHER_ERROR)).isEqualTo("INTERNAL_PROCESSING_ERROR");
        assertThat(MomoJson.reason(null)).isEqualTo("INTERNAL_PROCESSING_ERROR");
    }

    @Test
    void callbacksArePutForV1PostForV2OnceAndOnlyToTheRequestsOwnUrl() {
        MomoJson format = new MomoJson();
        assertThat(format.method(payment("v1_0"))).isEqualTo("PUT");
        assertThat(format.method(payment("v2_0"))).isEqualTo("POST");
        assertThat(format.method(payment(null))).as("made before versions were kept: v1_0").isEqualTo("PUT");
        assertThat(format.retryPolicy()).isEqualTo(RetryPolicy.ONCE);
        assertThat(format.usesMerchantCallbackUrl()).isFalse();
    }

    private static io.kulipa.payments.Payment payment(String version) {
        java.util.List<io.kulipa.payments.Payment.MetadataItem> metadata = version == null ? java.util.List.of()
                : java.util.List.of(new io.kulipa.payments.Payment.MetadataItem(MomoJson.VERSION, version, false));
        java.time.Instant now = java.time.Instant.now();
        return new io.kulipa.payments.Payment(java.util.UUID.randomUUID(), java.util.UUID.randomUUID(),
                io.kulipa.payments.PaymentKind.DEPOSIT, "ref", MomoJson.DIALECT, PaymentState.COMPLETED,
                java.math.BigDecimal.ONE, "1", "EUR", "SWE", "MTN_MOMO_SANDBOX", "46733123499", null, null, null,
                metadata, "fp", null, null, null, null, null, null, null, now, now, null);
    }
}
