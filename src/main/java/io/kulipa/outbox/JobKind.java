package io.kulipa.outbox;

/** The kinds of durable work in the outbox. */
public enum JobKind {
    /** Send an accepted payment to its operator. */
    SUBMIT,
    /** Ask the operator about a payment whose outcome has not arrived. */
    CHECK,
    /** Deliver the final-status callback of a payment to its merchant. */
    WEBHOOK
}
