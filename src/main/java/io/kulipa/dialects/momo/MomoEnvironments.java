package io.kulipa.dialects.momo;

import io.kulipa.money.CountryRules;
import io.kulipa.providers.Catalog;
import io.kulipa.providers.Correspondent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * MoMo's target environments ({@code X-Target-Environment}) and the correspondent each one
 * routes to. {@code sandbox} is MoMo's own test environment, in euros; the others are MTN's
 * national wallet platforms, each the catalog's MTN correspondent of its country.
 */
final class MomoEnvironments {

    static final String HEADER = "X-Target-Environment";
    static final String SANDBOX = "sandbox";

    /** What a target environment means: the correspondent, its country's rules and its currency. */
    record Environment(String name, Correspondent correspondent, CountryRules country) {
        String currency() {
            return correspondent.currency();
        }
    }

    private static final Map<String, String> CORRESPONDENTS = correspondents();

    private final Map<String, Environment> byName = new LinkedHashMap<>();

    /** @param catalog a catalog holding the MoMo sandbox correspondent besides the national ones */
    MomoEnvironments(Catalog catalog) {
        CORRESPONDENTS.forEach((name, id) -> catalog.correspondent(id).ifPresent(c ->
                byName.put(name, new Environment(name, c, catalog.country(c.country()).orElseThrow()))));
    }

    private static Map<String, String> correspondents() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(SANDBOX, io.kulipa.dialects.momo.MomoSandboxCatalog.CORRESPONDENT);
        m.put("mtnuganda", "MTN_MOMO_UGA");
        m.put("mtnghana", "MTN_MOMO_GHA");
        m.put("mtnzambia", "MTN_MOMO_ZMB");
        m.put("mtncameroon", "MTN_MOMO_CMR");
        m.put("mtnbenin", "MTN_MOMO_BEN");
        m.put("mtnivorycoast", "MTN_MOMO_CIV");
        m.put("mtnrwanda", "MTN_MOMO_RWA");
        return java.util.Collections.unmodifiableMap(m);
    }

    /** The environment of that name; names are matched as MoMo writes them, in lower case. */
    Optional<Environment> find(String name) {
        return Optional.ofNullable(name == null ? null : byName.get(name.trim()));
    }

    /** The environment whose correspondent this is, if any. */
    Optional<Environment> ofCorrespondent(String correspondent) {
        return byName.values().stream().filter(e -> e.correspondent().id().equals(correspondent)).findFirst();
    }

    /** The environment names, for messages. */
    String names() {
        return String.join(", ", byName.keySet());
    }
}
