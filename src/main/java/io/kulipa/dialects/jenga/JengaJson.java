package io.kulipa.dialects.jenga;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kulipa.callbacks.CallbackFormat;
import io.kulipa.callbacks.RetryPolicy;
import io.kulipa.money.Amount;
import io.kulipa.payments.Payment;
import java.math.BigDecimal;
import io.kulipa.dialects.jenga.settlement.SettlementDecision;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Jenga's callback of a push, and the same object as Kulipa's status look-up answers it: exactly
 * the spec's fields (status, code, message, transactionReference, telcoReference, mobileNumber,
 * debitedAmount, requestAmount, charge, currency, telco). It is POSTed to the request's
 * callBackUrl only, never to a URL the merchant set for another dialect.
 */
public final class JengaJson implements CallbackFormat {

    public static final String DIALECT = "jenga";
    static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * Jenga does not publish its retry schedule; a merchant whose endpoint is briefly down
     * expects to hear again, so Kulipa retries with backoff from 10 seconds up to 5 minutes
     * between attempts for an hour, then stops (the status look-up and the resend remain).
     */
    public static final RetryPolicy RETRY_POLICY = new RetryPolicy(Duration.ofHours(1), Duration.ofSeconds(10),
            Duration.ofMinutes(5), 20);

    /** Metadata fields that keep what the push request carried. */
    static final String PUSH_TYPE = "pushType";
    static final String ACCOUNT_NUMBER = "accountNumber";
    static final String MERCHANT_NAME = "merchantName";
    static final String TELCO = "telco";
    static final String COUNTRY_CODE = "countryCode";

    private final JengaOutcome.TestNumbers testNumbers;
    private final Tariff tariff;
    private final Function<UUID, Optional<SettlementDecision>> decisions;
    private final java.util.function.Predicate<Payment> lockedByPins;

    /**
     * @param decisions    what an ops action decided about a push held in settlement suspense
     * @param lockedByPins whether a push not approved was locked with wrong PINs (the simulator knows)
     */
    JengaJson(JengaOutcome.TestNumbers testNumbers, Tariff tariff,
              Function<UUID, Optional<SettlementDecision>> decisions,
              java.util.function.Predicate<Payment> lockedByPins) {
        this.testNumbers = testNumbers;
        this.tariff = tariff;
        this.decisions = decisions;
        this.lockedByPins = lockedByPins;
    }

    @Override
    public String render(Payment payment) {
        return result(payment).toString();
    }

    @Override
    public RetryPolicy retryPolicy() {
        return RETRY_POLICY;
    }

    @Override
    public boolean usesMerchantCallbackUrl() {
        return false;
    }

    /** The push's outcome; one that waited in suspense ends as the ops action decided. */
    JengaOutcome outcome(Payment p) {
        JengaOutcome outcome = JengaOutcome.of(p, testNumbers, lockedByPins);
        if (outcome.code() != JengaOutcome.AWAITING_SETTLEMENT
                && outcome.code() != JengaOutcome.AWAITING_THIRD_PARTY_SETTLEMENT) {
            return outcome;
        }
        return decisions.apply(p.id()).map(d -> d == SettlementDecision.SETTLED ? JengaOutcome.SUCCESSFUL
                : JengaOutcome.RETURNED_OUTCOME).orElse(outcome);
    }

    /** The callback object, in the spec's field order; a failed push has no telco reference. */
    ObjectNode result(Payment p) {
        JengaOutcome outcome = outcome(p);
        ObjectNode o = MAPPER.createObjectNode();
        o.put("status", outcome.successful());
        o.put("code", outcome.code());
        o.put("message", outcome.message());
        o.put("transactionReference", p.clientRef());
        if (outcome.successful() && p.providerRef() != null) {
            o.put("telcoReference", p.providerRef());
        }
        o.put("mobileNumber", p.msisdn());
        BigDecimal debited = p.processedAmount() != null ? p.processedAmount() : p.amount();
        o.put("debitedAmount", number(debited));
        o.put("requestAmount", number(p.amount()));
        o.put("charge", number(tariff.charge(p.amount())));
        o.put("currency", p.currency());
        o.put("telco", metadata(p, TELCO, "Equitel"));
        return o;
    }

    /** Amounts are JSON numbers without trailing zeros, as the spec's examples show them (5, not 5.00). */
    private static BigDecimal number(BigDecimal value) {
        return new BigDecimal(Amount.plain(value));
    }

    static String metadata(Payment p, String field, String otherwise) {
        return p.metadata().stream().filter(m -> m.fieldName().equals(field)).map(Payment.MetadataItem::fieldValue)
                .findFirst().orElse(otherwise);
    }
}
