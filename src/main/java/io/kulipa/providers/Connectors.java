package io.kulipa.providers;

import java.util.Map;

/** Which connector serves which correspondent, with one connector as the default. */
public final class Connectors {

    private final ProviderConnector fallback;
    private final Map<String, ProviderConnector> byCorrespondent;

    public Connectors(ProviderConnector fallback, Map<String, ProviderConnector> byCorrespondent) {
        this.fallback = fallback;
        this.byCorrespondent = Map.copyOf(byCorrespondent);
    }

    public static Connectors all(ProviderConnector connector) {
        return new Connectors(connector, Map.of());
    }

    public ProviderConnector forCorrespondent(String correspondent) {
        return byCorrespondent.getOrDefault(correspondent, fallback);
    }
}
