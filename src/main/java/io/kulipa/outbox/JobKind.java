package io.kulipa.outbox;

/** The kinds of durable work in the outbox. */
public enum JobKind {
    /** Send an accepted payment to its operator. */
    SUBMIT,
    /** Ask the operator about a payment whose outcome has not arrived. */
    CHECK,
    /** Deliver a callback (a payment's final status, a pre-approval's, an invoice's...) to its receiver. */
    WEBHOOK,
    /** Hand a callback its receiver never acknowledged to its policy's hook (Scan to Pay reverses the payment). */
    UNACKNOWLEDGED
}
