package io.kulipa.providers.simulator;

import java.math.BigDecimal;

/** A simulated customer's mobile money wallet. {@code approvalMode} null follows the global setting. */
public record SimWallet(String msisdn, String currency, BigDecimal balance, String pin, String approvalMode) {

    @Override
    public String toString() {
        // The PIN stays out of every log line.
        return "SimWallet[msisdn=" + msisdn + ", currency=" + currency + ", balance=" + balance + "]";
    }
}
