package io.kulipa.dialects.scantopay;

import java.util.Set;
import java.util.UUID;

/**
 * A merchant's Scan to Pay profile: one username, one authentication mode (Basic or JWT Bearer,
 * never both: switching clears the other mode's credential), its roles (EXTERNAL for the WIG and
 * code endpoints, STK for the MNO partners' /stk group), and its notification URL.
 *
 * @param passwordDigest SHA-256 digest of the Basic password (BASIC only)
 * @param publicKeyPem   the RSA public key that verifies the merchant's JWTs (BEARER only)
 */
public record Profile(UUID merchantId, String username, Mode mode, String passwordDigest, String publicKeyPem,
                      Set<Role> roles, boolean suspended, String notificationUrl, boolean hasNotificationKey) {

    public enum Mode { BASIC, BEARER }

    public enum Role { EXTERNAL, STK }

    public Profile {
        roles = Set.copyOf(roles);
    }
}
