package io.kulipa.dialects.momo.credentials;

import java.util.Locale;
import java.util.Optional;

/** The MoMo products a merchant subscribes to, each with its own subscription key and tokens. */
public enum MomoProduct {
    COLLECTION, DISBURSEMENT, REMITTANCE;

    /** The product's name in MoMo paths ({@code /collection/token/}) and in the store. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<MomoProduct> fromWire(String name) {
        for (MomoProduct p : values()) {
            if (p.wireName().equals(name)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
