package io.kulipa.payments;

/**
 * Why a request was rejected or a payment failed, in the core's words. The names follow the
 * pawaPay failure codes; other dialects map them to their own.
 */
public enum FailureCode {
    // Rejections at the door: nothing is created.
    INVALID_INPUT,
    PARAMETER_INVALID,
    INVALID_AMOUNT,
    AMOUNT_TOO_SMALL,
    AMOUNT_TOO_LARGE,
    INVALID_CURRENCY,
    INVALID_COUNTRY,
    INVALID_CORRESPONDENT,
    INVALID_PAYER_FORMAT,
    INVALID_RECIPIENT_FORMAT,
    DEPOSITS_NOT_ALLOWED,
    PAYOUTS_NOT_ALLOWED,
    REFUNDS_NOT_ALLOWED,
    CORRESPONDENT_TEMPORARILY_UNAVAILABLE,
    // Failures of an accepted payment.
    PAYER_LIMIT_REACHED,
    PAYER_NOT_FOUND,
    PAYMENT_NOT_APPROVED,
    INSUFFICIENT_BALANCE,
    TRANSACTION_ALREADY_IN_PROCESS,
    BALANCE_INSUFFICIENT,
    RECIPIENT_NOT_FOUND,
    RECIPIENT_NOT_ALLOWED_TO_RECEIVE,
    RECIPIENT_LIMIT_REACHED,
    MANUALLY_CANCELLED,
    // Failures MoMo reports in its own words (its sandbox test numbers produce them).
    EXPIRED,
    NOT_ALLOWED,
    NOT_ALLOWED_TARGET_ENVIRONMENT,
    INVALID_CALLBACK_URL_HOST,
    INTERNAL_PROCESSING_ERROR,
    SERVICE_UNAVAILABLE,
    COULD_NOT_PERFORM_TRANSACTION,
    OTHER_ERROR;

    /** Maps an operator's code to the core's; an unknown code is an OTHER_ERROR, never a guess. */
    public static FailureCode fromProvider(String code) {
        if (code == null) {
            return OTHER_ERROR;
        }
        try {
            return valueOf(code);
        } catch (IllegalArgumentException e) {
            return OTHER_ERROR;
        }
    }
}
