package io.kulipa.cards;

import java.time.Instant;
import java.time.YearMonth;
import java.util.UUID;

/**
 * A card linked to a customer's MSISDN, as anyone outside the vault may see it: its id, the BIN
 * (first six digits) and last four for display, the expiry. Never the PAN, and there is no CVV
 * or PIN anywhere in Kulipa to show.
 *
 * @param lookupHash the vault's keyed hash of the PAN (finds the card and the issuer's account)
 */
public record Card(UUID id, String msisdn, String bin, String last4, YearMonth expiry, String lookupHash,
                   Instant linkedAt) {

    /** BIN, six masked digits, last four: {@code 400000******0002}, as card lists show it. */
    public String masked() {
        return bin + "******" + last4;
    }

    /** How a prompt names the card: {@code ****0002}. */
    public String shortName() {
        return "****" + last4;
    }

    public boolean expiredAt(YearMonth now) {
        return expiry.isBefore(now);
    }

    @Override
    public String toString() {
        return "Card[" + id + " " + masked() + "]";
    }
}
