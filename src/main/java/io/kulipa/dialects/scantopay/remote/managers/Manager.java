package io.kulipa.dialects.scantopay.remote.managers;

import java.util.UUID;

/**
 * A wallet brand's manager profile: the username the brand's backend authenticates as and its
 * one auth mode, with only that mode's credential (a password digest or a public key PEM).
 */
public record Manager(UUID brandId, String brandName, String username, AuthMode mode, String passwordDigest,
                      String publicKeyPem) {

    public enum AuthMode { BASIC, BEARER }
}
