package io.kulipa.payments;

import io.kulipa.ledger.LedgerOp;
import java.math.BigDecimal;
import java.util.List;

/**
 * The ledger postings of a deposit the operator completed. The core's rule
 * ({@link Accounting#onCompleted}) credits the merchant's wallet with what the operator moved; a
 * dialect whose provider settles differently (net of a charge, or into a suspense account until
 * someone settles it by hand) gives its own. The postings are written in the same transaction
 * as the payment's move to COMPLETED, so they must balance on their own.
 */
@FunctionalInterface
public interface DepositPostings {

    DepositPostings CORE = Accounting::onCompleted;

    List<LedgerOp> onCompleted(Payment payment, BigDecimal processedAmount);
}
