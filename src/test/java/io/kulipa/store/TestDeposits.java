package io.kulipa.store;

import io.kulipa.money.Amount;
import io.kulipa.outbox.WorkHandOff;
import io.kulipa.payments.InitiatingPayment;
import io.kulipa.payments.Merchant;
import io.kulipa.payments.OnboardingMerchant;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentKind;
import io.kulipa.payments.PaymentRequest;
import io.kulipa.payments.ValidatingPaymentRequest;
import io.kulipa.providers.Availability;
import io.kulipa.providers.Catalog;
import io.kulipa.testing.TestDatabase;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * A new database with every migration applied, a payment store on it, a merchant of its own and
 * accepted deposits of 15.50 ZMW, made the way a request makes them, for the store tests.
 */
final class TestDeposits implements AutoCloseable {

    private final Database db;
    private final JdbiPaymentStore store;
    private final Merchant merchant;
    private final InitiatingPayment initiating;

    private TestDeposits(Database db, JdbiPaymentStore store, String merchantName) {
        this.db = db;
        this.store = store;
        this.merchant = new OnboardingMerchant(new JdbiMerchantStore(db.jdbi())).onboard(merchantName, Set.of(),
                Map.of(), null).merchant();
        this.initiating = initiating(store);
    }

    private static InitiatingPayment initiating(io.kulipa.payments.PaymentStore store) {
        return new InitiatingPayment(store, new ValidatingPaymentRequest(Catalog.loadDefault(),
                Availability.ALWAYS_OPERATIONAL), Availability.ALWAYS_OPERATIONAL, WorkHandOff.NONE, Clock.systemUTC());
    }

    /** {@code purpose} names the database and is the store's node id (jobs leased for 30 s). */
    static TestDeposits open(String purpose, String merchantName) {
        Database db = TestDatabase.open(purpose);
        return new TestDeposits(db, new JdbiPaymentStore(db.jdbi(), purpose, Duration.ofSeconds(30)), merchantName);
    }

    Jdbi jdbi() {
        return db.jdbi();
    }

    JdbiPaymentStore store() {
        return store;
    }

    @Override
    public void close() {
        db.close();
    }

    Merchant merchant() {
        return merchant;
    }

    /** A new deposit, ACCEPTED, with a fresh client id. */
    Payment accepted(String description) {
        return accepted(initiating, description);
    }

    /** An accepted deposit written through {@code through} (a store that wraps this one). */
    Payment accepted(String description, io.kulipa.payments.PaymentStore through) {
        return accepted(initiating(through), description);
    }

    private Payment accepted(InitiatingPayment initiating, String description) {
        PaymentRequest r = new PaymentRequest(merchant, PaymentKind.DEPOSIT, UUID.randomUUID().toString(), "pawapay",
                Amount.of(new BigDecimal("15.50")), "ZMW", "ZMB", "MTN_MOMO_ZMB", "260763456789", "2020-02-21T17:32:28Z",
                description, null, List.of(), "fp-" + UUID.randomUUID(), null, null);
        return ((InitiatingPayment.Result.Accepted) initiating.initiate(r)).payment();
    }
}
