package io.kulipa.dialects.jenga;

import io.kulipa.Settings;
import io.kulipa.dialects.Core;
import io.kulipa.dialects.DemoMerchant;
import io.kulipa.dialects.Dialect;
import io.kulipa.dialects.Installation;
import io.kulipa.dialects.jenga.credentials.GrantingJengaCredentials;
import io.kulipa.dialects.jenga.credentials.IssuingAccessToken;
import io.kulipa.dialects.jenga.credentials.VerifyingSignature;
import io.kulipa.dialects.jenga.pushes.InitiatingPush;
import io.kulipa.dialects.jenga.pushes.ResendingPushCallback;
import io.kulipa.dialects.jenga.settlement.JengaPostings;
import io.kulipa.dialects.jenga.settlement.SettlingSuspense;
import io.kulipa.dialects.jenga.store.JdbiJengaCredentialStore;
import io.kulipa.dialects.jenga.store.JdbiSettlementStore;
import io.kulipa.providers.Catalog;
import io.kulipa.web.ApiDocument;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * Jenga's (Finserve) Equitel STK/USSD push over the core: merchant authentication, signed push
 * requests, Equitel as a simulated operator of its own, the callback of the spec, and Kulipa's
 * status look-up and resend. Its credentials live in {@code store/}.
 */
public final class JengaDialect implements Dialect {

    /** Equitel's test numbers (each ending in one callback code) as simulator scenarios. */
    public static final String SCENARIOS = "/simulator/jenga-scenarios.csv";
    public static final String BOOTSTRAP_MERCHANT_CODE = "BOOTSTRAP_JENGA_MERCHANT_CODE";
    public static final String BOOTSTRAP_API_KEY = "BOOTSTRAP_JENGA_API_KEY";
    public static final String BOOTSTRAP_CONSUMER_SECRET = "BOOTSTRAP_JENGA_CONSUMER_SECRET";
    public static final String BOOTSTRAP_ACCOUNT_NUMBER = "BOOTSTRAP_JENGA_ACCOUNT_NUMBER";
    /** How long an access token lives ("3s", "2m", or milliseconds); 15 minutes unless set. */
    public static final String TOKEN_LIFETIME = "JENGA_TOKEN_LIFETIME";
    /** The demo merchant's account is the spec example's, so the example request works as it is. */
    public static final String DEMO_ACCOUNT_NUMBER = "0170194290581";
    static final String DEMO_FIELD = "jenga";

    private JdbiJengaCredentialStore credentials;
    private GrantingJengaCredentials granting;
    private Settings settings;
    private volatile Demo demo;

    /** The demo merchant's Jenga credentials of this start (sandbox only), in clear. */
    public record Demo(String merchantCode, String apiKey, String consumerSecret, String accountNumber,
                       java.nio.file.Path privateKeyFile) {
    }

    @Override
    public String name() {
        return JengaJson.DIALECT;
    }

    @Override
    public Catalog extend(Catalog operators) {
        return EquitelSandboxCatalog.with(operators);
    }

    @Override
    public List<String> simulatorScenarios() {
        return List.of(SCENARIOS);
    }

    @Override
    public List<ApiDocument> apiDocuments() {
        return List.of(new ApiDocument("Jenga: Equitel STK/USSD push", "jenga.yaml"));
    }

    @Override
    public void install(Core core, Installation installation) {
        settings = core.settings();
        credentials = new JdbiJengaCredentialStore(core.database().jdbi());
        granting = new GrantingJengaCredentials(credentials, core.clock());
        String lifetime = settings.value(TOKEN_LIFETIME);
        Duration tokenLifetime = lifetime == null ? IssuingAccessToken.DEFAULT_LIFETIME
                : Settings.duration(lifetime, "KULIPA_" + TOKEN_LIFETIME);
        JengaOutcome.TestNumbers testNumbers = JengaOutcome.TestNumbers.load(SCENARIOS);
        Tariff tariff = Tariff.load(Tariff.RESOURCE);
        JengaPostings postings = new JengaPostings(testNumbers, tariff);
        JdbiSettlementStore settlements = new JdbiSettlementStore(core.database().jdbi(), core.callbackOutbox());
        JengaJson json = new JengaJson(testNumbers, tariff, settlements::decision,
                p -> core.sandbox() && core.simulator().lockedByWrongPins(p.id().toString()));
        installation.callbackFormat(JengaJson.DIALECT, json);
        installation.depositPostings(JengaJson.DIALECT, postings);
        core.simulator().receipts(InitiatingPush.CORRESPONDENT, new EquitelReceipt(core.payments()));
        core.simulator().customerAccounts(InitiatingPush.CORRESPONDENT, new EquitelAccounts(core.payments()));
        // Outside the sandbox no operator is simulated: the core's availability decides alone.
        Predicate<String> operatorUp = core.sandbox() ? core.simulator()::healthy : c -> true;
        InitiatingPush pushing = new InitiatingPush(core.initiating(), credentials, core.guard(), operatorUp);
        installation.routes(new JengaRoutes(new IssuingAccessToken(credentials, tokenLifetime, core.clock()),
                new VerifyingSignature(credentials), pushing, core.merchants(), core.payments(),
                new ResendingPushCallback(core.payments(), core.handOff(), core.clock()), json));
        SettlingSuspense settling = new SettlingSuspense(core.payments(), settlements, postings,
                p -> giveBack(core, p), core.clock());
        installation.routes(new JengaOpsRoutes(core.admin(), core.merchants(), granting, settling));
        // The spec's 500 106500 "Error loading service" is what Jenga answers when it cannot serve a call.
        installation.outageAnswer(new io.kulipa.web.OutageAnswer(java.util.List.of("/authentication/api/v3",
                "/v3-apis/"), ctx -> JengaErrors.answer(ctx, 500, JengaErrors.SERVICE_LOADING,
                "Error loading service")));
    }

