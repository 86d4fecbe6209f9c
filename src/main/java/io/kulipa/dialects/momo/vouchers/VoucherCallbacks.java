package io.kulipa.dialects.momo.vouchers;

/**
 * Tells the creator of a voucher that it reached a final state, at the X-Callback-Url it gave.
 * Called after the change has committed; implemented in {@code webhooks}.
 */
public interface VoucherCallbacks {

    VoucherCallbacks NONE = voucher -> { };

    void finalState(Voucher voucher);
}
