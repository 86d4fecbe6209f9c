package io.kulipa.ledger;

import java.math.BigDecimal;

/**
 * An account's totals. For a merchant wallet (money owed to the merchant) the available
 * balance is what was credited, less what was debited or is reserved.
 */
public record Balance(AccountRef account, BigDecimal debitsPending, BigDecimal debitsPosted,
                      BigDecimal creditsPending, BigDecimal creditsPosted) {

    public BigDecimal available() {
        return creditsPosted.subtract(debitsPosted).subtract(debitsPending);
    }

    /** Posted credits less posted debits: what the account holds once reservations settle either way. */
    public BigDecimal posted() {
        return creditsPosted.subtract(debitsPosted);
    }

    public BigDecimal reserved() {
        return debitsPending;
    }
}
