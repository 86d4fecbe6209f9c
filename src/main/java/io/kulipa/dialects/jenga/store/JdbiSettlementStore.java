package io.kulipa.dialects.jenga.store;

import io.kulipa.dialects.jenga.settlement.SettlementDecision;
import io.kulipa.dialects.jenga.settlement.SettlementStore;
import io.kulipa.ledger.LedgerOp;
import io.kulipa.outbox.Job;
import io.kulipa.outbox.JobKind;
import io.kulipa.payments.Payment;
import io.kulipa.store.CallbackOutbox;
import io.kulipa.store.LedgerSql;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** Decisions on Jenga pushes in settlement suspense, and their postings, in PostgreSQL. */
public final class JdbiSettlementStore implements SettlementStore {

    private final Jdbi jdbi;
    private final CallbackOutbox callbacks;
    private final LedgerSql ledgerSql = new LedgerSql();

    public JdbiSettlementStore(Jdbi jdbi, CallbackOutbox callbacks) {
        this.jdbi = jdbi;
        this.callbacks = callbacks;
    }

    @Override
    public Optional<SettlementDecision> decision(UUID paymentId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT decision FROM jenga_settlement WHERE payment_id = :p")
                .bind("p", paymentId).mapTo(String.class).findOne().map(SettlementDecision::valueOf));
    }

    @Override
    public boolean decide(Payment push, SettlementDecision decision, BigDecimal charge, List<LedgerOp> postings,
                          Instant at) {
        return jdbi.inTransaction(h -> {
            int inserted = h.createUpdate("""
                            INSERT INTO jenga_settlement (payment_id, merchant_id, decision, amount, charge, decided_at)
                            VALUES (:p, :m, :d, :amount, :charge, :at)
                            ON CONFLICT (payment_id) DO NOTHING""")
                    .bind("p", push.id()).bind("m", push.merchantId()).bind("d", decision.name())
                    .bind("amount", push.processedAmount() != null ? push.processedAmount() : push.amount())
                    .bind("charge", charge).bind("at", at.atOffset(ZoneOffset.UTC)).execute();
            if (inserted == 0) {
                return false;
            }
            ledgerSql.applyAll(h, postings.stream().map(op -> new LedgerSql.Entry(push.id(), op)).toList());
            // The push's callback tells the new outcome; it is committed with the decision.
            callbacks.add(h, JobKind.WEBHOOK, Job.PAYMENT, push.id().toString(), push.id(), null);
            return true;
        });
    }
}
