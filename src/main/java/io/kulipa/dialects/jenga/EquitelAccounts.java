package io.kulipa.dialects.jenga;

import io.kulipa.payments.PaymentStore;
import io.kulipa.providers.simulator.SimAccount;
import io.kulipa.providers.simulator.SimTransaction;
import io.kulipa.providers.simulator.SimulatedOperators;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/**
 * The accounts of a simulated Equitel customer: the wallet is the primary account, which a USSD
 * push debits; an STK push lets the customer choose among it and these, on the handset.
 */
final class EquitelAccounts implements SimulatedOperators.CustomerAccounts {

    /** What every simulated Equitel customer holds besides the wallet: suffix of the number, name, balance. */
    private record Opening(String suffix, String name, BigDecimal balance) {
    }

    private static final List<Opening> OPENING = List.of(
            new Opening("01", "Equity Savings", new BigDecimal("50000")),
            new Opening("02", "Equity Current", new BigDecimal("2500")));

    private final PaymentStore payments;

    EquitelAccounts(PaymentStore payments) {
        this.payments = payments;
    }

    /** Account numbers are the customer's number without the country code, and a suffix. */
    @Override
    public List<SimAccount> opening(String msisdn, String currency) {
        String local = msisdn.startsWith("254") ? msisdn.substring(3) : msisdn;
        return OPENING.stream().map(o -> new SimAccount(msisdn, "0" + local + o.suffix(), o.name(), currency,
                o.balance())).toList();
    }

    @Override
    public boolean choosable(SimTransaction t) {
        try {
            return payments.get(UUID.fromString(t.reference()))
                    .filter(p -> JengaJson.DIALECT.equals(p.dialect()))
                    .map(p -> JengaJson.metadata(p, JengaJson.PUSH_TYPE, ""))
                    .filter("STK"::equals).isPresent();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
