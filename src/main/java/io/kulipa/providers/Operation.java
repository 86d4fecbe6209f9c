package io.kulipa.providers;

/** The kinds of money movement an operator connector performs. */
public enum Operation {
    /** Collection: money moves from the customer's wallet to the merchant. */
    DEPOSIT,
    /** Disbursement: money moves from the merchant to the customer's wallet. */
    PAYOUT,
    /** Money of a completed deposit goes back to the customer's wallet. */
    REFUND
}
