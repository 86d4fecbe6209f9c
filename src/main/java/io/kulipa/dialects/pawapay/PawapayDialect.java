package io.kulipa.dialects.pawapay;

import io.kulipa.callbacks.RetryPolicy;
import io.kulipa.dialects.Core;
import io.kulipa.dialects.Dialect;
import io.kulipa.dialects.Installation;
import io.kulipa.web.ApiDocument;
import io.kulipa.providers.Prediction;
import java.util.List;

/** pawaPay's Merchant API v1: deposits, payouts, refunds and the toolkit, over the core. */
public final class PawapayDialect implements Dialect {

    @Override
    public String name() {
        return PawapayJson.DIALECT;
    }

    @Override
    public List<ApiDocument> apiDocuments() {
        return List.of(new ApiDocument("pawaPay Merchant API v1 (deposits)", "pawapay-v1.yaml"));
    }

    @Override
    public void install(Core core, Installation installation) {
        installation.callbackFormat(PawapayJson.DIALECT, new PawapayJson(new RetryPolicy(
                core.settings().callbackRetryWindow(), core.settings().callbackFirstRetry(),
                RetryPolicy.FIFTEEN_MINUTES.maxDelay(), RetryPolicy.FIFTEEN_MINUTES.jitterPercent())));
        // pawaPay's own surface keeps pawaPay's 32 correspondents, whatever other dialects add.
        installation.routes(new PawapayRoutes(core.merchantTokens(), core.initiating(), core.refunding(),
                core.cancellingPayout(), core.resending(), core.payments(), core.operators(), core.signedRequests()));
        installation.routes(new ToolkitRoutes(core.merchantTokens(), core.operators(), core.availability(),
                new Prediction(core.operators()), core.ledger()));
        // The Payment Page: the session endpoint and the hosted page, over the same deposits.
        var sessions = new io.kulipa.dialects.pawapay.store.JdbiPaymentPageSessions(core.database().jdbi());
        var options = new io.kulipa.dialects.pawapay.paymentpage.PaymentPageOptions(core.operators(), core.availability());
        Prediction prediction = new Prediction(core.operators());
        installation.routes(new PaymentPageApiRoutes(core.merchantTokens(),
                new io.kulipa.dialects.pawapay.paymentpage.StartingPaymentPageSession(sessions, core.payments(), options,
                        prediction, core.clock(), PawapayJson.DIALECT),
                core.signedRequests(), core.settings().value("PUBLIC_URL")));
        installation.routes(new io.kulipa.dialects.pawapay.pages.PaymentPageRoutes(
                new io.kulipa.dialects.pawapay.paymentpage.PayingOnPaymentPage(sessions, core.merchants(), core.payments(),
                        core.initiating(), options, prediction, core.clock(), PawapayJson.DIALECT)));
        // pawaPay documents 500 for its own failures; the body is its rejection, so clients read one shape.
        installation.outageAnswer(new io.kulipa.web.OutageAnswer(List.of("/deposits", "/payouts", "/refunds",
                "/active-conf", "/availability", "/v1/"), ctx -> ctx.status(500).json(PawapayRoutes.unavailable())));
    }
}
