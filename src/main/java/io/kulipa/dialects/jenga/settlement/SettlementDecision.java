package io.kulipa.dialects.jenga.settlement;

/** What an ops action decided about a push held in settlement suspense. */
public enum SettlementDecision {
    /** The merchant's wallet was credited, net of the charge; a final code-3 callback follows. */
    SETTLED,
    /** The money went back to the customer; a final code-1 callback follows. */
    RETURNED
}
