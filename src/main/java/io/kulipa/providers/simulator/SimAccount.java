package io.kulipa.providers.simulator;

import java.math.BigDecimal;

/**
 * An account a simulated customer holds at an operator besides the wallet (the primary
 * account): what a handset prompt may offer to pay from.
 */
public record SimAccount(String msisdn, String number, String name, String currency, BigDecimal balance) {

    public SimAccount withBalance(BigDecimal value) {
        return new SimAccount(msisdn, number, name, currency, value);
    }
}
