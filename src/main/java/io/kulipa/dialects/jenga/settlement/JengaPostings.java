package io.kulipa.dialects.jenga.settlement;

import io.kulipa.dialects.jenga.JengaOutcome;
import io.kulipa.dialects.jenga.Tariff;
import io.kulipa.ledger.AccountKind;
import io.kulipa.ledger.AccountRef;
import io.kulipa.ledger.LedgerOp;
import io.kulipa.payments.Accounting;
import io.kulipa.payments.DepositPostings;
import io.kulipa.payments.Payment;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The ledger postings of a Jenga push (see docs/jenga.md, "Ledger"). A completed push credits the
 * merchant's wallet net of the charge the callback reports; the charge stays in Equitel's
 * settlement account, as the operator keeps it. A push that ends in code 2 or 4 moves the whole
 * amount into a settlement-suspense account instead, until an ops action settles it (wallet net,
 * charge back to settlement) or returns it (all of it back to settlement, for the customer).
 * Transfer ids are derived from the payment id, so a posting applied twice changes nothing.
 */
public final class JengaPostings implements DepositPostings {

    private final JengaOutcome.TestNumbers testNumbers;
    private final Tariff tariff;

    public JengaPostings(JengaOutcome.TestNumbers testNumbers, Tariff tariff) {
        this.testNumbers = testNumbers;
        this.tariff = tariff;
    }

    /** Whether a completed push waits in suspense: its outcome is code 2 or 4. */
    public boolean awaitsSettlement(Payment p) {
        return testNumbers.find(p.msisdn()).map(JengaOutcome::code)
                .filter(c -> c == JengaOutcome.AWAITING_SETTLEMENT || c == JengaOutcome.AWAITING_THIRD_PARTY_SETTLEMENT)
                .isPresent();
    }

    public static AccountRef suspense(Payment p) {
        return new AccountRef("suspense:" + p.correspondent() + ":" + p.currency(), AccountKind.SETTLEMENT,
                p.currency(), null, null);
    }

    /** The charge of a push, never more than its amount. */
    public BigDecimal charge(Payment p) {
        return tariff.charge(p.amount()).min(p.amount());
    }

    @Override
    public List<LedgerOp> onCompleted(Payment p, BigDecimal processedAmount) {
        BigDecimal amount = processedAmount != null ? processedAmount : p.amount();
        if (amount.signum() <= 0) {
            return List.of();
        }
        if (awaitsSettlement(p)) {
            return List.of(new LedgerOp.Post(derived("jenga-suspense", p.id()), Accounting.settlement(p), suspense(p),
                    amount));
        }
        BigDecimal net = amount.subtract(charge(p).min(amount));
        return net.signum() > 0
                ? List.of(new LedgerOp.Post(derived("jenga-net", p.id()), Accounting.settlement(p), Accounting.wallet(p), net))
                : List.of();
    }

    /** Settling: the wallet gets the amount net of the charge, the charge goes back to settlement. */
    public List<LedgerOp> settled(Payment p) {
        BigDecimal amount = held(p);
        BigDecimal charge = charge(p).min(amount);
        List<LedgerOp> ops = new ArrayList<>();
        if (amount.subtract(charge).signum() > 0) {
            ops.add(new LedgerOp.Post(derived("jenga-settle", p.id()), suspense(p), Accounting.wallet(p),
                    amount.subtract(charge)));
        }
        if (charge.signum() > 0) {
            ops.add(new LedgerOp.Post(derived("jenga-settle-charge", p.id()), suspense(p), Accounting.settlement(p),
                    charge));
        }
        return ops;
    }

    /** Returning: the whole amount goes back to Equitel's settlement account, for the customer. */
    public List<LedgerOp> returned(Payment p) {
        return List.of(new LedgerOp.Post(derived("jenga-return", p.id()), suspense(p), Accounting.settlement(p), held(p)));
    }

    private static BigDecimal held(Payment p) {
        return p.processedAmount() != null ? p.processedAmount() : p.amount();
    }

    private static UUID derived(String purpose, UUID id) {
        return UUID.nameUUIDFromBytes((purpose + ":" + id).getBytes(StandardCharsets.UTF_8));
    }
}
