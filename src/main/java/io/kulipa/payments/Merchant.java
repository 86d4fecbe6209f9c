package io.kulipa.payments;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A merchant and its settings. An empty {@code correspondents} set means every correspondent
 * of the catalog is enabled.
 */
public record Merchant(UUID id, String name, Set<String> correspondents, Map<PaymentKind, String> callbackUrls) {

    public Merchant {
        correspondents = Set.copyOf(correspondents);
        callbackUrls = Map.copyOf(callbackUrls);
    }

    public boolean enabled(String correspondent) {
        return correspondents.isEmpty() || correspondents.contains(correspondent);
    }

    public Optional<String> callbackUrl(PaymentKind kind) {
        return Optional.ofNullable(callbackUrls.get(kind));
    }
}
