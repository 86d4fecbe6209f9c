package io.kulipa.web.sandbox.demo;

import java.util.List;

/**
 * The parts of Scan to Pay's public WIG API (base path {@code /pluto}) the demo USSD application
 * uses, as a merchant's application would call them. {@link HttpWigApi} calls them over HTTP with
 * the demo merchant's credentials; nothing here reaches into the dialect.
 */
interface WigApi {

    /** A card linked to the customer's number, as {@code GET /purchase/network/cards} lists it. */
    record LinkedCard(String id, String label) {
    }

    /** What a call came to: {@code ok}, and the words to show the customer. */
    record Outcome(boolean ok, String message) {
    }

    /** The cards, or an empty list; a failure is an exception with the words to show. */
    List<LinkedCard> cards(String msisdn) throws WigFailure;

    /** {@code POST /purchase/network/code}: pays a merchant's code with the chosen card. */
    Outcome payCode(String msisdn, String code, String cardId) throws WigFailure;

    /**
     * {@code POST /purchase/network}: buys airtime for the number with the chosen card, under the
     * merchant's own reference for the purchase.
     */
    Outcome buyAirtime(String msisdn, String amount, String cardId, String reference) throws WigFailure;

    /** {@code POST /purchase/network/balance}: the balance of the chosen card's account. */
    Outcome balance(String msisdn, String cardId) throws WigFailure;

    /** The WIG API answered an error or did not answer; {@code getMessage()} is fit for a screen. */
    final class WigFailure extends Exception {
        WigFailure(String message) {
            super(message);
        }
    }
}
