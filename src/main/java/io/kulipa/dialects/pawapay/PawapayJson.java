package io.kulipa.dialects.pawapay;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kulipa.money.Amount;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentKind;
import io.kulipa.payments.PaymentState;
import io.kulipa.callbacks.CallbackFormat;
import io.kulipa.callbacks.RetryPolicy;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * pawaPay's words for payments: the status and details object that GET answers and that the
 * status callback carries.
 */
public final class PawapayJson implements CallbackFormat {

    public static final String DIALECT = "pawapay";
    /** Strict: text after the JSON value, or a key given twice, makes the body unparsable. */
    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final RetryPolicy retryPolicy;

    /** @param retryPolicy how callbacks are retried; pawaPay's is {@link RetryPolicy#FIFTEEN_MINUTES} */
    public PawapayJson(RetryPolicy retryPolicy) {
        this.retryPolicy = retryPolicy;
    }

    @Override
    public String render(Payment payment) {
        return payment(payment).toString();
    }

    @Override
    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    static String status(Payment p) {
        return switch (p.state()) {
            case ACCEPTED -> "ACCEPTED";
            case ENQUEUED -> "ENQUEUED";
            case IN_DOUBT, SUBMITTED -> "SUBMITTED";
            case COMPLETED -> "COMPLETED";
            case FAILED -> "FAILED";
        };
    }

    /** The status and details object of a deposit, payout or refund, in pawaPay's field names. */
    static ObjectNode payment(Payment p) {
        boolean deposit = p.kind() == PaymentKind.DEPOSIT;
        ObjectNode o = MAPPER.createObjectNode();
        o.put(PawapayRequests.idField(p.kind()), p.clientRef());
        o.put("status", status(p));
        o.put(deposit ? "requestedAmount" : "amount", p.amountText());
        o.put("currency", p.currency());
        o.put("country", p.country());
        ObjectNode party = o.putObject(deposit ? "payer" : "recipient");
        party.put("type", "MSISDN");
        party.putObject("address").put("value", p.msisdn());
        o.put("correspondent", p.correspondent());
        o.put("customerTimestamp", p.customerTimestamp());
        if (p.statementDescription() != null) {
            o.put("statementDescription", p.statementDescription());
        }
        o.put("created", time(p.created()));
        if (deposit && p.state() == PaymentState.COMPLETED && p.processedAmount() != null) {
            o.put("depositedAmount", p.processedAmount().compareTo(p.amount()) == 0 ? p.amountText()
                    : Amount.plain(p.processedAmount()));
        }
        if (p.respondedAt() != null && (deposit || p.state() == PaymentState.COMPLETED)) {
            o.put(deposit ? "respondedByPayer" : "receivedByRecipient", time(p.respondedAt()));
        }
        if (!p.correspondentIds().isEmpty()) {
            ObjectNode ids = o.putObject("correspondentIds");
            p.correspondentIds().forEach(ids::put);
        }
        if (p.state() == PaymentState.FAILED && p.failureCode() != null) {
            ObjectNode reason = o.putObject("failureReason");
            String code = PawapayFailureCodes.failure(p.failureCode());
            reason.put("failureCode", code);
            reason.put("failureMessage", p.failureMessage() == null ? code : p.failureMessage());
        }
        ObjectNode metadata = o.putObject("metadata");
        p.metadata().forEach(m -> metadata.put(m.fieldName(), m.fieldValue()));
        return o;
    }

    static String time(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }
}
