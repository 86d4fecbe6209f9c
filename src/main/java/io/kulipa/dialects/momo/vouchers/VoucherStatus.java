package io.kulipa.dialects.momo.vouchers;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

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

    private static final Map<VoucherStatus, Set<VoucherStatus>> NEXT = Map.of(
            SUCCESSFUL, EnumSet.of(REDEEMED, CANCELLED, LOCKED),
            LOCKED, EnumSet.of(CANCELLED),
            REDEEMED, EnumSet.noneOf(VoucherStatus.class),
            CANCELLED, EnumSet.noneOf(VoucherStatus.class));

    public boolean canBecome(VoucherStatus next) {
        return NEXT.get(this).contains(next);
    }

    public boolean isFinal() {
        return NEXT.get(this).isEmpty();
    }
}
