package io.kulipa.dialects.jenga;

import io.kulipa.payments.FailureCode;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A payment's outcome in Jenga's callback words: the code (0 to 7 of the spec's table), whether
 * {@code status} is true, and the message. Test numbers take theirs from the table in
 * {@code simulator/jenga-scenarios.csv}; every other payment is mapped from its core state and
 * failure code.
 */
public record JengaOutcome(int code, String message) {

    public static final int PENDING = 0;
    public static final int FAILED = 1;
    public static final int AWAITING_THIRD_PARTY_SETTLEMENT = 2;
    public static final int COMPLETED = 3;
    public static final int AWAITING_SETTLEMENT = 4;
    public static final int CANCELLED = 5;
    public static final int CANCELLED_TIMEOUT = 6;
    public static final int REJECTED = 7;

    static final JengaOutcome PENDING_OUTCOME = new JengaOutcome(PENDING, "Request pending to be processed");
    static final JengaOutcome SUCCESSFUL = new JengaOutcome(COMPLETED, "Successful");
    /** A push held in suspense whose money an ops action gave back to the customer. */
    static final JengaOutcome RETURNED_OUTCOME = new JengaOutcome(FAILED,
            "Transaction reversed - amount returned to customer");

    /** Codes 2, 3 and 4 say the customer paid; the others that the money did not move. */
    public boolean successful() {
        return code == COMPLETED || code == AWAITING_SETTLEMENT || code == AWAITING_THIRD_PARTY_SETTLEMENT;
    }

    /** The test-number table: for an MSISDN, the outcome its final callback carries. */
    public static final class TestNumbers {

        private final Map<String, JengaOutcome> byMsisdn;

        private TestNumbers(Map<String, JengaOutcome> byMsisdn) {
            this.byMsisdn = Map.copyOf(byMsisdn);
        }

        public static TestNumbers load(String resource) {
            try (InputStream in = TestNumbers.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("missing scenario resource " + resource);
                }
                Map<String, JengaOutcome> rows = new HashMap<>();
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.isBlank() || line.startsWith("#")) {
                        continue;
                    }
                    String[] f = line.split(",", 6);
                    rows.put(f[1].trim(), new JengaOutcome(Integer.parseInt(f[4].trim()), f[5].trim()));
                }
                return new TestNumbers(rows);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the Jenga test numbers", e);
            }
        }

        public Optional<JengaOutcome> find(String msisdn) {
            return Optional.ofNullable(byMsisdn.get(msisdn));
        }

        public Map<String, JengaOutcome> all() {
            return byMsisdn;
        }
    }

    static final JengaOutcome INVALID_PIN = new JengaOutcome(FAILED, "Invalid pin");

    /**
     * The outcome of a payment: pending until final, then the test number's or the mapped one. A
     * prompt the customer locked with wrong PINs is the spec's "Invalid pin", not a cancellation.
     */
    static JengaOutcome of(Payment p, TestNumbers testNumbers, java.util.function.Predicate<Payment> lockedByPins) {
        if (!p.state().isFinal()) {
            return PENDING_OUTCOME;
        }
        Optional<JengaOutcome> listed = testNumbers.find(p.msisdn());
        if (listed.isPresent() && listed.get().successful() == (p.state() == PaymentState.COMPLETED)) {
            return listed.get();
        }
        if (p.state() == PaymentState.COMPLETED) {
            return SUCCESSFUL;
        }
        if (p.failureCode() == FailureCode.PAYMENT_NOT_APPROVED && lockedByPins.test(p)) {
            return INVALID_PIN;
        }
        return failed(p.failureCode());
    }

    /** A failure of the core in Jenga's words. */
    static JengaOutcome failed(FailureCode code) {
        if (code == null) {
            return new JengaOutcome(FAILED, "Transaction Failed");
        }
        return switch (code) {
            case APPROVAL_EXPIRED ->
                    new JengaOutcome(CANCELLED_TIMEOUT, "Transaction was Cancelled: the customer did not answer in time");
            case INSUFFICIENT_BALANCE -> new JengaOutcome(FAILED, "InsufficientFund");
            case PAYER_LIMIT_REACHED, AMOUNT_TOO_LARGE -> new JengaOutcome(FAILED, "MaximumAmountExceeded");
            case PAYMENT_NOT_APPROVED -> new JengaOutcome(CANCELLED, "Transaction was Cancelled by user");
            case MANUALLY_CANCELLED -> new JengaOutcome(CANCELLED_TIMEOUT, "Transaction was Cancelled by user");
            case PAYER_NOT_FOUND, INVALID_PAYER_FORMAT, INVALID_CURRENCY, INVALID_AMOUNT ->
                    new JengaOutcome(REJECTED, "Transaction rejected due to validation errors");
            default -> new JengaOutcome(FAILED, "Transaction Failed");
        };
    }
}
