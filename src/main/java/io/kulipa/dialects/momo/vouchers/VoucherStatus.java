package io.kulipa.dialects.momo.vouchers;

import io.kulipa.states.TransitionTable;

/**
 * Where a voucher stands, in MoMo's words. A created voucher is SUCCESSFUL (its create
 * transaction succeeded and the money sits in the voucher account); REDEEMED and CANCELLED are
 * final; LOCKED means too many wrong secrets or OTPs: it can no longer be redeemed, but its
 * creator may still cancel it so that the money is never stuck.
 */
public enum VoucherStatus {
    SUCCESSFUL,
    REDEEMED,
    CANCELLED,
    LOCKED;

    /** The voucher's state machine, of the same shape as every other one (docs/states.md renders it). */
    public static final TransitionTable<VoucherStatus> TABLE = TransitionTable.of("voucher", SUCCESSFUL)
            .allow(SUCCESSFUL, REDEEMED, CANCELLED, LOCKED)
            .allow(REDEEMED)
            .allow(CANCELLED)
            .allow(LOCKED, CANCELLED)
            .build();

    public boolean canBecome(VoucherStatus next) {
        return TABLE.allowed(this, next);
    }

    public boolean isFinal() {
        return TABLE.isFinal(this);
    }
}
