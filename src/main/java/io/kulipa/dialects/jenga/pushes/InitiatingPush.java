package io.kulipa.dialects.jenga.pushes;

import io.kulipa.callbacks.UrlGuard;
import io.kulipa.dialects.jenga.JengaJson;
import io.kulipa.payments.InitiatingPayment;
import io.kulipa.payments.Merchant;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentKind;
import io.kulipa.payments.PaymentRequest;
import io.kulipa.payments.Rejection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Starts an Equitel STK or USSD push as a deposit of the core: the account number must be the
 * merchant's, the telco one this merchant may push to, the callback URL one Kulipa may call, and
 * the operator must be reachable. A reference the merchant already used never makes a second
 * payment, whatever the body: the core's insert settles concurrent requests with one reference.
 */
public final class InitiatingPush {

    /** Equitel, the spec's telco, and the correspondent that simulates it. */
    public static final String EQUITEL = "Equitel";
    public static final String CORRESPONDENT = "EQUITEL_KEN";
    /**
     * The telcos a push may name (any case), and their correspondents. Public integrations send
     * Safaricom numbers through this endpoint, so a Safaricom push is an M-Pesa deposit with the
     * core's M-Pesa rules (whole shillings); Equitel has its own operator.
     */
    public static final Map<String, String> TELCOS = Map.of("equitel", CORRESPONDENT, "safaricom", "MPESA_KEN");
    /**
     * A telco Jenga serves for some merchants but Kulipa has no operator for: refused as not
     * authorised, the spec's answer for a telco the merchant may not use, rather than unknown.
     */
    public static final Set<String> UNSERVED_TELCOS = Set.of("airtel");

    /** What became of the request. */
    public sealed interface Result {
        record Accepted(Payment payment) implements Result {
        }

        record DuplicateReference() implements Result {
        }

        record InvalidField(String field, String message) implements Result {
        }

        record TelcoNotAuthorised() implements Result {
        }

        /** The push could not be started (the operator is down or closed); nothing was written. */
        record NotStarted() implements Result {
        }

        /** A rule of the core refused it in words this dialect has no field for. */
        record Unmapped(String message) implements Result {
        }
    }

    private final InitiatingPayment initiating;
    private final PushStore store;
    private final UrlGuard guard;
    private final Predicate<String> operatorUp;

    /** @param operatorUp whether a correspondent's operator answers now (the simulator's outage knob) */
    public InitiatingPush(InitiatingPayment initiating, PushStore store, UrlGuard guard, Predicate<String> operatorUp) {
        this.initiating = initiating;
        this.store = store;
        this.guard = guard;
        this.operatorUp = operatorUp;
    }

    /**
     * Whether a push the merchant sent with a body Kulipa cannot use repeats a reference it
     * already used: the core's rule for unreadable repeats, so it is answered 400101, never a
     * field error, and noted in the original push's history.
     *
     * @param why the field that was refused, for that history
     */
    public boolean repeats(Merchant merchant, String ref, String why) {
        return !ref.isEmpty() && initiating.duplicateOf(new InitiatingPayment.Unreadable(merchant.id(),
                JengaJson.DIALECT, PaymentKind.DEPOSIT, ref, why)).isPresent();
    }

    /** Starts the push; a refused push whose reference was used before is that reference's repeat. */
    public Result initiate(Merchant merchant, Push push) {
        Result result = attempt(merchant, push);
        boolean refused = !(result instanceof Result.Accepted) && !(result instanceof Result.DuplicateReference);
        return refused && repeats(merchant, push.ref(), result.getClass().getSimpleName())
                ? new Result.DuplicateReference() : result;
    }

    private Result attempt(Merchant merchant, Push push) {
        if (!store.accounts(merchant.id()).contains(push.accountNumber())) {
            return new Result.InvalidField("merchant.accountNumber", "'" + push.accountNumber()
                    + "' is not an account of this merchant");
        }
        String telco = push.telco().toLowerCase(Locale.ROOT);
        if (UNSERVED_TELCOS.contains(telco)) {
            return new Result.TelcoNotAuthorised();
        }
        String correspondent = TELCOS.get(telco);
        if (correspondent == null) {
            return new Result.InvalidField("payment.telco", "must be Equitel or Safaricom, not '" + push.telco() + "'");
        }
        Optional<String> refusal = guard.refusal(push.callBackUrl());
        if (refusal.isPresent()) {
            return new Result.InvalidField("payment.callBackUrl", refusal.get());
        }
        if (!merchant.enabled(correspondent)) {
            return new Result.TelcoNotAuthorised();
        }
        if (!operatorUp.test(correspondent)) {
            return new Result.NotStarted();
        }
        return switch (initiating.initiate(request(merchant, push, correspondent))) {
            case InitiatingPayment.Result.Accepted a -> new Result.Accepted(a.payment());
            case InitiatingPayment.Result.Duplicate d -> new Result.DuplicateReference();
            case InitiatingPayment.Result.Rejected r -> rejected(r.rejection());
        };
    }

    private static PaymentRequest request(Merchant merchant, Push push, String correspondent) {
        List<Payment.MetadataItem> metadata = List.of(
                new Payment.MetadataItem("pushType", push.pushType().name(), false),
                new Payment.MetadataItem("accountNumber", push.accountNumber(), false),
                new Payment.MetadataItem("merchantName", push.merchantName(), false),
                new Payment.MetadataItem("telco", push.telco(), false),
                new Payment.MetadataItem("countryCode", push.countryCode(), false));
        return new PaymentRequest(merchant, PaymentKind.DEPOSIT, push.ref(), "jenga", push.amount(), push.currency(),
                null, correspondent, push.mobileNumber(), push.date(), push.merchantName(), null, metadata,
                push.fingerprint(), push.callBackUrl(), null);
    }

    /** The core's rule in the field of the push it is about. */
    private static Result rejected(Rejection r) {
        String message = r.message().contains(": ") ? r.message().substring(r.message().indexOf(": ") + 2) : r.message();
        return switch (r.code()) {
            case INVALID_AMOUNT, AMOUNT_TOO_SMALL, AMOUNT_TOO_LARGE -> new Result.InvalidField("payment.amount", message);
            case INVALID_CURRENCY -> new Result.InvalidField("payment.currency", message);
            case INVALID_PAYER_FORMAT -> new Result.InvalidField("payment.mobileNumber", message);
            case INVALID_COUNTRY -> new Result.InvalidField("merchant.countryCode", message);
            case DEPOSITS_NOT_ALLOWED -> new Result.TelcoNotAuthorised();
            case CORRESPONDENT_TEMPORARILY_UNAVAILABLE -> new Result.NotStarted();
            default -> new Result.Unmapped(r.message());
        };
    }
}
