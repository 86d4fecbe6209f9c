package io.kulipa.ledger;

/** What an account stands for, and whether it may go below zero. */
public enum AccountKind {
    /** What Kulipa owes a merchant in one currency. Never overdrawn. */
    MERCHANT_WALLET(true),
    /** What an operator (correspondent) owes Kulipa, or Kulipa owes it. Either sign. */
    SETTLEMENT(false),
    /** Where opening balances come from (sandbox funding). Either sign. */
    EQUITY(false),
    /** Money of MoMo vouchers not yet redeemed or cancelled; it can only hand out what it holds. */
    VOUCHER(true);

    private final boolean noOverdraft;

    AccountKind(boolean noOverdraft) {
        this.noOverdraft = noOverdraft;
    }

    public boolean noOverdraft() {
        return noOverdraft;
    }
}
