package io.kulipa.dialects.scantopay.remote.cards;

/**
 * What a card's BIN asks of a purchase ({@code /binLookup}'s answer): how it is authorised
 * ({@code AMT}: a PIN block; {@code 3DS}: 3-D Secure) and which card fields must come with it.
 */
public record CardRequirements(String bin, String authMethod, boolean cvvNeeded, boolean accNeeded,
                               boolean dobNeeded, boolean cardHolderNameNeeded) {

    public static final String PIN = "AMT";
    public static final String THREE_DS = "3DS";

    public boolean threeDs() {
        return THREE_DS.equals(authMethod);
    }
}
