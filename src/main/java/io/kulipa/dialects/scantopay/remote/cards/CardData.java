package io.kulipa.dialects.scantopay.remote.cards;

/**
 * A card as a wallet sends it on a purchase or a 3-D Secure look-up. Only in memory: the PAN,
 * the CVV and the rest are never logged, and {@link #toString()} shows the last four only.
 */
public record CardData(String pan, String expiry, String cvv, String accountType, String dateOfBirth,
                       String cardHolderName) {

    public String lastFour() {
        return pan == null || pan.length() < 4 ? "" : pan.substring(pan.length() - 4);
    }

    @Override
    public String toString() {
        return "CardData[****" + lastFour() + "]";
    }
}
