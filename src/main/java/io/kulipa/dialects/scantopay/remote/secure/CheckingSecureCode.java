package io.kulipa.dialects.scantopay.remote.secure;

import io.kulipa.payments.Secrets;
import java.util.UUID;

/**
 * A purchase's {@code secureCodeBasic}: the {@code secureCodeId} of a challenge of the same brand,
 * MSISDN, transactionId and card that the customer passed on the ACS page, with its paRes.
 * Used once: the purchase that takes it marks it USED in its own transaction (a retry of that
 * purchase is deduplicated before this check).
 */
public final class CheckingSecureCode {

    private final SecureCodeStore store;

    public CheckingSecureCode(SecureCodeStore store) {
        this.store = store;
    }

    /** Why the block is refused (naming the field), or null when it authenticates the card. */
    public String problem(UUID brandId, String msisdn, String transactionId, String cardHash, String secureCodeId,
                          String paRes) {
        if (secureCodeId == null || secureCodeId.isBlank()) {
            return "secureCodeBasic.secureCodeId: required";
        }
        if (paRes == null || paRes.isBlank()) {
            return "secureCodeBasic.paRes: required";
        }
        var found = store.find(secureCodeId.strip()).filter(c -> c.brandId().equals(brandId)
                && c.msisdn().equals(msisdn));
        if (found.isEmpty()) {
            return "secureCodeBasic.secureCodeId: no 3-D Secure look-up of this wallet with this id";
        }
        var c = found.get();
        if (!c.transactionId().equals(transactionId) || !c.cardHash().equals(cardHash)) {
            return "secureCodeBasic.secureCodeId: the look-up was for another transactionId or card";
        }
        if (c.status() != SecureCodeStore.Status.AUTHENTICATED) {
            return "secureCodeBasic.secureCodeId: the customer has not passed this challenge ("
                    + c.status().name().toLowerCase(java.util.Locale.ROOT) + ")";
        }
        return Secrets.sameDigest(Secrets.digest(paRes.strip()), c.paresDigest()) ? null
                : "secureCodeBasic.paRes: not the paRes of this challenge";
    }

    /** Marks the challenge used by a purchase; false when it was used already. */
    public boolean use(String secureCodeId) {
        return store.inTransaction(books -> {
            var c = books.lock(secureCodeId);
            if (c.isEmpty() || c.get().status() != SecureCodeStore.Status.AUTHENTICATED) {
                return false;
            }
            books.update(c.get().with(c.get().attempts(), SecureCodeStore.Status.USED, c.get().paresDigest()));
            return true;
        });
    }
}
