package io.kulipa.dialects.momo.invoices;

import io.kulipa.payments.PaymentKind;
import io.kulipa.payments.PaymentRequest;
import io.kulipa.payments.Rejection;
import io.kulipa.payments.ValidatingPaymentRequest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Creates a MoMo invoice: the deposit it will become must pass the core's rules now (payer
 * number, currency, limits), so that an invoice that could never be paid is refused at once.
 * A reused X-Reference-Id is a duplicate whatever the body, and writes nothing.
 */
public final class CreatingInvoice {

    /** MoMo's validityDuration is in seconds; an invoice lives at least a second and at most this long. */
    public static final Duration MAX_VALIDITY = Duration.ofDays(365);
    static final int PAYMENT_REFERENCE_DIGITS = 10;
    /** Payment references are random; a collision is rare, so a few draws always suffice. */
    static final int PAYMENT_REFERENCE_DRAWS_MAX = 5;

    /** What became of the request. */
    public sealed interface Result {
        record Created(Invoice invoice) implements Result {
        }

        record Duplicate() implements Result {
        }

        record Rejected(Rejection rejection) implements Result {
        }
    }

    private final InvoiceStore store;
    private final ValidatingPaymentRequest rules;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public CreatingInvoice(InvoiceStore store, ValidatingPaymentRequest rules, Clock clock) {
        this.store = store;
        this.rules = rules;
        this.clock = clock;
    }

    public Result create(NewInvoice n) {
        if (store.byReference(n.merchant().id(), n.referenceId()).isPresent()) {
            return new Result.Duplicate();
        }
        Optional<Rejection> rejection = rules.check(new PaymentRequest(n.merchant(), PaymentKind.DEPOSIT,
                n.referenceId().toString(), PayingInvoice.DIALECT, n.amount(), n.currency(), null, n.correspondent(),
                n.payerMsisdn(), null, null, null, List.of(), "", null, null));
        if (rejection.isPresent()) {
            return new Result.Rejected(rejection.get());
        }
        Instant now = clock.instant();
        for (int draw = 0; draw < PAYMENT_REFERENCE_DRAWS_MAX; draw++) {
            Invoice invoice = new Invoice(UUID.randomUUID(), n.merchant().id(), n.referenceId(), n.apiUserId(),
                    n.environment(), n.correspondent(), n.externalId(), n.amount().value(), n.amount().text(),
                    n.currency(), n.payerMsisdn(), n.payee(), n.description(), paymentReference(),
                    InvoiceStatus.PENDING, null, now.plus(n.validity()), n.callbackUrl(), 0, null, null, now, now);
            switch (store.insert(invoice)) {
                case CREATED -> {
                    return new Result.Created(invoice);
                }
                case DUPLICATE_REFERENCE -> {
                    return new Result.Duplicate();
                }
                case DUPLICATE_PAYMENT_REFERENCE -> {
                    // Draw again.
                }
            }
        }
        throw new IllegalStateException("no free invoice payment reference after " + PAYMENT_REFERENCE_DRAWS_MAX
                + " draws");
    }

    private String paymentReference() {
        StringBuilder digits = new StringBuilder(PAYMENT_REFERENCE_DIGITS);
        for (int i = 0; i < PAYMENT_REFERENCE_DIGITS; i++) {
            digits.append(random.nextInt(10));
        }
        return digits.toString();
    }
}
