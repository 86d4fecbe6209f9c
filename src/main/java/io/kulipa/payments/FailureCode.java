package io.kulipa.payments;

/**
 * Why a request was rejected or a payment failed, in the core's words. Each name says what
 * happened, whoever asked: a dialect maps it to its own wire words in its own folder
 * ({@code PawapayFailureCodes}, {@code MomoReasons}), so a code may read differently on each
 * wire. Checks that only one dialect's door makes (MoMo's target environment or callback host)
 * are that dialect's and have no code here.
 */
public enum FailureCode {
    // Rejections at the door: nothing is created.
    /** The body is not the object or array the call expects. */
    INVALID_INPUT,
    /** A field breaks its format rule; the message names it. */
    PARAMETER_INVALID,
    INVALID_AMOUNT,
    AMOUNT_TOO_SMALL,
    AMOUNT_TOO_LARGE,
    /** Not the correspondent's currency; an operator may also fail an accepted payment with it. */
    INVALID_CURRENCY,
    INVALID_COUNTRY,
    /** No correspondent (operator) of that name is known. */
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
    /** The payer refused the prompt, or locked it with wrong PINs. */
    PAYMENT_NOT_APPROVED,
    /** The payer did not answer the prompt in time: not a refusal. */
    APPROVAL_EXPIRED,
    /** The payer's wallet cannot pay the deposit. */
    INSUFFICIENT_BALANCE,
    TRANSACTION_ALREADY_IN_PROCESS,
    /** The merchant's wallet cannot cover the payout or refund. */
    BALANCE_INSUFFICIENT,
    RECIPIENT_NOT_FOUND,
    RECIPIENT_NOT_ALLOWED_TO_RECEIVE,
    RECIPIENT_LIMIT_REACHED,
    MANUALLY_CANCELLED,
    /** The operator does not allow this customer or account this transaction. */
    NOT_ALLOWED_BY_OPERATOR,
    /** The operator's platform could not be reached when it processed the payment. */
    OPERATOR_UNAVAILABLE,
    /** The operator declined to perform the transaction without saying why. */
    OPERATOR_DECLINED,
    /** Any other reason, or one the operator gave that the core does not know. */
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
