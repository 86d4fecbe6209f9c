package io.kulipa.dialects.momo;

import io.kulipa.payments.FailureCode;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentKind;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The core's failure codes in MoMo's ErrorReason words: the {@code reason} of a FAILED status
 * object, and the HTTP status and code of a request refused at the door. Anything unforeseen is
 * MoMo's generic INTERNAL_PROCESSING_ERROR, never a word MoMo's clients do not know.
 */
final class MomoReasons {

    static final String INTERNAL_PROCESSING_ERROR = "INTERNAL_PROCESSING_ERROR";
    static final String NOT_ALLOWED = "NOT_ALLOWED";
    static final String SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE";
    static final String INVALID_CURRENCY = "INVALID_CURRENCY";
    static final String NOT_ENOUGH_FUNDS = "NOT_ENOUGH_FUNDS";
    private static final int SANDBOX_REASON_COLUMN = 4;

    /** The test numbers whose reason is MoMo's own (operation:msisdn -> core outcome and reason). */
    private static final Map<String, SandboxReason> SANDBOX_REASONS = load(MomoDialect.SCENARIOS);

    private record SandboxReason(String correspondent, FailureCode code, String reason) {
    }

    /** An HTTP status and an ErrorReason code. */
    record Refusal(int status, String code) {
    }

    private MomoReasons() {
    }

    /** The reason a failed payment shows; a sandbox test number shows its table's reason. */
    static String failure(Payment p) {
        SandboxReason listed = SANDBOX_REASONS.get(key(p.kind(), p.msisdn()));
        // Only the listed outcome on the listed correspondent: the same number failing for
        // another reason (a merchant wallet too small) says that reason.
        if (listed != null && listed.correspondent().equals(p.correspondent()) && listed.code() == p.failureCode()) {
            return listed.reason();
        }
        return failure(p.failureCode());
    }

    static String failure(FailureCode code) {
        if (code == null) {
            return INTERNAL_PROCESSING_ERROR;
        }
        return switch (code) {
            case PAYER_NOT_FOUND -> "PAYER_NOT_FOUND";
            case PAYMENT_NOT_APPROVED -> "APPROVAL_REJECTED";
            case APPROVAL_EXPIRED -> "EXPIRED";
            case INSUFFICIENT_BALANCE, BALANCE_INSUFFICIENT -> NOT_ENOUGH_FUNDS;
            case PAYER_LIMIT_REACHED -> "PAYER_LIMIT_REACHED";
            case RECIPIENT_NOT_FOUND -> "PAYEE_NOT_FOUND";
            case RECIPIENT_NOT_ALLOWED_TO_RECEIVE, RECIPIENT_LIMIT_REACHED -> "PAYEE_NOT_ALLOWED_TO_RECEIVE";
            case MANUALLY_CANCELLED -> "TRANSACTION_CANCELED";
            case CORRESPONDENT_TEMPORARILY_UNAVAILABLE, OPERATOR_UNAVAILABLE -> SERVICE_UNAVAILABLE;
            case INVALID_CURRENCY -> INVALID_CURRENCY;
            case DEPOSITS_NOT_ALLOWED, PAYOUTS_NOT_ALLOWED, REFUNDS_NOT_ALLOWED, NOT_ALLOWED_BY_OPERATOR -> NOT_ALLOWED;
            case OPERATOR_DECLINED -> "COULD_NOT_PERFORM_TRANSACTION";
            default -> INTERNAL_PROCESSING_ERROR;
        };
    }

    /** A core rejection at the door as MoMo answers it. */
    static Refusal rejection(FailureCode code) {
        return switch (code) {
            case INVALID_CURRENCY -> new Refusal(400, INVALID_CURRENCY);
            case INVALID_PAYER_FORMAT -> new Refusal(400, "PAYER_NOT_FOUND");
            case INVALID_RECIPIENT_FORMAT -> new Refusal(400, "PAYEE_NOT_FOUND");
            case DEPOSITS_NOT_ALLOWED, PAYOUTS_NOT_ALLOWED, REFUNDS_NOT_ALLOWED, INVALID_CORRESPONDENT ->
                    new Refusal(403, NOT_ALLOWED);
            case CORRESPONDENT_TEMPORARILY_UNAVAILABLE -> new Refusal(503, SERVICE_UNAVAILABLE);
            case BALANCE_INSUFFICIENT -> new Refusal(400, NOT_ENOUGH_FUNDS);
            default -> new Refusal(400, MomoErrors.BAD_REQUEST);
        };
    }

    /** Refunds pay out to the customer, so they follow the payout rows, as in the simulator. */
    private static String key(PaymentKind kind, String msisdn) {
        return (kind == PaymentKind.DEPOSIT ? "DEPOSIT" : "PAYOUT") + ":" + msisdn;
    }

    private static Map<String, SandboxReason> load(String resource) {
        try (InputStream in = MomoReasons.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing scenario resource " + resource);
            }
            Map<String, SandboxReason> rows = new HashMap<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                String[] f = line.split(",");
                if (line.startsWith("#") || f.length <= SANDBOX_REASON_COLUMN) {
                    continue;
                }
                rows.put(f[0].trim() + ":" + f[1].trim(), new SandboxReason(f[2].trim(),
                        FailureCode.valueOf(f[3].trim()), f[SANDBOX_REASON_COLUMN].trim()));
            }
            return Map.copyOf(rows);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read MoMo's sandbox reasons", e);
        }
    }
}
