package io.kulipa.dialects.pawapay.paymentpage;

import io.kulipa.money.Amount;
import io.kulipa.payments.InitiatingPayment;
import io.kulipa.payments.Merchant;
import io.kulipa.payments.MerchantStore;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentKind;
import io.kulipa.payments.PaymentRequest;
import io.kulipa.payments.PaymentStore;
import io.kulipa.payments.Secrets;
import io.kulipa.providers.Prediction;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * The customer's side of a Payment Page session: opening the page (the first browser within the
 * link's 5 minutes is bound to the session by a cookie; no other may use it), predicting the
 * operator of a typed number as {@code /v1/predict-correspondent} does, starting the deposit — an
 * ordinary deposit through {@link InitiatingPayment}, with the session's depositId, so that its
 * status, callbacks and refunds are those of any deposit — and reading its status.
 */
public final class PayingOnPaymentPage {

    /** What opening the page found. */
    public sealed interface Visit {
        /** No session has this token. */
        record Unknown() implements Visit {
        }

        /** The link was not opened in time, or the session ran out before a deposit started. */
        record Expired(PaymentPageSession session) implements Visit {
        }

        /** Another browser opened the page first. */
        record OtherBrowser() implements Visit {
        }

        /**
         * @param newCookie the cookie to give the browser when this visit bound it, else null
         * @param deposit   the session's deposit once the customer started it
         */
        record Open(PaymentPageSession session, Merchant merchant, String newCookie,
                    List<PaymentPageOptions.Country> countries, Optional<Payment> deposit) implements Visit {
        }
    }

    /** The operator of a typed number, or why there is none, in words for the customer. */
    public sealed interface Predicted {
        record Found(String msisdn, String country, String correspondent) implements Predicted {
        }

        record Miss(String message) implements Predicted {
        }
    }

    /** What became of the customer's "Pay". */
    public sealed interface Paid {
        record Started(Payment deposit) implements Paid {
        }

        /** @param field the form field to point at: msisdn, amount, correspondent, or null for the page */
        record Refused(String field, String message) implements Paid {
        }
    }

    private final PaymentPageSessions sessions;
    private final MerchantStore merchants;
    private final PaymentStore payments;
    private final InitiatingPayment initiating;
    private final PaymentPageOptions options;
    private final Prediction prediction;
    private final Clock clock;
    private final String dialect;

    public PayingOnPaymentPage(PaymentPageSessions sessions, MerchantStore merchants, PaymentStore payments,
                               InitiatingPayment initiating, PaymentPageOptions options, Prediction prediction,
                               Clock clock, String dialect) {
        this.sessions = sessions;
        this.merchants = merchants;
        this.payments = payments;
        this.initiating = initiating;
        this.options = options;
        this.prediction = prediction;
        this.clock = clock;
        this.dialect = dialect;
    }

    /**
     * Opens the page for a browser: binds the session to it on its first visit within the link's
     * validity. {@code cookie} is the browser's cookie for this session, or null.
     */
    public Visit visit(String token, String cookie) {
        return visit(token, cookie, true);
    }

    /**
     * The session as the page's own calls see it: like {@link #visit} but never binding, so that
     * only a browser that opened the page (and holds its cookie) gets {@link Visit.Open}.
     */
    public Visit check(String token, String cookie) {
        return visit(token, cookie, false);
    }

    private Visit visit(String token, String cookie, boolean bind) {
        Optional<PaymentPageSession> found = token == null ? Optional.empty() : sessions.byTokenDigest(Secrets.digest(token));
        if (found.isEmpty()) {
            return new Visit.Unknown();
        }
        PaymentPageSession s = found.get();
        Instant now = clock.instant();
        String newCookie = null;
        if (s.browserDigest() == null) {
            if (!bind) {
                return new Visit.OtherBrowser();
            }
            if (!now.isBefore(s.linkExpires())) {
                return new Visit.Expired(s);
            }
            newCookie = Secrets.random();
            if (!sessions.bindBrowser(s.id(), Secrets.digest(newCookie), now)) {
                return new Visit.OtherBrowser();
            }
        } else if (cookie == null || !Secrets.sameDigest(s.browserDigest(), Secrets.digest(cookie))) {
            return new Visit.OtherBrowser();
        }
        Optional<Payment> deposit = deposit(s);
        if (deposit.isEmpty() && !now.isBefore(s.expires())) {
            return new Visit.Expired(s);
        }
        Merchant merchant = merchants.byId(s.merchantId()).orElseThrow();
        String only = null;
        if (s.msisdn() != null) {
            only = prediction.resolve(s.msisdn()).predicted().map(Prediction.Predicted::correspondent).orElse(null);
        }
        return new Visit.Open(s, merchant, newCookie, options.countries(merchant, s.country(), only), deposit);
    }

