package io.kulipa.dialects.scantopay;

import java.util.Optional;
import java.util.UUID;

/** The Scan to Pay profiles and their notification settings; implemented in {@code store}. */
public interface ProfileStore {

    Optional<Profile> byUsername(String username);

    Optional<Profile> byMerchant(UUID merchantId);

    /**
     * Sets the profile's username, mode, credential and roles, clearing the other mode's credential;
     * false when the username belongs to another merchant.
     */
    boolean save(Profile profile);

    void suspend(UUID merchantId, boolean suspended);

    /** The notification URL (null removes it) and the sealed key, with the id of the key that sealed it. */
    void notification(UUID merchantId, String url, byte[] sealedKey, String keyId);

    /** The sealed notification key and the id of the key that sealed it. */
    Optional<Sealed> notificationKey(UUID merchantId);

    record Sealed(byte[] sealed, String keyId) {
    }
}
