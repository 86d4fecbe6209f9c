package io.kulipa.ledger;

/** A debit or reservation would take an account that must not be overdrawn below zero. */
public final class InsufficientFunds extends RuntimeException {

    public InsufficientFunds(String account) {
        super("not enough available funds in " + account);
    }
}
