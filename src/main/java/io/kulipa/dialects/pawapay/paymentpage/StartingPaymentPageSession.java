package io.kulipa.dialects.pawapay.paymentpage;

import io.kulipa.money.Amount;
import io.kulipa.payments.FailureCode;
import io.kulipa.payments.Merchant;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentKind;
import io.kulipa.payments.PaymentStore;
import io.kulipa.payments.Rejection;
import io.kulipa.payments.Secrets;
import io.kulipa.providers.Correspondent;
import io.kulipa.providers.OperationLimits;
import io.kulipa.providers.Prediction;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Starts a Payment Page session (pawaPay's {@code POST /v1/widget/sessions}): checks what the
 * merchant fixed against its active configuration — the country has enabled correspondents,
 * the phone number is valid and predicts one of them, the amount fits the limits of at least one
 * correspondent the customer could choose — and stores the session under the digest of a new
 * random token. Nothing is written when a rule is broken. A retry of the same request before any
 * browser opened the page answers the same session with a new token (the first link stops
 * working); another request with the same depositId is refused.
 */
public final class StartingPaymentPageSession {

    /** How long the redirectUrl may first be opened, as pawaPay documents. */
    public static final Duration LINK_VALIDITY = Duration.ofMinutes(5);
    /** How long the customer has to start the payment on the page, as pawaPay documents. */
    public static final Duration SESSION_VALIDITY = Duration.ofMinutes(15);
    /** The MSISDN rule of the spec: digits only, no leading zero, no '+'. */
    private static final Pattern MSISDN = Pattern.compile("^[1-9][0-9]{5,14}$");

    /** A session request, already read from the wire; optional fields are null. */
    public record Request(Merchant merchant, String depositId, String returnUrl, String statementDescription,
                          Amount amount, String msisdn, String country, String reason, String language,
                          List<Payment.MetadataItem> metadata, String fingerprint) {
    }

    public sealed interface Result {
        /** @param token the secret of the redirectUrl, known only to this answer */
        record Started(PaymentPageSession session, String token) implements Result {
        }

        record Rejected(Rejection rejection) implements Result {
        }
    }

    private final PaymentPageSessions sessions;
    private final PaymentStore payments;
    private final PaymentPageOptions options;
    private final Prediction prediction;
    private final Clock clock;
    private final String dialect;

    public StartingPaymentPageSession(PaymentPageSessions sessions, PaymentStore payments, PaymentPageOptions options,
                                      Prediction prediction, Clock clock, String dialect) {
        this.sessions = sessions;
        this.payments = payments;
        this.options = options;
        this.prediction = prediction;
        this.clock = clock;
        this.dialect = dialect;
    }

    public Result start(Request r) {
        Optional<Rejection> refused = check(r);
        if (refused.isPresent()) {
            return new Result.Rejected(refused.get());
        }
        Instant now = clock.instant();
        String token = Secrets.random();
        PaymentPageSession session = new PaymentPageSession(UUID.randomUUID(), r.merchant().id(), r.depositId(),
                r.fingerprint(), r.returnUrl(), r.statementDescription(), r.amount() == null ? null : r.amount().text(),
                r.msisdn(), r.country(), r.reason(), r.language(), r.metadata(), now, now.plus(LINK_VALIDITY),
                now.plus(SESSION_VALIDITY), null, null);
        Optional<PaymentPageSession> existing = sessions.insert(session, Secrets.digest(token));
        if (existing.isEmpty()) {
            return new Result.Started(session, token);
        }
        PaymentPageSession first = existing.get();
        Instant linkExpires = now.plus(LINK_VALIDITY).isBefore(first.expires()) ? now.plus(LINK_VALIDITY) : first.expires();
        if (first.fingerprint().equals(r.fingerprint()) && first.browserDigest() == null && now.isBefore(first.expires())
                && sessions.replaceToken(first.id(), Secrets.digest(token), linkExpires)) {
            return new Result.Started(first, token);
        }
        return new Result.Rejected(new Rejection(FailureCode.PARAMETER_INVALID, "depositId: a Payment Page session "
                + "with this depositId exists already" + (first.fingerprint().equals(r.fingerprint())
                ? " and has been opened or has expired" : " with a different request")));
    }

    private Optional<Rejection> check(Request r) {
        if (payments.find(r.merchant().id(), dialect, PaymentKind.DEPOSIT, r.depositId()).isPresent()) {
            return reject(FailureCode.PARAMETER_INVALID, "depositId: a deposit with this depositId exists already");
        }
        List<Correspondent> candidates = options.correspondents(r.merchant(), r.country());
        if (candidates.isEmpty()) {
            return r.country() == null
                    ? reject(FailureCode.DEPOSITS_NOT_ALLOWED, "No correspondent is enabled for deposits on this account")
                    : reject(FailureCode.INVALID_COUNTRY, "country: " + r.country()
                            + " has no correspondent enabled for deposits on this account");
        }
        if (r.msisdn() != null) {
            if (!MSISDN.matcher(r.msisdn()).matches()) {
                return reject(FailureCode.INVALID_PAYER_FORMAT, "msisdn: must be digits only with the country code, "
                        + "no '+', no spaces and no leading 0, for example 260763456789");
            }
            Prediction.Outcome outcome = prediction.resolve(r.msisdn());
            if (outcome.predicted().isEmpty()) {
                return reject(FailureCode.INVALID_PAYER_FORMAT, "msisdn: '" + r.msisdn() + "' is not a valid phone "
                        + "number of a supported country (" + outcome.miss().name().toLowerCase().replace('_', ' ') + ")");
            }
            Prediction.Predicted p = outcome.predicted().get();
            if (r.country() != null && !r.country().equals(p.country())) {
                return reject(FailureCode.INVALID_PAYER_FORMAT, "msisdn: '" + r.msisdn() + "' is a number of "
                        + p.country() + ", not of " + r.country());
            }
            candidates = candidates.stream().filter(c -> c.id().equals(p.correspondent())).toList();
            if (candidates.isEmpty()) {
                return reject(FailureCode.DEPOSITS_NOT_ALLOWED, "msisdn: the number belongs to " + p.correspondent()
                        + ", which is not enabled for deposits on this account");
            }
        }
        if (r.amount() != null) {
            return checkAmount(r.amount(), candidates);
        }
        return Optional.empty();
    }

    /** The amount fits at least one of the correspondents the customer could pay with. */
    private static Optional<Rejection> checkAmount(Amount amount, List<Correspondent> candidates) {
        if (amount.isZero()) {
            return reject(FailureCode.INVALID_AMOUNT, "amount: must be greater than zero");
        }
        List<OperationLimits> limits = candidates.stream().map(c -> c.limits(io.kulipa.providers.Operation.DEPOSIT)
                .orElseThrow()).toList();
        if (limits.stream().anyMatch(l -> fits(amount, l))) {
            return Optional.empty();
        }
        int decimals = limits.stream().mapToInt(OperationLimits::decimals).max().orElse(0);
        if (amount.significantDecimals() > decimals) {
            return reject(FailureCode.INVALID_AMOUNT, "amount: " + (decimals == 0 ? "no decimal places are"
                    : "at most " + decimals + " decimal places are") + " allowed here, got '" + amount.text() + "'");
        }
        BigDecimal min = limits.stream().map(OperationLimits::min).min(Comparator.naturalOrder()).orElseThrow();
        if (amount.value().compareTo(min) < 0) {
            return reject(FailureCode.AMOUNT_TOO_SMALL, "amount: must be at least " + Amount.plain(min) + suffix(candidates));
        }
        BigDecimal max = limits.stream().map(OperationLimits::max).max(Comparator.naturalOrder()).orElseThrow();
        return reject(amount.value().compareTo(max) > 0 ? FailureCode.AMOUNT_TOO_LARGE : FailureCode.INVALID_AMOUNT,
                "amount: must not be greater than " + Amount.plain(max) + suffix(candidates)
                        + ", and must fit the limits of one correspondent");
    }

    private static String suffix(List<Correspondent> candidates) {
        return candidates.size() == 1 ? " " + candidates.getFirst().currency() + " for " + candidates.getFirst().id()
                : " for the correspondents of this account";
    }

    static boolean fits(Amount amount, OperationLimits l) {
        return amount.significantDecimals() <= l.decimals() && amount.value().compareTo(l.min()) >= 0
                && amount.value().compareTo(l.max()) <= 0;
    }

    private static Optional<Rejection> reject(FailureCode code, String message) {
        return Optional.of(new Rejection(code, message));
    }
}
