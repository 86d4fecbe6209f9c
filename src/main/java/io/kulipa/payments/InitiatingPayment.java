package io.kulipa.payments;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts a deposit or payout request: a known client id answers as a duplicate whatever the
 * body, a request that breaks a rule is rejected with nothing written, and an accepted one is
 * committed together with its submit job before the caller hears "accepted".
 */
public final class InitiatingPayment {

    private static final Logger LOG = LoggerFactory.getLogger(InitiatingPayment.class);

    /** What became of the request. */
    public sealed interface Result {
        record Accepted(Payment payment) implements Result {
        }

        record Duplicate(Payment original) implements Result {
        }

        record Rejected(Rejection rejection) implements Result {
        }
    }

    private final PaymentStore store;
    private final ValidatingPaymentRequest rules;
    private final WorkHandOff handOff;
    private final Clock clock;

    public InitiatingPayment(PaymentStore store, ValidatingPaymentRequest rules, WorkHandOff handOff, Clock clock) {
        this.store = store;
        this.rules = rules;
        this.handOff = handOff;
        this.clock = clock;
    }

    public Result initiate(PaymentRequest request) {
        Optional<Rejection> rejection = rules.check(request);
        if (rejection.isPresent()) {
            // A known id answers as a duplicate whatever the body; the look-up is only paid
            // on this rare path, the insert below settles it for valid requests.
            Optional<Payment> existing = store.find(request.merchant().id(), request.kind(), request.clientRef());
            if (existing.isPresent()) {
                return duplicate(existing.get(), request);
            }
            LOG.info("rejected {} {}: {}", request.kind(), request.clientRef(), rejection.get().code());
            return new Result.Rejected(rejection.get());
        }
        Instant now = clock.instant();
        String country = request.country() != null ? request.country() : rules.countryOf(request.correspondent());
        PaymentStore.Insertion insertion = store.insertIfAbsent(newPayment(request, country, now),
                List.of(new NewJob(JobKind.SUBMIT, now, null, true)));
        if (!insertion.created()) {
            return duplicate(insertion.payment(), request);
        }
        handOff.handOff(JobKind.SUBMIT, insertion.leasedJobs());
        return new Result.Accepted(insertion.payment());
    }

    private Result duplicate(Payment original, PaymentRequest request) {
        boolean sameBody = original.fingerprint().equals(request.fingerprint());
        store.recordRepeat(original.id(), request.fingerprint(), sameBody);
        return new Result.Duplicate(original);
    }

    private static Payment newPayment(PaymentRequest r, String country, Instant now) {
        return new Payment(UUID.randomUUID(), r.merchant().id(), r.kind(), r.clientRef(), r.dialect(),
                PaymentState.ACCEPTED, r.amount().value(), r.amount().text(), r.currency(), country,
                r.correspondent(), r.msisdn(), r.customerTimestamp(), r.statementDescription(),
                r.preAuthorisationCode(), r.metadata(), r.fingerprint(), r.callbackUrl(), null, null, null, null,
                null, null, now, now);
    }
}
