package io.kulipa.ussd;

import io.kulipa.callbacks.UrlGuard;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Registers, lists and removes USSD applications. A callback URL passes the same guard as every
 * other callback (no private or loopback address outside the sandbox), checked again at each step.
 */
public final class RegisteringUssdApplication {

    public static final int URL_MAX_CHARS = 2_048;
    public static final int NAME_MAX_CHARS = 100;
    /** The gateway lists at most this many applications at once. */
    public static final int LIST_MAX = 500;

    /** A new application, or the field that was wrong and why. */
    public sealed interface Result {
        record Registered(UssdApplication application) implements Result {
        }

        record Refused(String message) implements Result {
        }

        record CodeTaken(String message) implements Result {
        }
    }

    private final UssdStore store;
    private final UrlGuard guard;
    private final Clock clock;

    public RegisteringUssdApplication(UssdStore store, UrlGuard guard, Clock clock) {
        this.store = store;
        this.guard = guard;
        this.clock = clock;
    }

    public Result register(String serviceCode, String callbackUrl, String name, UUID merchantId) {
        Optional<ServiceCode> code = ServiceCode.registrable(serviceCode);
        if (code.isEmpty()) {
            return new Result.Refused("serviceCode: must look like *120*777# (a '*', up to "
                    + ServiceCode.REGISTERED_GROUPS_MAX + " groups of 1 to " + ServiceCode.GROUP_MAX_DIGITS
                    + " digits separated by '*', and a closing '#')");
        }
        if (callbackUrl == null || callbackUrl.isBlank() || callbackUrl.length() > URL_MAX_CHARS) {
            return new Result.Refused("callbackUrl: is required, an http or https URL of at most "
                    + URL_MAX_CHARS + " characters");
        }
        Optional<String> refused = guard.refusal(callbackUrl);
        if (refused.isPresent()) {
            return new Result.Refused("callbackUrl: " + refused.get());
        }
        if (name != null && (name.isBlank() || name.length() > NAME_MAX_CHARS)) {
            return new Result.Refused("name: must be 1 to " + NAME_MAX_CHARS + " characters");
        }
        if (merchantId != null && !store.merchantExists(merchantId)) {
            return new Result.Refused("merchantId: no merchant has this id");
        }
        UssdApplication app = new UssdApplication(UUID.randomUUID(), code.get().toString(), callbackUrl,
                name == null ? code.get().toString() : name, merchantId, clock.instant());
        if (!store.insert(app)) {
            return new Result.CodeTaken("serviceCode: " + app.serviceCode() + " is registered already");
        }
        return new Result.Registered(app);
    }

    /**
     * Registers the application, or, when its code holds an application of the same name and
     * merchant already (the same application, registered by an earlier start), points that one at
     * this callback URL: idempotent across restarts. Another application on the code is left alone.
     */
    public Result registerOrRepoint(String serviceCode, String callbackUrl, String name, UUID merchantId) {
        Result result = register(serviceCode, callbackUrl, name, merchantId);
        if (!(result instanceof Result.CodeTaken)) {
            return result;
        }
        String code = ServiceCode.registrable(serviceCode).orElseThrow().toString();
        Optional<UssdApplication> existing = store.applicationOnAnyOf(List.of(code));
        if (existing.isEmpty() || !existing.get().name().equals(name)
                || !java.util.Objects.equals(existing.get().merchantId(), merchantId)) {
            return result;
        }
        if (!existing.get().callbackUrl().equals(callbackUrl)) {
            store.updateCallbackUrl(existing.get().id(), callbackUrl);
        }
        return store.application(existing.get().id()).<Result>map(Result.Registered::new).orElse(result);
    }

    public List<UssdApplication> list() {
        return store.applications(LIST_MAX);
    }

    public Optional<UssdApplication> find(UUID id) {
        return store.application(id);
    }

    public boolean remove(UUID id) {
        return store.deleteApplication(id);
    }
}
