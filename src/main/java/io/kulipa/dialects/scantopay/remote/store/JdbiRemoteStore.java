package io.kulipa.dialects.scantopay.remote.store;

import io.kulipa.dialects.scantopay.remote.managers.Manager;
import io.kulipa.dialects.scantopay.remote.managers.ManagerStore;
import io.kulipa.dialects.scantopay.remote.secure.SecureCodeStore;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** The Remote API's wallet brands, managers, wallet profiles and 3-D Secure challenges in PostgreSQL. */
public final class JdbiRemoteStore implements ManagerStore, SecureCodeStore {

    private static final String MANAGER = """
            SELECT m.brand_id, b.name, m.username, m.auth_mode, m.password_digest, m.public_key_pem
            FROM stp_remote_manager m JOIN stp_remote_brand b ON b.id = m.brand_id""";
    private static final String CHALLENGE = """
            SELECT id, brand_id, msisdn, transaction_id, card_hash, last_four, otp_digest, attempts, status,
                   pares_digest, created_at, expires_at FROM stp_remote_secure_code""";

    private final Jdbi jdbi;

    public JdbiRemoteStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public boolean addBrand(Brand brand) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        INSERT INTO stp_remote_brand (id, name, created_at) VALUES (:id, :name, :at)
                        ON CONFLICT DO NOTHING""")
                .bind("id", brand.id()).bind("name", brand.name()).bind("at", utc(brand.createdAt())).execute() == 1);
    }

    @Override
    public Optional<Brand> brand(UUID id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, name, created_at FROM stp_remote_brand WHERE id = :v")
                .bind("v", id).map((rs, c) -> brand(rs)).findOne());
    }

    @Override
    public Optional<Brand> brandByName(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, name, created_at FROM stp_remote_brand WHERE name = :v")
                .bind("v", name).map((rs, c) -> brand(rs)).findOne());
    }

    @Override
    public List<Brand> brands(int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, name, created_at FROM stp_remote_brand "
                        + "ORDER BY created_at, name LIMIT :n")
                .bind("n", limit).map((rs, c) -> brand(rs)).list());
    }

    private static Brand brand(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Brand(rs.getObject("id", UUID.class), rs.getString("name"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }

    @Override
    public boolean putManager(Manager m, Instant at) {
        return jdbi.inTransaction(h -> {
            h.execute("SELECT pg_advisory_xact_lock(hashtext('stp_remote_manager'))");
            boolean taken = h.createQuery("SELECT EXISTS (SELECT 1 FROM stp_remote_manager WHERE username = :u "
                            + "AND brand_id <> :b)")
                    .bind("u", m.username()).bind("b", m.brandId()).mapTo(Boolean.class).one();
            if (taken) {
                return false;
            }
            h.createUpdate("""
                            INSERT INTO stp_remote_manager (brand_id, username, auth_mode, password_digest, public_key_pem,
                                updated_at) VALUES (:b, :u, :mode, :pw, :pem, :at)
                            ON CONFLICT (brand_id) DO UPDATE SET username = EXCLUDED.username,
                                auth_mode = EXCLUDED.auth_mode, password_digest = EXCLUDED.password_digest,
                                public_key_pem = EXCLUDED.public_key_pem, updated_at = EXCLUDED.updated_at""")
                    .bind("b", m.brandId()).bind("u", m.username()).bind("mode", m.mode().name())
                    .bind("pw", m.passwordDigest()).bind("pem", m.publicKeyPem()).bind("at", utc(at)).execute();
            return true;
        });
    }

    @Override
    public Optional<Manager> manager(UUID brandId) {
        return jdbi.withHandle(h -> h.createQuery(MANAGER + " WHERE m.brand_id = :v").bind("v", brandId)
                .map((rs, c) -> manager(rs)).findOne());
    }

    @Override
    public Optional<Manager> managerByUsername(String username) {
        return jdbi.withHandle(h -> h.createQuery(MANAGER + " WHERE m.username = :v").bind("v", username)
                .map((rs, c) -> manager(rs)).findOne());
    }

    private static Manager manager(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Manager(rs.getObject("brand_id", UUID.class), rs.getString("name"), rs.getString("username"),
                Manager.AuthMode.valueOf(rs.getString("auth_mode")), rs.getString("password_digest"),
                rs.getString("public_key_pem"));
    }

    @Override
    public UUID profile(UUID brandId, String msisdn, Instant at) {
        return jdbi.withHandle(h -> {
            h.createUpdate("INSERT INTO stp_remote_profile (id, brand_id, msisdn, created_at) VALUES (:id, :b, :m, :at) "
                            + "ON CONFLICT (brand_id, msisdn) DO NOTHING")
                    .bind("id", UUID.randomUUID()).bind("b", brandId).bind("m", msisdn).bind("at", utc(at)).execute();
            return h.createQuery("SELECT id FROM stp_remote_profile WHERE brand_id = :b AND msisdn = :m")
                    .bind("b", brandId).bind("m", msisdn).mapTo(UUID.class).one();
        });
    }

    @Override
    public <T> T inTransaction(Function<SecureCodeStore.Books, T> work) {
        return jdbi.inTransaction(h -> work.apply(new Books(h)));
    }

    @Override
    public Optional<Challenge> find(String id) {
        return jdbi.withHandle(h -> h.createQuery(CHALLENGE + " WHERE id = :v").bind("v", id)
                .map((rs, c) -> challenge(rs)).findOne());
    }

    private record Books(Handle h) implements SecureCodeStore.Books {
        @Override
        public Optional<Challenge> lock(String id) {
            return h.createQuery(CHALLENGE + " WHERE id = :v FOR UPDATE").bind("v", id)
                    .map((rs, c) -> challenge(rs)).findOne();
        }

        @Override
        public void update(Challenge c) {
            h.createUpdate("UPDATE stp_remote_secure_code SET attempts = :a, status = :s, pares_digest = :p WHERE id = :id")
                    .bind("a", c.attempts()).bind("s", c.status().name()).bind("p", c.paresDigest()).bind("id", c.id())
                    .execute();
        }

        @Override
        public void add(Challenge c) {
            h.createUpdate("""
                            INSERT INTO stp_remote_secure_code (id, brand_id, msisdn, transaction_id, card_hash, last_four,
                                otp_digest, attempts, status, pares_digest, created_at, expires_at)
                            VALUES (:id, :b, :m, :t, :card, :four, :otp, :a, :s, :p, :created, :expires)""")
                    .bind("id", c.id()).bind("b", c.brandId()).bind("m", c.msisdn()).bind("t", c.transactionId())
                    .bind("card", c.cardHash()).bind("four", c.lastFour()).bind("otp", c.otpDigest())
                    .bind("a", c.attempts()).bind("s", c.status().name()).bind("p", c.paresDigest())
                    .bind("created", utc(c.createdAt())).bind("expires", utc(c.expiresAt())).execute();
        }
    }

    private static Challenge challenge(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Challenge(rs.getString("id"), rs.getObject("brand_id", UUID.class), rs.getString("msisdn"),
                rs.getString("transaction_id"), rs.getString("card_hash"), rs.getString("last_four"),
                rs.getString("otp_digest"), rs.getInt("attempts"), Status.valueOf(rs.getString("status")),
                rs.getString("pares_digest"), rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("expires_at", OffsetDateTime.class).toInstant());
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
