package io.kulipa.dialects.momo;

import io.kulipa.providers.Catalog;
import io.kulipa.providers.Correspondent;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kulipa.money.CountryRules;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * MTN MoMo's own sandbox as one more correspondent: {@code MTN_MOMO_SANDBOX}, in euros, in a
 * pseudo-country ({@code XMS}, a user-assigned ISO 3166 code) whose numbers are MoMo's sandbox
 * numbers such as 46733123450. It lives in its own resource, {@code catalog/momo-sandbox.json},
 * because it is not one of pawaPay's correspondents: the default catalog stays exactly the
 * pawaPay one, and only the parts that serve MoMo's sandbox get the catalog with it added.
 */
public final class MomoSandboxCatalog {

    public static final String RESOURCE = "/catalog/momo-sandbox.json";
    public static final String CORRESPONDENT = "MTN_MOMO_SANDBOX";
    public static final String COUNTRY = "XMS";

    private MomoSandboxCatalog() {
    }

    /** The base catalog with the MoMo sandbox's country and correspondent added after its own. */
    public static Catalog with(Catalog base) {
        Catalog sandbox;
        try (InputStream in = MomoSandboxCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing catalog resource " + RESOURCE);
            }
            sandbox = Catalog.parse(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the MoMo sandbox catalog", e);
        }
        List<CountryRules> countries = new ArrayList<>(base.countries());
        sandbox.countries().stream().filter(c -> base.country(c.code()).isEmpty()).forEach(countries::add);
        List<Correspondent> correspondents = new ArrayList<>(base.correspondents());
        sandbox.correspondents().stream().filter(c -> base.correspondent(c.id()).isEmpty()).forEach(correspondents::add);
        return new Catalog(countries, correspondents);
    }
}
