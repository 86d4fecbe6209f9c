package io.kulipa.dialects.scantopay.notifications;

import io.kulipa.cards.CardStore;
import io.kulipa.cards.CardVault;
import io.kulipa.dialects.scantopay.ProfileStore;
import java.util.Optional;
import java.util.UUID;

/**
 * A merchant's notification URL and key, as the Portal's Notifications screen sets them: the key
 * is made the first time a URL is set and kept when the URL changes (renewKey makes a new one).
 * Kulipa must encrypt with the key, so it is kept sealed under the card key, never in clear.
 */
public final class ConfiguringNotifications {

    private final ProfileStore profiles;
    private final CardVault vault;

    public ConfiguringNotifications(ProfileStore profiles, CardVault vault) {
        this.profiles = profiles;
        this.vault = vault;
    }

    /** Sets the URL (null removes it); answers the new key when one was made. */
    public Optional<String> configure(UUID merchant, String url) {
        Optional<ProfileStore.Sealed> existing = profiles.notificationKey(merchant);
        if (existing.isPresent()) {
            profiles.notification(merchant, url, existing.get().sealed(), existing.get().keyId());
            return Optional.empty();
        }
        String key = NotificationCipher.newKey();
        CardStore.Sealed sealed = vault.sealSecret(key, merchant);
        profiles.notification(merchant, url, sealed.panCiphertext(), sealed.keyId());
        return Optional.of(key);
    }

    public String renewKey(UUID merchant) {
        String url = profiles.byMerchant(merchant).map(p -> p.notificationUrl()).orElse(null);
        String key = NotificationCipher.newKey();
        CardStore.Sealed sealed = vault.sealSecret(key, merchant);
        profiles.notification(merchant, url, sealed.panCiphertext(), sealed.keyId());
        return key;
    }

    /** The merchant's key in clear, for the demo file and the tests. */
    public Optional<String> key(UUID merchant) {
        return profiles.notificationKey(merchant).map(s -> vault.openSecret(s.sealed(), s.keyId(), merchant));
    }
}
