package io.kulipa.payments;

/**
 * Where a payment is in its life. The allowed moves are data: {@link Transitions}.
 * IN_DOUBT is the "unknown outcome" state: the operator may or may not have the payment,
 * so it is neither failed nor submitted until the reconciler asks the operator.
 */
public enum PaymentState {
    ACCEPTED,
    ENQUEUED,
    IN_DOUBT,
    SUBMITTED,
    COMPLETED,
    FAILED;

    public boolean isFinal() {
        return Transitions.TABLE.isFinal(this);
    }
}
