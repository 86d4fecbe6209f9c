package io.kulipa.cards;

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
 * The card correspondent {@code CARD_ZAF} (South Africa, ZAR, any 27... MSISDN) and the country
 * it needs, from {@code catalog/cards.json}: card purchases are deposits of the core on it, so the
 * ledger, limits, outbox and reconciliation are the core's. Like Equitel's, it is added to the
 * payments' catalog only, never to pawaPay's list of operators.
 */
public final class CardCatalog {

    public static final String RESOURCE = "/catalog/cards.json";

    private CardCatalog() {
    }

    public static Catalog with(Catalog base) {
        Catalog cards;
        try (InputStream in = CardCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing catalog resource " + RESOURCE);
            }
            cards = Catalog.parse(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the card catalog", e);
        }
        List<CountryRules> countries = new ArrayList<>(base.countries());
        cards.countries().stream().filter(c -> base.country(c.code()).isEmpty()).forEach(countries::add);
        List<Correspondent> correspondents = new ArrayList<>(base.correspondents());
        cards.correspondents().stream().filter(c -> base.correspondent(c.id()).isEmpty()).forEach(correspondents::add);
        return new Catalog(countries, correspondents);
    }
}
