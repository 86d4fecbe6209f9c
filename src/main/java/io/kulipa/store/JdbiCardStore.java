package io.kulipa.store;

import io.kulipa.cards.Card;
import io.kulipa.cards.CardStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/** The card vault's rows in PostgreSQL (V33): ciphertext and lookup hash, never a clear PAN. */
public final class JdbiCardStore implements CardStore {

    private static final String COLUMNS = "id, msisdn, lookup_hash, bin, last4, expiry, linked_at";
    private final Jdbi jdbi;

    public JdbiCardStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    private static Card card(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Card(rs.getObject("id", UUID.class), rs.getString("msisdn"), rs.getString("bin"),
                rs.getString("last4"), YearMonth.parse(rs.getString("expiry")), rs.getString("lookup_hash"),
                PaymentRows.instant(rs, "linked_at"));
    }

    @Override
    public Card linkIfAbsent(Sealed s) {
        Card c = s.card();
        return jdbi.inTransaction(h -> {
            int inserted = h.createUpdate("""
                            INSERT INTO card (id, msisdn, lookup_hash, pan_ciphertext, key_id, bin, last4, expiry, linked_at)
                            VALUES (:id, :msisdn, :hash, :ct, :keyId, :bin, :last4, :expiry, :at)
                            ON CONFLICT DO NOTHING""")
                    .bind("id", c.id()).bind("msisdn", c.msisdn()).bind("hash", c.lookupHash())
                    .bind("ct", s.panCiphertext()).bind("keyId", s.keyId()).bind("bin", c.bin())
                    .bind("last4", c.last4()).bind("expiry", c.expiry().toString())
                    .bind("at", PaymentRows.ts(c.linkedAt())).execute();
            if (inserted == 1) {
                return c;
            }
            return h.createQuery("SELECT " + COLUMNS + " FROM card WHERE msisdn = :m AND lookup_hash = :h "
                            + "AND delinked_at IS NULL")
                    .bind("m", c.msisdn()).bind("h", c.lookupHash()).map(JdbiCardStore::card).one();
        });
    }

    @Override
    public void hold(Sealed s) {
        Card c = s.card();
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO card (id, msisdn, lookup_hash, pan_ciphertext, key_id, bin, last4, expiry, linked_at,
                            delinked_at)
                        VALUES (:id, :msisdn, :hash, :ct, :keyId, :bin, :last4, :expiry, :at, :at)""")
                .bind("id", c.id()).bind("msisdn", c.msisdn()).bind("hash", c.lookupHash())
                .bind("ct", s.panCiphertext()).bind("keyId", s.keyId()).bind("bin", c.bin())
                .bind("last4", c.last4()).bind("expiry", c.expiry().toString())
                .bind("at", PaymentRows.ts(c.linkedAt())).execute());
    }

    @Override
    public Optional<Card> find(UUID id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM card WHERE id = :id AND delinked_at IS NULL")
                .bind("id", id).map(JdbiCardStore::card).findOne());
    }

    @Override
    public Optional<Sealed> sealed(UUID id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + ", pan_ciphertext, key_id FROM card WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> new Sealed(card(rs, ctx), rs.getBytes("pan_ciphertext"),
                        rs.getString("key_id"))).findOne());
    }

    @Override
    public List<Card> linked(String msisdn) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM card WHERE msisdn = :m "
                        + "AND delinked_at IS NULL ORDER BY linked_at, id")
                .bind("m", msisdn).map(JdbiCardStore::card).list());
    }

    @Override
    public boolean delink(UUID id, String msisdn) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE card SET delinked_at = now() WHERE id = :id "
                        + "AND msisdn = :m AND delinked_at IS NULL")
                .bind("id", id).bind("m", msisdn).execute()) == 1;
    }
}
