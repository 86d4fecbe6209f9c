package io.kulipa.dialects.jenga.pushes;

import io.kulipa.money.Amount;

/**
 * A push request as parsed from the wire, every field checked for its format. The amount is kept
 * as sent because the signature covers the text, not the number.
 */
public record Push(String countryCode, String accountNumber, String merchantName, String ref, String mobileNumber,
                   String telco, Amount amount, String currency, String date, String callBackUrl, PushType pushType,
                   String fingerprint) {

    /** STK lets the customer choose an account on the handset; USSD debits the primary one. */
    public enum PushType { STK, USSD }

    /** The text the Signature header signs: the spec's six fields, concatenated as sent. */
    public static String signedText(String accountNumber, String ref, String mobileNumber, String telco,
                                    String amount, String currency) {
        return accountNumber + ref + mobileNumber + telco + amount + currency;
    }
}
