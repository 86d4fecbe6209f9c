package io.kulipa.providers.simulator;

import java.math.BigDecimal;
import java.time.YearMonth;

/**
 * A card account at a simulated issuing bank. The balance may go down to minus the credit limit;
 * the PIN is kept as a slow hash ({@link SimPin}); three wrong PINs lock the card.
 *
 * @param forcedCode an ISO 8583 response code every authorisation of this card answers (test cards), or null
 */
public record SimCardAccount(String lookupHash, String bank, String bin, String last4, YearMonth expiry,
                             String currency, BigDecimal balance, BigDecimal creditLimit, String pinHash,
                             int wrongPins, boolean locked, String forcedCode) {

    public BigDecimal available() {
        return balance.add(creditLimit);
    }

    public SimCardAccount withBalance(BigDecimal value) {
        return new SimCardAccount(lookupHash, bank, bin, last4, expiry, currency, value, creditLimit, pinHash,
                wrongPins, locked, forcedCode);
    }

    public SimCardAccount withWrongPins(int count, boolean lock) {
        return new SimCardAccount(lookupHash, bank, bin, last4, expiry, currency, balance, creditLimit, pinHash,
                count, lock, forcedCode);
    }
}
