package io.kulipa.ledger;

import java.util.UUID;

/**
 * The identity of a ledger account. The code is derived, so that the account of a merchant's
 * Zambian kwacha, say, is found without a look-up: {@code wallet:<merchant>:ZMB:ZMW}.
 */
public record AccountRef(String code, AccountKind kind, String currency, UUID merchantId, String country) {

    public static AccountRef merchantWallet(UUID merchantId, String country, String currency) {
        return new AccountRef("wallet:" + merchantId + ":" + country + ":" + currency, AccountKind.MERCHANT_WALLET,
                currency, merchantId, country);
    }

    public static AccountRef settlement(String correspondent, String currency) {
        return new AccountRef("settlement:" + correspondent + ":" + currency, AccountKind.SETTLEMENT, currency,
                null, null);
    }

    public static AccountRef equity(String currency) {
        return new AccountRef("equity:opening:" + currency, AccountKind.EQUITY, currency, null, null);
    }
}
