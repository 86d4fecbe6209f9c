package io.kulipa.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kulipa.money.CountryRules;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The correspondents Kulipa can route to and the countries they serve, loaded once from the
 * resource file {@code catalog/correspondents.json}. Immutable after loading.
 */
public final class Catalog {

    public static final String RESOURCE = "/catalog/correspondents.json";

    private final Map<String, Correspondent> correspondents;
    private final Map<String, CountryRules> countries;

    public Catalog(Collection<CountryRules> countries, Collection<Correspondent> correspondents) {
        Map<String, CountryRules> byCountry = new LinkedHashMap<>();
        countries.forEach(c -> byCountry.put(c.code(), c));
        Map<String, Correspondent> byId = new LinkedHashMap<>();
        correspondents.forEach(c -> byId.put(c.id(), c));
        this.countries = Map.copyOf(byCountry);
        this.correspondents = java.util.Collections.unmodifiableMap(byId);
    }

    public static Catalog loadDefault() {
        try (InputStream in = Catalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing catalog resource " + RESOURCE);
            }
            return parse(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the correspondent catalog", e);
        }
    }

    public static Catalog parse(JsonNode root) {
        List<CountryRules> countries = new ArrayList<>();
        for (JsonNode c : root.path("countries")) {
            List<Integer> lengths = new ArrayList<>();
            c.path("msisdnLengths").forEach(n -> lengths.add(n.asInt()));
            countries.add(new CountryRules(c.path("code").asText(), c.path("name").asText(),
                    c.path("currency").asText(), c.path("dialCode").asText(), lengths));
        }
        List<Correspondent> correspondents = new ArrayList<>();
        for (JsonNode c : root.path("correspondents")) {
            Map<Operation, OperationLimits> ops = new EnumMap<>(Operation.class);
            c.path("operations").properties().forEach(e -> ops.put(Operation.valueOf(e.getKey()),
                    new OperationLimits(e.getValue().path("decimals").asInt(),
                            new BigDecimal(e.getValue().path("min").asText()),
                            new BigDecimal(e.getValue().path("max").asText()))));
            List<String> prefixes = new ArrayList<>();
            c.path("prefixes").forEach(p -> prefixes.add(p.asText()));
            correspondents.add(new Correspondent(c.path("id").asText(), c.path("mno").asText(),
                    c.path("country").asText(), c.path("currency").asText(), prefixes, ops));
        }
        return new Catalog(countries, correspondents);
    }

    public Optional<Correspondent> correspondent(String id) {
        return Optional.ofNullable(id == null ? null : correspondents.get(id));
    }

    public Optional<CountryRules> country(String code) {
        return Optional.ofNullable(code == null ? null : countries.get(code));
    }

    /** The country whose dialling code starts this number, if any. */
    public Optional<CountryRules> countryOfMsisdn(String msisdn) {
        return countries.values().stream().filter(c -> msisdn != null && msisdn.startsWith(c.dialCode())).findFirst();
    }

    public Collection<Correspondent> correspondents() {
        return correspondents.values();
    }

    public Collection<CountryRules> countries() {
        return countries.values();
    }
}
