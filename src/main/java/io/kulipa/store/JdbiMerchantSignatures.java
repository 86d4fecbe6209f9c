package io.kulipa.store;

import io.kulipa.signatures.MerchantSignatures;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** The {@code merchant_signature} table (V31). */
public final class JdbiMerchantSignatures implements MerchantSignatures {

    private final Jdbi jdbi;

    public JdbiMerchantSignatures(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public Optional<Settings> find(UUID merchantId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT merchant_id, public_key, only_signed_requests, sign_callbacks, callback_key_id,
                               callback_public_key, callback_private_key
                        FROM merchant_signature WHERE merchant_id = :id""")
                .bind("id", merchantId)
                .map((rs, ctx) -> new Settings(rs.getObject("merchant_id", UUID.class), rs.getString("public_key"),
                        rs.getBoolean("only_signed_requests"), rs.getBoolean("sign_callbacks"),
                        rs.getString("callback_key_id"), rs.getString("callback_public_key"),
                        rs.getString("callback_private_key")))
                .findOne());
    }

    /** The first callback key stored for a merchant is kept: a concurrent first save by another node loses its own. */
    @Override
    public void save(Settings s) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO merchant_signature (merchant_id, public_key, only_signed_requests, sign_callbacks,
                            callback_key_id, callback_public_key, callback_private_key)
                        VALUES (:id, :key, :only, :sign, :cbId, :cbPublic, :cbPrivate)
                        ON CONFLICT (merchant_id) DO UPDATE SET public_key = EXCLUDED.public_key,
                            only_signed_requests = EXCLUDED.only_signed_requests,
                            sign_callbacks = EXCLUDED.sign_callbacks, updated_at = now()""")
                .bind("id", s.merchantId()).bind("key", s.publicKey()).bind("only", s.onlySignedRequests())
                .bind("sign", s.signCallbacks()).bind("cbId", s.callbackKeyId())
                .bind("cbPublic", s.callbackPublicKey()).bind("cbPrivate", s.callbackPrivateKey()).execute());
    }
}
