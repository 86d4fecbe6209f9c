package io.kulipa.dialects.scantopay.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.kulipa.dialects.scantopay.remote.managers.Manager;
import io.kulipa.dialects.scantopay.remote.managers.ManagerStore;
import io.kulipa.dialects.scantopay.remote.managers.Msisdns;
import io.kulipa.logging.Failures;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The preamble of every Remote API call about one wallet profile: the JSON body and its MSISDN
 * (400 naming it when wrong; the profile made on first use), then the call; a 500 for anything of
 * ours, saying how to retry.
 */
final class WalletCalls {

    private static final Logger LOG = LoggerFactory.getLogger(WalletCalls.class);

    @FunctionalInterface
    interface Action {
        void run(Context ctx, Manager manager, JsonNode body, String msisdn);
    }

    private final ManagerStore managers;
    private final Clock clock;

    WalletCalls(ManagerStore managers, Clock clock) {
        this.managers = managers;
        this.clock = clock;
    }

    /** @param retry the 500's message: how the wallet retries this call safely */
    void run(Context ctx, Manager manager, Action action, String retry) {
        try {
            var read = RemoteRequests.object(ctx);
            if (read.isEmpty()) {
                return;
            }
            String msisdn = RemoteRequests.text(read.get(), "msisdn");
            String problem = msisdn == RemoteRequests.WRONG ? RemoteRequests.wrong("msisdn") : Msisdns.problem(msisdn);
            if (problem != null) {
                RemoteErrors.badRequest(ctx, problem);
                return;
            }
            String wallet = Msisdns.international(msisdn).orElseThrow();
            managers.profile(manager.brandId(), wallet, clock.instant());
            action.run(ctx, manager, read.get(), wallet);
        } catch (RuntimeException e) {
            LOG.error("Remote API call {} failed: {}", ctx.path(), Failures.describe(e));
            RemoteErrors.answer(ctx, 500, RemoteErrors.ERROR, retry);
        }
    }
}
