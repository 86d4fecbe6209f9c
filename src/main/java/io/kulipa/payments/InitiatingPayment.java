package io.kulipa.payments;

import io.kulipa.outbox.JobKind;
import io.kulipa.outbox.NewJob;
import io.kulipa.outbox.WorkHandOff;

import io.kulipa.providers.Availability;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts a deposit, payout or refund request: a known client id (in the request's dialect)
 * answers as a duplicate whatever the body — even one the dialect could not read — a request
 * that breaks a rule is rejected with nothing written, and an accepted one is committed with
 * its first jobs — and, for a payout or refund, the reservation of its funds — before the
 * caller hears "accepted". A payout to a correspondent whose payouts are DELAYED is accepted
 * as ENQUEUED with its funds reserved.
 */
public final class InitiatingPayment {

    private static final Logger LOG = LoggerFactory.getLogger(InitiatingPayment.class);
    /** How the history tells an unreadable repeat from a fingerprint. */
    private static final String UNREADABLE_PREFIX = "unparsable-as-";

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
    private final Availability availability;
    private final WorkHandOff handOff;
    private final Clock clock;

    /** @param store a group-committing store makes concurrent requests share commits */
    public InitiatingPayment(PaymentStore store, ValidatingPaymentRequest rules,
                             Availability availability, WorkHandOff handOff, Clock clock) {
        this.store = store;
        this.rules = rules;
        this.availability = availability;
        this.handOff = handOff;
        this.clock = clock;
    }

    public Result initiate(PaymentRequest request) {
        Optional<Rejection> rejection = rules.check(request);
        if (rejection.isPresent()) {
            // A known id answers as a duplicate whatever the body; the look-up is only paid
            // on this rare path, the insert below settles it for valid requests.
            Optional<Payment> existing = store.find(request.merchant().id(), request.dialect(), request.kind(),
                    request.clientRef());
            if (existing.isPresent()) {
                return duplicate(existing.get(), request);
            }
            LOG.info("rejected {} {}: {}", request.kind(), request.clientRef(), rejection.get().code());
            return new Result.Rejected(rejection.get());
        }
        Instant now = clock.instant();
        boolean enqueue = request.kind() == PaymentKind.PAYOUT
                && availability.status(request.correspondent(), request.kind().operation()) == Availability.Status.DELAYED;
        Payment payment = newPayment(request, rules.countryOf(request.correspondent()),
                enqueue ? PaymentState.ENQUEUED : PaymentState.ACCEPTED, now);
        List<NewJob> jobs = enqueue ? List.of() : List.of(new NewJob(JobKind.SUBMIT, now, null, true));
        PaymentStore.NewPayment toWrite = Accounting.reserves(request.kind())
                ? new PaymentStore.NewPayment(payment, jobs, Accounting.reservation(payment),
                FailureCode.BALANCE_INSUFFICIENT, request.refundOf() == null ? null : request.refundOf().refundable())
                : PaymentStore.NewPayment.of(payment, jobs);
        return switch (store.insertAll(List.of(toWrite)).getFirst()) {
            case PaymentStore.Inserted.Created c -> {
                handOff.handOff(c.leasedJobs());
                yield new Result.Accepted(c.payment());
            }
            case PaymentStore.Inserted.Duplicate d -> duplicate(d.original(), request);
            case PaymentStore.Inserted.Refused r -> new Result.Rejected(r.rejection());
        };
    }

    /**
     * A request its dialect could not read far enough to make a {@link PaymentRequest} of, but
     * whose client id it could read.
     *
     * @param why a short word for the payment's history: what the dialect refused it for
     */
    public record Unreadable(UUID merchantId, String dialect, PaymentKind kind, String clientRef, String why) {
    }

    /**
     * The rule for a request that could not be read: a client id the merchant already used in
     * that dialect is a duplicate whatever the body says, so the original answers and the repeat
     * is written to its history as a different body; nothing else is written. Empty when the id
     * is new, and the dialect's own refusal stands.
     */
    public Optional<Payment> duplicateOf(Unreadable r) {
        Optional<Payment> existing = store.find(r.merchantId(), r.dialect(), r.kind(), r.clientRef());
        existing.ifPresent(p -> store.recordRepeat(p.id(), UNREADABLE_PREFIX + r.why(), false));
        return existing;
    }

    private Result duplicate(Payment original, PaymentRequest request) {
        boolean sameBody = original.fingerprint().equals(request.fingerprint());
        store.recordRepeat(original.id(), request.fingerprint(), sameBody);
        return new Result.Duplicate(original);
    }

    private static Payment newPayment(PaymentRequest r, String country, PaymentState state, Instant now) {
        return new Payment(TimeOrderedIds.at(now), r.merchant().id(), r.kind(), r.clientRef(), r.dialect(), state,
                r.amount().value(), r.amount().text(), r.currency(), country, r.correspondent(), r.msisdn(),
                r.customerTimestamp(), r.statementDescription(), r.preAuthorisationCode(), r.metadata(),
                r.fingerprint(), r.callbackUrl(), null, null, null, null, null, null, now, now,
                r.refundOf() == null ? null : r.refundOf().depositId());
    }
}
