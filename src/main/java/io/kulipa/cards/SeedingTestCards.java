package io.kulipa.cards;

import io.kulipa.providers.simulator.CardIssuers;
import io.kulipa.providers.simulator.IssuerCard;
import io.kulipa.providers.simulator.SimulatedIssuers;
import java.math.BigDecimal;
import java.time.YearMonth;

/**
 * The sandbox's test cards (docs/scantopay.md lists them): linked to their MSISDNs in the vault
 * and opened at their simulated issuer, on every sandbox start; a card already there is kept as
 * it is (its balance, wrong PINs, lock).
 */
public final class SeedingTestCards {

    private SeedingTestCards() {
    }

    /** Links and opens every test card; answers how many are linked. */
    public static int seed(CardVault vault, SimulatedIssuers issuers) {
        int linked = 0;
        for (CardIssuers.TestCard t : issuers.data().testCards()) {
            if (link(vault, issuers, t.msisdn(), t.pan(), YearMonth.parse(t.expiry()), t.pin(),
                    new BigDecimal(t.balance()), new BigDecimal(t.creditLimit()), t.forcedCode())) {
                linked++;
            }
        }
        return linked;
    }

    /**
     * Links a card to a handset and opens its account at the simulated issuer of its BIN (the
     * sandbox's "link a card" tool); false when the PAN is not a card's or no bank issues it.
     */
    public static boolean link(CardVault vault, SimulatedIssuers issuers, String msisdn, String pan, YearMonth expiry,
                               String pin, BigDecimal balance, BigDecimal creditLimit, String forcedCode) {
        if (!(vault.link(msisdn, pan, expiry) instanceof CardVault.Linked.Done done)) {
            return false;
        }
        Card c = done.card();
        return issuers.openAccount(new IssuerCard(c.lookupHash(), c.bin(), c.last4(), c.expiry()), pin, balance,
                creditLimit, forcedCode);
    }

    public static IssuerCard issuerCard(Card c) {
        return new IssuerCard(c.lookupHash(), c.bin(), c.last4(), c.expiry());
    }
}
