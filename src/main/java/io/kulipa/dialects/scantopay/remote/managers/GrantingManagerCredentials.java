package io.kulipa.dialects.scantopay.remote.managers;

import io.kulipa.payments.Secrets;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Operations' configuration of a brand's manager profile: BASIC (a username and a password that
 * is answered once in clear and kept as a digest) or BEARER (a username and the wallet provider's
 * RSA public key). Setting a mode clears the other mode's credential: a BASIC password stops
 * working the moment the manager becomes BEARER, and a registered key when it becomes BASIC.
 */
public final class GrantingManagerCredentials {

    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._-]{3,64}");

    /** What was set (with the clear password of a BASIC grant, once), or why not. */
    public record Result(Manager manager, String password, String problem) {
    }

    private final ManagerStore store;
    private final Clock clock;
    private final Function<String, Optional<?>> keyParser;

    public GrantingManagerCredentials(ManagerStore store, Clock clock, Function<String, Optional<?>> keyParser) {
        this.store = store;
        this.clock = clock;
        this.keyParser = keyParser;
    }

    /**
     * Sets the brand's manager. {@code password} null makes a new one for a BASIC grant;
     * {@code publicKeyPem} is required for BEARER and refused for BASIC.
     */
    public Result grant(UUID brandId, String username, String mode, String password, String publicKeyPem) {
        var brand = store.brand(brandId);
        if (brand.isEmpty()) {
            return refuse("id: no wallet brand with this id");
        }
        Manager.AuthMode authMode;
        try {
            authMode = Manager.AuthMode.valueOf(mode == null ? "" : mode.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return refuse("authMode: BASIC or BEARER");
        }
        String name = username != null ? username.strip()
                : store.manager(brandId).map(Manager::username).orElse(null);
        if (name == null || !USERNAME.matcher(name).matches()) {
            return refuse("username: 3 to 64 letters, digits, '.', '_' or '-'");
        }
        Manager manager;
        String clear = null;
        if (authMode == Manager.AuthMode.BASIC) {
            if (publicKeyPem != null) {
                return refuse("publicKey: a BASIC manager has no public key; set authMode BEARER to use one");
            }
            if (password != null && (password.length() < 16 || password.length() > 128)) {
                return refuse("password: 16 to 128 characters, or leave it out for a generated one");
            }
            clear = password != null ? password : Secrets.random();
            manager = new Manager(brandId, brand.get().name(), name, authMode, Secrets.digest(clear), null);
        } else {
            if (password != null) {
                return refuse("password: a BEARER manager has no password; its JWTs are verified with the public key");
            }
            if (publicKeyPem == null || keyParser.apply(publicKeyPem).isEmpty()) {
                return refuse("publicKey: an RSA public key (PEM) of at least 2048 bits");
            }
            manager = new Manager(brandId, brand.get().name(), name, authMode, null, publicKeyPem);
        }
        if (!store.putManager(manager, clock.instant())) {
            return refuse("username: taken by another brand's manager");
        }
        return new Result(manager, clear, null);
    }

    private static Result refuse(String problem) {
        return new Result(null, null, problem);
    }
}