    public Predicted predict(Visit.Open open, String raw) {
        if (raw == null || raw.isBlank()) {
            return new Predicted.Miss("Enter your mobile money number.");
        }
        Prediction.Outcome outcome = prediction.resolve(raw);
        if (outcome.predicted().isEmpty()) {
            return new Predicted.Miss(switch (outcome.miss()) {
                case MALFORMED -> "Enter the number with its country code, digits only, for example "
                        + example(open) + ".";
                case UNKNOWN_COUNTRY -> "This number does not start with the country code of a country you can pay from here.";
                case WRONG_LENGTH -> "This number does not have the right number of digits for " + outcome.country() + ".";
                case NO_CORRESPONDENT -> "This number belongs to no mobile money operator you can pay with here.";
            });
        }
        Prediction.Predicted p = outcome.predicted().get();
        boolean offered = open.countries().stream().flatMap(c -> c.operators().stream())
                .anyMatch(o -> o.correspondent().equals(p.correspondent()));
        if (!offered) {
            return new Predicted.Miss("This number belongs to " + p.operator() + " (" + p.country()
                    + "), which you cannot pay with here.");
        }
        return new Predicted.Found(p.msisdn(), p.country(), p.correspondent());
    }

    /** Starts the session's deposit from what the customer chose. */
    public Paid pay(Visit.Open open, String correspondent, String rawMsisdn, String amountText) {
        PaymentPageSession s = open.session();
        Optional<Payment> started = deposit(s);
        if (started.isPresent()) {
            return new Paid.Started(started.get());
        }
        if (!clock.instant().isBefore(s.expires())) {
            return new Paid.Refused(null, "This payment session has expired.");
        }
        Optional<PaymentPageOptions.Operator> operator = open.countries().stream()
                .flatMap(c -> c.operators().stream()).filter(o -> o.correspondent().equals(correspondent)).findFirst();
        if (operator.isEmpty()) {
            return new Paid.Refused("correspondent", "Choose your mobile money operator.");
        }
        PaymentPageOptions.Operator op = operator.get();
        if (!options.available(op.correspondent())) {
            return new Paid.Refused("correspondent", op.mno() + " is temporarily unavailable. Try again later or "
                    + "choose another operator.");
        }
        String msisdn = s.msisdn();
        if (msisdn == null) {
            Predicted predicted = predict(open, rawMsisdn);
            if (predicted instanceof Predicted.Miss miss) {
                return new Paid.Refused("msisdn", miss.message());
            }
            Predicted.Found found = (Predicted.Found) predicted;
            if (!found.correspondent().equals(op.correspondent())) {
                // The customer may know better (a ported number): the choice stands if the country does.
                String country = open.countries().stream().filter(c -> c.operators().contains(op)).findFirst()
                        .orElseThrow().code();
                if (!country.equals(found.country())) {
                    return new Paid.Refused("msisdn", "This is not a number of the country of " + op.mno() + ".");
                }
            }
            msisdn = found.msisdn();
        }
        String text = s.amount() != null ? s.amount() : amountText == null ? "" : amountText.trim();
        Optional<Amount> amount = Amount.parse(text);
        if (amount.isEmpty() || amount.get().isZero()) {
            return new Paid.Refused("amount", "Enter an amount such as 15 or 15.50.");
        }
        if (amount.get().significantDecimals() > op.decimals()) {
            return new Paid.Refused("amount", op.decimals() == 0 ? "Enter a whole amount, without decimals."
                    : "Enter at most " + op.decimals() + " decimal places.");
        }
        if (amount.get().value().compareTo(op.min()) < 0 || amount.get().value().compareTo(op.max()) > 0) {
            return new Paid.Refused("amount", "The amount must be between " + Amount.plain(op.min()) + " and "
                    + Amount.plain(op.max()) + " " + op.currency() + " for " + op.mno() + ".");
        }
        String timestamp = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                clock.instant().truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
        PaymentRequest request = new PaymentRequest(open.merchant(), PaymentKind.DEPOSIT, s.depositId(), dialect,
                amount.get(), op.currency(), null, op.correspondent(), msisdn, timestamp, s.statementDescription(),
                null, s.metadata(), s.fingerprint(), null, null);
        return switch (initiating.initiate(request)) {
            case InitiatingPayment.Result.Accepted a -> new Paid.Started(a.payment());
            case InitiatingPayment.Result.Duplicate d -> new Paid.Started(d.original());
            case InitiatingPayment.Result.Rejected r -> new Paid.Refused(switch (r.rejection().code()) {
                case INVALID_AMOUNT, AMOUNT_TOO_SMALL, AMOUNT_TOO_LARGE -> "amount";
                case INVALID_PAYER_FORMAT -> "msisdn";
                case CORRESPONDENT_TEMPORARILY_UNAVAILABLE, DEPOSITS_NOT_ALLOWED, INVALID_CORRESPONDENT -> "correspondent";
                default -> null;
            }, r.rejection().code() == io.kulipa.payments.FailureCode.CORRESPONDENT_TEMPORARILY_UNAVAILABLE
                    ? op.mno() + " is temporarily unavailable. Try again later or choose another operator."
                    : "The payment could not be started: " + r.rejection().message());
        };
    }

    /** The session's deposit, once started. */
    public Optional<Payment> deposit(PaymentPageSession s) {
        return payments.find(s.merchantId(), dialect, PaymentKind.DEPOSIT, s.depositId());
    }

    private static String example(Visit.Open open) {
        return open.countries().isEmpty() ? "260763456789" : open.countries().getFirst().dialCode() + "…";
    }
}
