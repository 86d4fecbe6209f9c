package io.kulipa.dialects.jenga.settlement;

import io.kulipa.ledger.LedgerOp;
import io.kulipa.payments.Payment;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The decisions on pushes in settlement suspense, with their ledger postings. */
public interface SettlementStore {

    Optional<SettlementDecision> decision(UUID paymentId);

    /**
     * Records the decision, applies its postings and adds the push's callback to the outbox, in
     * one transaction; false when the push was decided before (nothing is written then).
     */
    boolean decide(Payment push, SettlementDecision decision, BigDecimal charge, List<LedgerOp> postings, Instant at);
}
