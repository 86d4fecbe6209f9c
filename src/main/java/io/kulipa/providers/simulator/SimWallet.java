package io.kulipa.providers.simulator;

import java.math.BigDecimal;

/**
 * A simulated customer's mobile money wallet. {@code approvalMode} null follows the global
 * setting; {@code pinHash} is the {@link SimPin} hash of the PIN the customer chose, or null
 * while the wallet keeps the operator's opening PIN (a setting, so nothing needs storing).
 */
public record SimWallet(String msisdn, String currency, BigDecimal balance, String pinHash, String approvalMode) {

    /** Whether {@code candidate} is this wallet's PIN, compared in constant time. */
    public boolean pinIs(String candidate, String openingPin) {
        return SimPin.matches(pinHash, openingPin, candidate);
    }

    @Override
    public String toString() {
        // Not even the PIN's hash goes into a log line.
        return "SimWallet[msisdn=" + msisdn + ", currency=" + currency + ", balance=" + balance + "]";
    }
}
