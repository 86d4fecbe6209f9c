package io.kulipa.payments;

import io.kulipa.providers.Operation;

/** The kinds of payment the core keeps. */
public enum PaymentKind {
    DEPOSIT(Operation.DEPOSIT),
    PAYOUT(Operation.PAYOUT),
    REFUND(Operation.REFUND);

    private final Operation operation;

    PaymentKind(Operation operation) {
        this.operation = operation;
    }

    public Operation operation() {
        return operation;
    }
}
