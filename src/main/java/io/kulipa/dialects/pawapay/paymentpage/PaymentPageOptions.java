package io.kulipa.dialects.pawapay.paymentpage;

import io.kulipa.money.CountryRules;
import io.kulipa.payments.Merchant;
import io.kulipa.providers.Availability;
import io.kulipa.providers.Catalog;
import io.kulipa.providers.Correspondent;
import io.kulipa.providers.Operation;
import io.kulipa.providers.OperationLimits;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a customer may choose on the Payment Page: the merchant's active configuration for
 * deposits (the correspondents enabled for it, as {@code /active-conf} lists them), by country,
 * with each correspondent's limits and whether it is taking deposits now.
 */
public final class PaymentPageOptions {

    /** One operator the customer may choose. */
    public record Operator(String correspondent, String mno, String currency, BigDecimal min, BigDecimal max,
                           int decimals, boolean available) {
    }

    /** One country, with its phone number rules and its operators. */
    public record Country(String code, String name, String currency, String dialCode, List<Integer> msisdnLengths,
                          List<Operator> operators) {
    }

    private final Catalog catalog;
    private final Availability availability;

    public PaymentPageOptions(Catalog catalog, Availability availability) {
        this.catalog = catalog;
        this.availability = availability;
    }

    /** The correspondents enabled for the merchant's deposits, of one country or (null) all. */
    public List<Correspondent> correspondents(Merchant merchant, String country) {
        return catalog.correspondents().stream()
                .filter(c -> merchant.enabled(c.id()) && c.limits(Operation.DEPOSIT).isPresent())
                .filter(c -> country == null || c.country().equals(country))
                .toList();
    }

    /** The countries and operators of the page; only the correspondent {@code only} when it is not null. */
    public List<Country> countries(Merchant merchant, String country, String only) {
        Map<String, List<Operator>> byCountry = new LinkedHashMap<>();
        for (Correspondent c : correspondents(merchant, country)) {
            if (only != null && !only.equals(c.id())) {
                continue;
            }
            OperationLimits limits = c.limits(Operation.DEPOSIT).orElseThrow();
            boolean open = availability.status(c.id(), Operation.DEPOSIT) != Availability.Status.CLOSED;
            byCountry.computeIfAbsent(c.country(), k -> new ArrayList<>()).add(new Operator(c.id(), c.mno(),
                    c.currency(), limits.min(), limits.max(), limits.decimals(), open));
        }
        List<Country> out = new ArrayList<>();
        byCountry.forEach((code, operators) -> {
            CountryRules rules = catalog.country(code).orElseThrow();
            out.add(new Country(code, rules.name(), rules.currency(), rules.dialCode(), rules.msisdnLengths(),
                    List.copyOf(operators)));
        });
        return out;
    }

    public boolean available(String correspondent) {
        return availability.status(correspondent, Operation.DEPOSIT) != Availability.Status.CLOSED;
    }
}
