package io.kulipa.store;

import io.kulipa.payments.Merchant;
import io.kulipa.payments.MerchantStore;
import io.kulipa.payments.PaymentKind;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** Merchants and their token digests in PostgreSQL. */
public final class JdbiMerchantStore implements MerchantStore {

    static final String COLUMNS = "id, name, correspondents, deposit_callback_url, payout_callback_url, "
            + "refund_callback_url";

    private final Jdbi jdbi;

    public JdbiMerchantStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public Optional<Merchant> byTokenDigest(String tokenDigest) {
        return one("token_digest = :v", tokenDigest);
    }

    @Override
    public Optional<Merchant> byId(UUID id) {
        return one("id = :v", id);
    }

    @Override
    public Optional<Merchant> byName(String name) {
        return one("name = :v", name);
    }

    private Optional<Merchant> one(String where, Object value) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM merchant WHERE " + where)
                .bind("v", value).map((rs, ctx) -> merchant(rs)).findOne());
    }

    static Merchant merchant(ResultSet rs) throws SQLException {
        Map<PaymentKind, String> urls = new EnumMap<>(PaymentKind.class);
        for (PaymentKind kind : PaymentKind.values()) {
            String url = rs.getString(kind.name().toLowerCase() + "_callback_url");
            if (url != null) {
                urls.put(kind, url);
            }
        }
        Array array = rs.getArray("correspondents");
        Set<String> correspondents = array == null ? Set.of() : Set.of((String[]) array.getArray());
        return new Merchant(rs.getObject("id", UUID.class), rs.getString("name"), correspondents, urls);
    }

    @Override
    public void insert(Merchant m, String tokenDigest) {
        // ON CONFLICT makes the unique name the database's decision: of two concurrent inserts of
        // one name, the second writes nothing and is told so, rather than failing on the constraint.
        int inserted = jdbi.withHandle(h -> h.createUpdate("""
                        INSERT INTO merchant (id, name, token_digest, correspondents, deposit_callback_url,
                            payout_callback_url, refund_callback_url)
                        VALUES (:id, :name, :digest, :correspondents, :deposit, :payout, :refund)
                        ON CONFLICT (name) DO NOTHING""")
                .bind("id", m.id()).bind("name", m.name()).bind("digest", tokenDigest)
                .bind("correspondents", m.correspondents().toArray(String[]::new))
                .bind("deposit", m.callbackUrls().get(PaymentKind.DEPOSIT))
                .bind("payout", m.callbackUrls().get(PaymentKind.PAYOUT))
                .bind("refund", m.callbackUrls().get(PaymentKind.REFUND))
                .execute());
        if (inserted == 0) {
            throw new NameTaken();
        }
    }

    @Override
    public void replaceToken(UUID merchantId, String tokenDigest) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE merchant SET token_digest = :d WHERE id = :id")
                .bind("d", tokenDigest).bind("id", merchantId).execute());
    }

    @Override
    public void setCallbackUrl(UUID merchantId, PaymentKind kind, String url) {
        // The column name comes from the enum, never from input.
        String column = kind.name().toLowerCase() + "_callback_url";
        jdbi.useHandle(h -> h.createUpdate("UPDATE merchant SET " + column + " = :url WHERE id = :id")
                .bind("url", url).bind("id", merchantId).execute());
    }
}
