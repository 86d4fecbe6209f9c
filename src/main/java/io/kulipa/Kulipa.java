package io.kulipa;

import io.kulipa.api.Authenticator;
import io.kulipa.api.HttpServer;
import io.kulipa.api.Routes;
import io.kulipa.api.momo.MomoAuth;
import io.kulipa.api.momo.MomoInvoiceJson;
import io.kulipa.api.momo.MomoInvoiceRoutes;
import io.kulipa.api.momo.MomoJson;
import io.kulipa.api.momo.MomoPaymentRoutes;
import io.kulipa.api.momo.MomoIdentityRoutes;
import io.kulipa.api.momo.MomoPreApprovalRoutes;
import io.kulipa.api.momo.MomoRoutes;
import io.kulipa.payments.credentials.AuthenticatingApiUser;
import io.kulipa.payments.identity.ReadingCustomerIdentity;
import io.kulipa.payments.identity.RecordingConsentDecision;
import io.kulipa.payments.identity.RedeemingConsent;
import io.kulipa.payments.identity.RequestingConsent;
import io.kulipa.payments.mandates.ApplyingPreApproval;
import io.kulipa.payments.mandates.FindingPreApproval;
import io.kulipa.payments.mandates.RecordingPreApprovalDecision;
import io.kulipa.payments.mandates.RequestingPreApproval;
import io.kulipa.providers.simulator.SimulatedApprovals;
import io.kulipa.store.JdbiCallbackAttempts;
import io.kulipa.store.JdbiConsentStore;
import io.kulipa.store.JdbiPreApprovalStore;
import io.kulipa.webhooks.SendingCallbackOnce;
import io.kulipa.api.momo.MomoVoucherRoutes;
import io.kulipa.api.ops.OpsRoutes;
import io.kulipa.api.pawapay.PawapayJson;
import io.kulipa.api.pawapay.PawapayRoutes;
import io.kulipa.api.sandbox.CallbackInbox;
import io.kulipa.api.sandbox.SandboxInvoiceRoutes;
import io.kulipa.api.sandbox.SandboxRoutes;
import io.kulipa.payments.Accounting;
import io.kulipa.payments.CancellingEnqueuedPayout;
import io.kulipa.payments.InitiatingPayment;
import io.kulipa.payments.RefundingDeposit;
import io.kulipa.payments.ReleasingEnqueuedPayouts;
import io.kulipa.payments.GroupCommittingStore;
import io.kulipa.payments.JobKind;
import io.kulipa.payments.JobWorker;
import io.kulipa.payments.OnboardingMerchant;
import io.kulipa.payments.PaymentState;
import io.kulipa.payments.ReconciliationPolicy;
import io.kulipa.payments.ReconcilingPayment;
import io.kulipa.payments.RecordingProviderOutcome;
import io.kulipa.payments.ResendingCallback;
import io.kulipa.payments.SendingDeliveryNotification;
import io.kulipa.payments.SubmittingPayment;
import io.kulipa.payments.ValidatingPaymentRequest;
import io.kulipa.payments.credentials.AuthenticatingMomoCall;
import io.kulipa.payments.credentials.GrantingSubscriptionKeys;
import io.kulipa.payments.credentials.IssuingAccessToken;
import io.kulipa.payments.credentials.ProvisioningApiUser;
import io.kulipa.payments.invoices.CancellingInvoice;
import io.kulipa.payments.invoices.CreatingInvoice;
import io.kulipa.payments.invoices.PayingInvoice;
import io.kulipa.payments.invoices.SettlingInvoices;
import io.kulipa.payments.WorkHandOff;
import io.kulipa.payments.vouchers.CancellingVoucher;
import io.kulipa.payments.vouchers.CreatingVoucher;
import io.kulipa.payments.vouchers.RedeemingVoucher;
import io.kulipa.payments.vouchers.SendingVoucherOtp;
import io.kulipa.api.ops.AvailabilityOpsRoutes;
import io.kulipa.api.pawapay.ToolkitRoutes;
import io.kulipa.providers.Availability;
import io.kulipa.providers.AvailabilityBoard;
import io.kulipa.providers.Prediction;
import io.kulipa.providers.Catalog;
import io.kulipa.providers.Connectors;
import io.kulipa.providers.MomoSandboxCatalog;
import io.kulipa.providers.simulator.Scenarios;
import io.kulipa.providers.simulator.SimulatedOperators;
import io.kulipa.providers.simulator.SimulatorSettings;
import io.kulipa.store.Database;
import io.kulipa.store.JdbiInvoiceStore;
import io.kulipa.store.JdbiLedgerStore;
import io.kulipa.store.JdbiMerchantStore;
import io.kulipa.store.JdbiMomoCredentialStore;
import io.kulipa.store.JdbiPaymentStore;
import io.kulipa.store.JdbiSimulatorStore;
import io.kulipa.store.JdbiVoucherStore;
import io.kulipa.store.JdbiWebhookAttempts;
import io.kulipa.webhooks.DeliveringInvoiceCallback;
import io.kulipa.webhooks.DeliveringVoucherCallback;
import io.kulipa.webhooks.DeliveringWebhook;
import io.kulipa.webhooks.RetryPolicy;
import io.kulipa.webhooks.UrlGuard;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: reads the settings, wires every part by hand, starts the workers and
 * the HTTP server, and stops them in the reverse order.
 */
