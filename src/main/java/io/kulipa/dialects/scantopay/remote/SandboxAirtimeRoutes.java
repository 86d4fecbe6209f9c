package io.kulipa.dialects.scantopay.remote;

import io.javalin.config.RoutesConfig;
import io.kulipa.dialects.scantopay.remote.purchases.RemoteStates;
import io.kulipa.dialects.scantopay.remote.purchases.RemoteTransactionStore;
import io.kulipa.web.Routes;
import java.util.Map;

/** The sandbox's airtime balance of a handset: what VAS airtime purchases credited to the MSISDN. */
final class SandboxAirtimeRoutes implements Routes {

    static final String PATH = "/sandbox/scantopay-remote/airtime/{msisdn}";

    private final RemoteTransactionStore store;

    SandboxAirtimeRoutes(RemoteTransactionStore store) {
        this.store = store;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get(PATH, ctx -> {
            String msisdn = ctx.pathParam("msisdn");
            if (!msisdn.matches("[1-9][0-9]{7,14}")) {
                ctx.status(400).json(Map.of("errorMessage", "msisdn: international format, 8 to 15 digits"));
                return;
            }
            ctx.json(Map.of("msisdn", msisdn, "currency", "ZAR", "airtime", RemoteStates.rand(store.airtime(msisdn))));
        });
    }
}
