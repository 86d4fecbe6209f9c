package io.kulipa.payments;

import io.kulipa.money.CountryRules;
import io.kulipa.providers.Availability;
import io.kulipa.providers.Catalog;
import io.kulipa.providers.Correspondent;
import io.kulipa.providers.OperationLimits;
import java.util.Optional;

/**
 * The business rules every dialect's payment request must pass: the correspondent exists and
 * is enabled for the merchant, the currency and country are its own, the amount fits its
 * decimals and limits, the phone number belongs to its country, and it is open for business.
 */
public final class ValidatingPaymentRequest {

    private final Catalog catalog;
    private final Availability availability;

    public ValidatingPaymentRequest(Catalog catalog, Availability availability) {
        this.catalog = catalog;
        this.availability = availability;
    }

    public Optional<Rejection> check(PaymentRequest r) {
        Optional<Correspondent> found = catalog.correspondent(r.correspondent());
        if (found.isEmpty()) {
            return reject(FailureCode.INVALID_CORRESPONDENT, "correspondent: '" + r.correspondent() + "' is not a known correspondent");
        }
        Correspondent c = found.get();
        Optional<OperationLimits> limits = c.limits(r.kind().operation());
        if (limits.isEmpty() || !r.merchant().enabled(c.id())) {
            return reject(notAllowed(r.kind()), "correspondent: " + c.id() + " is not enabled for "
                    + r.kind().name().toLowerCase() + "s");
        }
        if (!c.currency().equals(r.currency())) {
            return reject(FailureCode.INVALID_CURRENCY, "currency: " + c.id() + " supports " + c.currency()
                    + ", not '" + r.currency() + "'");
        }
        if (r.country() != null && !c.country().equals(r.country())) {
            return reject(FailureCode.INVALID_COUNTRY, "country: " + c.id() + " operates in " + c.country()
                    + ", not '" + r.country() + "'");
        }
        Optional<Rejection> amount = checkAmount(r, c, limits.get());
        if (amount.isPresent()) {
            return amount;
        }
        CountryRules country = catalog.country(c.country()).orElseThrow();
        if (!country.accepts(r.msisdn())) {
            FailureCode code = r.kind() == PaymentKind.DEPOSIT ? FailureCode.INVALID_PAYER_FORMAT
                    : FailureCode.INVALID_RECIPIENT_FORMAT;
            String party = r.kind() == PaymentKind.DEPOSIT ? "payer" : "recipient";
            return reject(code, party + ".address.value: '" + r.msisdn() + "' is not a " + country.name()
                    + " MSISDN (digits only, country code " + country.dialCode() + ", " + lengths(country)
                    + " digits, no '+' and no leading 0)");
        }
        if (availability.status(c.id(), r.kind().operation()) == Availability.Status.CLOSED) {
            return reject(FailureCode.CORRESPONDENT_TEMPORARILY_UNAVAILABLE, "correspondent: " + c.id()
                    + " is temporarily not processing " + r.kind().name().toLowerCase() + "s");
        }
        return Optional.empty();
    }

    /** The country a valid request's correspondent operates in. */
    public String countryOf(String correspondent) {
        return catalog.correspondent(correspondent).orElseThrow().country();
    }

    private static Optional<Rejection> checkAmount(PaymentRequest r, Correspondent c, OperationLimits limits) {
        if (r.amount().significantDecimals() > limits.decimals()) {
            return reject(FailureCode.INVALID_AMOUNT, "amount: " + c.id() + " allows "
                    + (limits.decimals() == 0 ? "no decimal places" : "at most " + limits.decimals() + " decimal places")
                    + " for " + r.kind().name().toLowerCase() + "s, got '" + r.amount().text() + "'");
        }
        if (r.amount().value().compareTo(limits.min()) < 0) {
            return reject(FailureCode.AMOUNT_TOO_SMALL, "amount: must be at least " + limits.min().toPlainString()
                    + " " + c.currency() + " for " + c.id());
        }
        if (r.amount().value().compareTo(limits.max()) > 0) {
            return reject(FailureCode.AMOUNT_TOO_LARGE, "amount: must not be greater than "
                    + limits.max().toPlainString() + " " + c.currency() + " for " + c.id());
        }
        return Optional.empty();
    }

    private static String lengths(CountryRules country) {
        return String.join(" or ", country.msisdnLengths().stream().map(String::valueOf).toList());
    }

    private static FailureCode notAllowed(PaymentKind kind) {
        return switch (kind) {
            case DEPOSIT -> FailureCode.DEPOSITS_NOT_ALLOWED;
            case PAYOUT -> FailureCode.PAYOUTS_NOT_ALLOWED;
            case REFUND -> FailureCode.REFUNDS_NOT_ALLOWED;
        };
    }

    private static Optional<Rejection> reject(FailureCode code, String message) {
        return Optional.of(new Rejection(code, message));
    }
}