public final class Kulipa implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Kulipa.class);
    private static final int SUBMIT_IN_FLIGHT_MAX = 64;
    private static final int PAYMENT_WRITERS = 2;
    private static final int CHECK_IN_FLIGHT_MAX = 16;
    private static final int WEBHOOK_IN_FLIGHT_MAX = 128;
    private static final Duration WORKER_IDLE_POLL = Duration.ofMillis(500);
    private static final Duration STATE_GAUGE_CACHE = Duration.ofSeconds(5);

    private final Settings settings;
    private final Database database;
    private final SimulatedOperators simulator;
    private final List<AutoCloseable> workers;
    private final JdbiLedgerStore ledger;
    private final HttpServer http;
    private final Bootstrap.Credentials credentials;

    private Kulipa(Settings settings, Database database, SimulatedOperators simulator, List<AutoCloseable> workers,
                   HttpServer http, Bootstrap.Credentials credentials, JdbiLedgerStore ledger) {
        this.ledger = ledger;
        this.settings = settings;
        this.database = database;
        this.simulator = simulator;
        this.workers = workers;
        this.http = http;
        this.credentials = credentials;
    }

    public static void main(String[] args) {
        Settings settings;
        try {
            settings = Settings.from(System.getenv(), args);
        } catch (IllegalArgumentException e) {
            System.err.println("kulipa: " + e.getMessage());
            System.exit(2);
            return;
        }
        Kulipa kulipa;
        try {
            kulipa = start(settings);
        } catch (RuntimeException e) {
            LOG.error("Kulipa could not start: {}", e.getMessage(), e);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(kulipa::close, "kulipa-shutdown"));
        kulipa.printWelcome();
    }

    public static Kulipa start(Settings settings) {
        if (!settings.sandbox() && settings.dbUrl() == null) {
            throw new IllegalStateException("production mode needs an external PostgreSQL: set KULIPA_DB_URL "
                    + "(the embedded database is for the sandbox only)");
        }
        Clock clock = Clock.systemUTC();
        String nodeId = nodeId();
        Database db = Database.open(new Database.Settings(settings.dbUrl(), settings.dbUser(),
                settings.dbPassword(), settings.dataDir(), settings.dbPoolSize()));
        LOG.info("Kulipa {} node {} using {}", settings.mode().name().toLowerCase(), nodeId, db.description());
        try {
            return wire(settings, db, clock, nodeId);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    private static Kulipa wire(Settings settings, Database db, Clock clock, String nodeId) {

        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Catalog catalog = Catalog.loadDefault();
        // pawaPay's own surface (availability, active-conf, prediction) keeps pawaPay's 32
        // correspondents; payments, wallets and handsets also know MoMo's sandbox (EUR).
        Catalog withMomoSandbox = MomoSandboxCatalog.with(catalog);
        JdbiPaymentStore store = new JdbiPaymentStore(db.jdbi(), nodeId, settings.jobLease());
        GroupCommittingStore payments = new GroupCommittingStore(store, PAYMENT_WRITERS);
        JdbiMerchantStore merchants = new JdbiMerchantStore(db.jdbi());
        JdbiWebhookAttempts attempts = new JdbiWebhookAttempts(db.jdbi());
        OnboardingMerchant onboarding = new OnboardingMerchant(merchants);

        SimulatedOperators simulator = new SimulatedOperators(new JdbiSimulatorStore(db.jdbi()),
                new io.kulipa.store.JdbiSimApprovalStore(db.jdbi()), Scenarios.load(Scenarios.RESOURCE, Scenarios.MOMO_RESOURCE), new SimulatorSettings(settings.approvalDelay(), settings.approvalWindow(),
                settings.manualApproval(), settings.walletOpeningBalance(), "1234"), clock);
        // Production has no real operator connectors yet: its baseline closes everything, and no
        // override can open what the baseline closes, so nothing is routed to simulated money.
        AvailabilityBoard availability = new AvailabilityBoard(catalog,
                settings.sandbox() ? Availability.ALWAYS_OPERATIONAL : (c, op) -> Availability.Status.CLOSED,
                settings.sandbox() ? simulator::healthy : c -> false, clock);
        Connectors connectors = Connectors.all(simulator);
        Duration inDoubtCheck = settings.firstStatusCheck().compareTo(ReconciliationPolicy.DEFAULT.inDoubtCheckAfter()) < 0
                ? settings.firstStatusCheck() : ReconciliationPolicy.DEFAULT.inDoubtCheckAfter();
        ReconciliationPolicy policy = new ReconciliationPolicy(settings.firstStatusCheck(), inDoubtCheck, ReconciliationPolicy.DEFAULT.maxInterval(),
                ReconciliationPolicy.DEFAULT.maxChecks());

        Map<JobKind, JobWorker> byKind = new EnumMap<>(JobKind.class);
        WorkHandOff handOff = jobs -> jobs.forEach(job -> {
            JobWorker worker = byKind.get(job.kind());
            if (worker != null) {
                worker.handOff(List.of(job));
            }
        });
        RecordingProviderOutcome outcomes = new RecordingProviderOutcome(payments, handOff, clock);
        simulator.listen(outcomes);
        UrlGuard guard = new UrlGuard(settings.sandbox(), settings.webhookAllowList());
        byKind.put(JobKind.SUBMIT, new JobWorker(JobKind.SUBMIT, payments,
                new SubmittingPayment(payments, connectors, policy, handOff, availability, clock), SUBMIT_IN_FLIGHT_MAX,
                settings.jobLease(), WORKER_IDLE_POLL));
        byKind.put(JobKind.CHECK, new JobWorker(JobKind.CHECK, payments,
                new ReconcilingPayment(payments, connectors, outcomes, policy, handOff, clock), CHECK_IN_FLIGHT_MAX,
                settings.jobLease(), WORKER_IDLE_POLL));
        byKind.put(JobKind.WEBHOOK, new JobWorker(JobKind.WEBHOOK, payments,
                new DeliveringWebhook(payments, merchants, attempts, Map.of(PawapayJson.DIALECT, new PawapayJson(
                        new RetryPolicy(settings.callbackRetryWindow(), settings.callbackFirstRetry(),
                                RetryPolicy.FIFTEEN_MINUTES.maxDelay(), RetryPolicy.FIFTEEN_MINUTES.jitterPercent())),
                        MomoJson.DIALECT, new MomoJson()),
                        guard, metrics, clock), WEBHOOK_IN_FLIGHT_MAX, settings.jobLease(), WORKER_IDLE_POLL));

        JdbiMomoCredentialStore momoCredentials = new JdbiMomoCredentialStore(db.jdbi());
        Bootstrap.Credentials credentials = Bootstrap.run(settings, merchants, onboarding,
                new GrantingSubscriptionKeys(momoCredentials));
        Authenticator auth = new Authenticator(onboarding);
        InitiatingPayment initiating = new InitiatingPayment(payments,
                new ValidatingPaymentRequest(withMomoSandbox, availability), availability, handOff, clock);
        JdbiLedgerStore ledger = new JdbiLedgerStore(db.jdbi());
        if (settings.sandbox() && credentials.demoMerchant() != null) {
            fundDemoWallets(ledger, withMomoSandbox, credentials.demoMerchant().id(), settings.bootstrapWalletBalance());
        }
        ReleasingEnqueuedPayouts releasing = new ReleasingEnqueuedPayouts(payments, availability, handOff, clock);
        List<Routes> routes = new ArrayList<>();
        routes.add(new PawapayRoutes(auth, initiating, new RefundingDeposit(payments, initiating, clock),
                new CancellingEnqueuedPayout(payments, handOff, clock),
                new ResendingCallback(payments, merchants, handOff, clock), payments, catalog));
        routes.add(new OpsRoutes(credentials.adminToken(), onboarding, merchants, payments, attempts, auth, guard));
        routes.add(new ToolkitRoutes(auth, catalog, availability, new Prediction(catalog), ledger));
        routes.add(new AvailabilityOpsRoutes(credentials.adminToken(), availability));
        ProvisioningApiUser momoUsers = new ProvisioningApiUser(momoCredentials, clock);
        routes.add(new MomoRoutes(momoUsers, new IssuingAccessToken(momoCredentials, clock)));
        MomoAuth momoAuth = new MomoAuth(new AuthenticatingMomoCall(momoCredentials, clock));
        JdbiPreApprovalStore preApprovals = new JdbiPreApprovalStore(db.jdbi());
        routes.add(new MomoPaymentRoutes(momoAuth, momoUsers, merchants, initiating,
                new RefundingDeposit(payments, initiating, clock), new SendingDeliveryNotification(connectors, clock),
                payments, ledger, withMomoSandbox, new ApplyingPreApproval(preApprovals, clock)));
        addMomoIdentity(routes, db, clock, simulator, guard, momoAuth, momoUsers, merchants, momoCredentials,
                preApprovals, withMomoSandbox);
        // MoMo invoices: the routes, the payer's side on the handset, and the loop that settles them.
        JdbiInvoiceStore invoices = new JdbiInvoiceStore(db.jdbi());
        SettlingInvoices settlingInvoices = new SettlingInvoices(invoices,
                new DeliveringInvoiceCallback(invoices, oneShot(db, guard), MomoInvoiceJson::render), clock);
        routes.add(new MomoInvoiceRoutes(momoAuth, momoUsers,
                merchants, new CreatingInvoice(invoices, new ValidatingPaymentRequest(withMomoSandbox, availability),
                clock), new CancellingInvoice(invoices, clock), invoices, withMomoSandbox));
        routes.add(momoVouchers(db, momoCredentials, momoUsers, guard, withMomoSandbox, clock));
        if (settings.sandbox()) {
            routes.add(new SandboxRoutes(simulator, withMomoSandbox));
            routes.add(new CallbackInbox());
            routes.add(new SandboxInvoiceRoutes(simulator, new PayingInvoice(invoices, merchants, initiating, clock)));
        }
        registerStateGauges(metrics, store);
        HttpServer http = new HttpServer(settings.host(), settings.port(), metrics, routes).start();
        if (settings.sandbox()) {
            simulator.start();
        }
        byKind.values().forEach(JobWorker::start);
        releasing.start();
        settlingInvoices.start();
        availability.start();
        http.ready();
        LOG.info("Kulipa is listening on port {}", http.port());
        List<AutoCloseable> background = new ArrayList<>(byKind.values());
        background.add(releasing);
        background.add(settlingInvoices);
        background.add(availability);
        // Last: the workers above may still be writing through it while they stop.
        background.add(payments);
        return new Kulipa(settings, db, simulator, background, http, credentials, ledger);
    }

    /** MoMo's pre-approvals and KYC: their use cases, and the simulator's customers answering them. */
    private static void addMomoIdentity(List<Routes> routes, Database db, Clock clock, SimulatedOperators simulator,
                                        UrlGuard guard, MomoAuth momoAuth, ProvisioningApiUser momoUsers,
                                        JdbiMerchantStore merchants, JdbiMomoCredentialStore momoCredentials,
                                        JdbiPreApprovalStore preApprovals, Catalog catalog) {
        SimulatedApprovals approvals = simulator.approvals();
        RecordingPreApprovalDecision preApprovalDecisions = new RecordingPreApprovalDecision(preApprovals,
                MomoPreApprovalRoutes.callbacks(oneShot(db, guard)),
                clock);
        JdbiConsentStore consents = new JdbiConsentStore(db.jdbi());
        RecordingConsentDecision consentDecisions = new RecordingConsentDecision(consents);
        approvals.listen(decision -> {
            preApprovalDecisions.record(decision);
            consentDecisions.record(decision);
        });
        routes.add(new MomoPreApprovalRoutes(momoAuth, momoUsers, merchants,
                new RequestingPreApproval(preApprovals, approvals, clock),
                new FindingPreApproval(preApprovals, approvals, preApprovalDecisions), catalog));
        AuthenticatingApiUser apiUsers = new AuthenticatingApiUser(momoCredentials);
        routes.add(new MomoIdentityRoutes(momoAuth, momoUsers, merchants,
                new RequestingConsent(consents, approvals, clock),
                new RedeemingConsent(apiUsers, consents, approvals, consentDecisions, clock),
                new ReadingCustomerIdentity(apiUsers, consents, approvals, clock), catalog));
    }

    /** MoMo's vouchers: their store, use cases and one-shot callbacks, behind their routes. */
    private static Routes momoVouchers(Database db, JdbiMomoCredentialStore credentials, ProvisioningApiUser users,
                                       UrlGuard guard, Catalog catalog, Clock clock) {
        JdbiVoucherStore vouchers = new JdbiVoucherStore(db.jdbi());
        DeliveringVoucherCallback callbacks = new DeliveringVoucherCallback(vouchers, oneShot(db, guard),
                MomoVoucherRoutes::callbackBody);
        return new MomoVoucherRoutes(new MomoAuth(new AuthenticatingMomoCall(credentials, clock)), users,
                new MomoVoucherRoutes.UseCases(new CreatingVoucher(vouchers, clock),
                        new RedeemingVoucher(vouchers, callbacks, clock), new CancellingVoucher(vouchers, callbacks, clock),
                        new SendingVoucherOtp(vouchers, clock), vouchers), catalog);
    }

    /** MoMo's callbacks that are not a payment's go once, through the guard, with their attempts recorded. */
    private static SendingCallbackOnce oneShot(Database db, UrlGuard guard) {
        return new SendingCallbackOnce(guard, new JdbiCallbackAttempts(db.jdbi()));
    }

    /** Gives the demo merchant a wallet in every sandbox country, funded once from the opening-balance account. */
    private static void fundDemoWallets(JdbiLedgerStore ledger, Catalog catalog, UUID merchantId,
                                        java.math.BigDecimal balance) {
        if (balance.signum() <= 0) {
            return;
        }
        for (io.kulipa.money.CountryRules country : catalog.countries()) {
            ledger.apply(null, List.of(Accounting.opening(merchantId, country.code(), country.currency(), balance)));
        }
    }

    private static void registerStateGauges(PrometheusMeterRegistry metrics, JdbiPaymentStore payments) {
        CachedCounts counts = new CachedCounts(payments, STATE_GAUGE_CACHE);
        for (PaymentState state : PaymentState.values()) {
            Gauge.builder("kulipa_payments", () -> counts.get().getOrDefault(state.name(), 0L))
                    .tag("state", state.name()).description("Payments by state").register(metrics);
        }
    }

    /** Payment counts by state, read at most once per cache period whatever the scrape rate. */
    private static final class CachedCounts {
        private final JdbiPaymentStore payments;
        private final long ttlNanos;
        private volatile Map<String, Long> value = Map.of();
        private volatile long readAt;

        CachedCounts(JdbiPaymentStore payments, Duration ttl) {
            this.payments = payments;
            this.ttlNanos = ttl.toNanos();
            this.readAt = System.nanoTime() - ttlNanos - 1;
        }

        synchronized Map<String, Long> get() {
            if (System.nanoTime() - readAt > ttlNanos) {
                try {
                    value = payments.countByState();
                } catch (RuntimeException e) {
                    LOG.warn("cannot count payments by state: {}", e.toString());
                }
                readAt = System.nanoTime();
            }
            return value;
        }
    }

    private static String nodeId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "node";
        }
        return host + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private void printWelcome() {
        String base = "http://localhost:" + http.port();
        StringBuilder out = new StringBuilder("\n  Kulipa is running (" + settings.mode().name().toLowerCase() + ") at "
                + base + "\n  Database: " + database.description() + "\n  API docs: " + base + "/docs\n");
        if (credentials.demoMerchant() != null) {
            out.append("  Demo merchant: ").append(credentials.demoMerchant().id()).append('\n')
                    .append("  API token:     ").append(credentials.demoToken()).append('\n')
                    .append("  MoMo key:      ").append(credentials.demoMomoSubscriptionKey())
                    .append(" (Ocp-Apim-Subscription-Key, collection/disbursement/remittance)\n")
                    .append("  (also in ").append(settings.dataDir().resolve(Bootstrap.DEMO_FILE)).append(")\n")
                    .append("  Handsets:      ").append(base).append("/sandbox/handsets/{msisdn}\n");
        }
        out.append("  Admin token is in ").append(settings.dataDir().resolve(Bootstrap.ADMIN_FILE)).append('\n');
        // The banner goes to the console for the person who started the gateway, not to the log.
        System.out.println(out);
    }

    public int port() {
        return http.port();
    }

    public java.nio.file.Path dataDir() {
        return settings.dataDir();
    }

    public JdbiLedgerStore ledger() {
        return ledger;
    }

    public Database database() {
        return database;
    }

    public SimulatedOperators simulator() {
        return simulator;
    }

    public String demoToken() {
        return credentials.demoToken();
    }

    public String demoMomoSubscriptionKey() {
        return credentials.demoMomoSubscriptionKey();
    }

    public String adminToken() {
        return credentials.adminToken();
    }

    public UUID demoMerchantId() {
        return credentials.demoMerchant().id();
    }

    @Override
    public void close() {
        LOG.info("Kulipa shutting down");
        http.close();
        for (AutoCloseable worker : workers) {
            try {
                worker.close();
            } catch (Exception e) {
                LOG.warn("a background worker did not stop cleanly", e);
            }
        }
        simulator.close();
        database.close();
        LOG.info("Kulipa stopped");
    }
}