    /** A returned push's money back in the simulated customer's wallet (the sandbox's operator). */
    private static void giveBack(Core core, io.kulipa.payments.Payment p) {
        if (!core.sandbox()) {
            return;
        }
        var wallet = core.simulator().wallet(p.msisdn());
        wallet.ifPresent(w -> core.simulator().configure(p.msisdn(), p.currency(),
                w.balance().add(p.processedAmount() != null ? p.processedAmount() : p.amount()), null, null));
    }

    /**
     * The demo merchant's credentials: each fixed by its setting if set, else the one written last
     * time, else a new one; the key pair beside demo-merchant.json is kept across starts.
     */
    /** The demo merchant's RSA key pair, generated while the database starts (bootstrapDemo reads it). */
    @Override
    public void prepare(io.kulipa.Settings settings) {
        if (settings.sandbox()) {
            DemoKeyPair.publicPem(settings.dataDir());
        }
    }

    @Override
    public void bootstrapDemo(DemoMerchant demoMerchant) {
        var previous = demoMerchant.previous().path(DEMO_FIELD);
        String code = pick(BOOTSTRAP_MERCHANT_CODE, previous.path("merchantCode").asText(""));
        String apiKey = pick(BOOTSTRAP_API_KEY, previous.path("apiKey").asText(""));
        String secret = pick(BOOTSTRAP_CONSUMER_SECRET, previous.path("consumerSecret").asText(""));
        String account = pick(BOOTSTRAP_ACCOUNT_NUMBER, DEMO_ACCOUNT_NUMBER);
        String publicPem = DemoKeyPair.publicPem(demoMerchant.dataDir());
        var id = demoMerchant.merchant().id();
        GrantingJengaCredentials.Result result = granting.grant(id, code, apiKey, secret, publicPem);
        if (result.refusal() != null) {
            throw new IllegalStateException("cannot give the demo merchant Jenga credentials: "
                    + result.refusal().message());
        }
        granting.addAccount(id, account).ifPresent(r -> {
            throw new IllegalStateException("demo Jenga account " + account + ": " + r.message());
        });
        var granted = result.granted();
        var file = demoMerchant.file().putObject(DEMO_FIELD);
        file.put("merchantCode", granted.merchantCode());
        file.put("apiKey", granted.apiKey());
        file.put("consumerSecret", granted.consumerSecret());
        file.put("accountNumber", account);
        file.put("privateKeyFile", DemoKeyPair.PRIVATE_KEY_FILE);
        file.put("publicKeyFile", DemoKeyPair.PUBLIC_KEY_FILE);
        demoMerchant.bannerLine("Jenga code", granted.merchantCode() + " (merchantCode), account " + account);
        demoMerchant.bannerLine("Jenga Api-Key", granted.apiKey());
        demoMerchant.bannerLine("Jenga secret", granted.consumerSecret() + " (consumerSecret)");
        demoMerchant.bannerLine("Jenga key", demoMerchant.dataDir().resolve(DemoKeyPair.PRIVATE_KEY_FILE)
                + " (signs the Signature header)");
        demo = new Demo(granted.merchantCode(), granted.apiKey(), granted.consumerSecret(), account,
                demoMerchant.dataDir().resolve(DemoKeyPair.PRIVATE_KEY_FILE));
    }

    private String pick(String setting, String previous) {
        String fixed = settings.value(setting);
        return fixed != null ? fixed : previous.isEmpty() ? null : previous;
    }

    /** The demo merchant's Jenga credentials of this start (sandbox only; null before bootstrap). */
    public Demo demo() {
        return demo;
    }
}
