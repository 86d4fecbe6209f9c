package io.kulipa.dialects.jenga;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kulipa.money.CountryRules;
import io.kulipa.providers.Catalog;
import io.kulipa.providers.Correspondent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Equitel as one more correspondent, {@code EQUITEL_KEN} (Kenya, KES, numbers 25476...), in its
 * own resource {@code catalog/equitel-sandbox.json}: it is not one of pawaPay's correspondents,
 * so the operators' catalog stays exactly pawaPay's and only payments, wallets and handsets know
 * Equitel, as MoMo's sandbox correspondent is kept apart.
 */
final class EquitelSandboxCatalog {

    static final String RESOURCE = "/catalog/equitel-sandbox.json";

    private EquitelSandboxCatalog() {
    }

    static Catalog with(Catalog base) {
        Catalog equitel;
        try (InputStream in = EquitelSandboxCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing catalog resource " + RESOURCE);
            }
            equitel = Catalog.parse(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Equitel catalog", e);
        }
        List<CountryRules> countries = new ArrayList<>(base.countries());
        equitel.countries().stream().filter(c -> base.country(c.code()).isEmpty()).forEach(countries::add);
        List<Correspondent> correspondents = new ArrayList<>(base.correspondents());
        equitel.correspondents().stream().filter(c -> base.correspondent(c.id()).isEmpty()).forEach(correspondents::add);
        return new Catalog(countries, correspondents);
    }
}
