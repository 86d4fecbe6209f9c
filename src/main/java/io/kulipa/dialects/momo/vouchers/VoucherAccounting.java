package io.kulipa.dialects.momo.vouchers;

import io.kulipa.ledger.AccountKind;
import io.kulipa.ledger.AccountRef;
import io.kulipa.ledger.LedgerOp;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The ledger postings of a voucher. Creating it moves the amount at once (posted, not reserved)
 * from the creator's wallet to the voucher account of its country and currency, so the creator's
 * available balance drops and the money belongs to no merchant until the voucher ends; redeeming
 * moves it to the redeeming merchant's wallet, cancelling back to the creator's. Transfer ids are
 * derived from the voucher id, so a posting applied twice changes nothing.
 */
public final class VoucherAccounting {

    private VoucherAccounting() {
    }

    public static AccountRef holding(String country, String currency) {
        return new AccountRef("voucher:holding:" + country + ":" + currency, AccountKind.VOUCHER, currency, null,
                country);
    }

    public static LedgerOp.Post created(Voucher v) {
        return new LedgerOp.Post(derived("voucher-create", v.id()),
                AccountRef.merchantWallet(v.merchantId(), v.country(), v.currency()), holding(v), v.amount());
    }

    public static LedgerOp.Post redeemed(Voucher v, UUID redeemer) {
        return new LedgerOp.Post(derived("voucher-redeem", v.id()), holding(v),
                AccountRef.merchantWallet(redeemer, v.country(), v.currency()), v.amount());
    }

    public static LedgerOp.Post cancelled(Voucher v) {
        return new LedgerOp.Post(derived("voucher-cancel", v.id()), holding(v),
                AccountRef.merchantWallet(v.merchantId(), v.country(), v.currency()), v.amount());
    }

    private static AccountRef holding(Voucher v) {
        return holding(v.country(), v.currency());
    }

    private static UUID derived(String purpose, UUID id) {
        return UUID.nameUUIDFromBytes((purpose + ":" + id).getBytes(StandardCharsets.UTF_8));
    }
}
