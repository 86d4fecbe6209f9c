package io.kulipa.dialects.pawapay;

import io.kulipa.payments.FailureCode;

/**
 * The core's failure codes in pawaPay v1's words: the rejectionCode of a refused request and the
 * failureCode of a failed payment. pawaPay lists a closed set of each; a core code it has no word
 * for goes out as the nearest word it has (PARAMETER_INVALID for a rejection, OTHER_ERROR for a
 * failure), so clients that switch on the list never meet an unknown code.
 */
final class PawapayFailureCodes {

    private static final String PARAMETER_INVALID = "PARAMETER_INVALID";
    private static final String OTHER_ERROR = "OTHER_ERROR";

    private PawapayFailureCodes() {
    }

    /** The rejectionCode of a request refused at the door. */
    static String rejection(FailureCode code) {
        return switch (code) {
            case INVALID_CORRESPONDENT, REFUNDS_NOT_ALLOWED -> PARAMETER_INVALID;
            default -> code.name();
        };
    }

    /** The failureCode of an accepted payment that failed. */
    static String failure(FailureCode code) {
        return switch (code) {
            // pawaPay has no code for a prompt that ran out of time: to its merchants it was not approved.
            case APPROVAL_EXPIRED -> FailureCode.PAYMENT_NOT_APPROVED.name();
            case NOT_ALLOWED_BY_OPERATOR, OPERATOR_UNAVAILABLE, OPERATOR_DECLINED -> OTHER_ERROR;
            default -> code.name();
        };
    }
}
