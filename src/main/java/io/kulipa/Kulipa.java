package io.kulipa;

import io.kulipa.logging.Failures;
import io.kulipa.callbacks.CallbackFormat;
import io.kulipa.callbacks.CallbackSender;
import io.kulipa.callbacks.CallbackSource;
import io.kulipa.callbacks.DeliveringCallback;
import io.kulipa.callbacks.PaymentCallbacks;
import io.kulipa.callbacks.ReactingToUnacknowledgedCallback;
import io.kulipa.callbacks.UrlGuard;
import io.kulipa.dialects.Core;
import io.kulipa.dialects.Dialect;
import io.kulipa.dialects.Installation;
import io.kulipa.dialects.jenga.JengaDialect;
import io.kulipa.dialects.momo.MomoDialect;
import io.kulipa.dialects.pawapay.PawapayDialect;
import io.kulipa.ledger.LedgerStore;
import io.kulipa.outbox.JobKind;
import io.kulipa.outbox.JobWorker;
import io.kulipa.outbox.NodeHeartbeat;
import io.kulipa.outbox.WorkHandOff;
import io.kulipa.payments.Accounting;
import io.kulipa.payments.CancellingEnqueuedPayout;
import io.kulipa.payments.DepositPostings;
import io.kulipa.payments.GroupCommittingStore;
import io.kulipa.payments.InitiatingPayment;
import io.kulipa.payments.OnboardingMerchant;
import io.kulipa.payments.PaymentState;
import io.kulipa.payments.ReconciliationPolicy;
import io.kulipa.payments.ReconcilingPayment;
import io.kulipa.payments.RecordingProviderOutcome;
import io.kulipa.payments.RefundingDeposit;
import io.kulipa.payments.CleaningUpOldRecords;
import io.kulipa.payments.ReleasingEnqueuedPayouts;
import io.kulipa.payments.ResendingCallback;
import io.kulipa.payments.SubmittingPayment;
import io.kulipa.payments.ValidatingPaymentRequest;
import io.kulipa.providers.Availability;
import io.kulipa.providers.AvailabilityBoard;
import io.kulipa.providers.Catalog;
import io.kulipa.providers.Connectors;
import io.kulipa.providers.simulator.Scenarios;
import io.kulipa.providers.simulator.SimulatedOperators;
import io.kulipa.providers.simulator.SimulatorSettings;
import io.kulipa.outbox.Job;
import io.kulipa.store.CallbackOutbox;
import io.kulipa.store.Database;
import io.kulipa.store.JdbiCallbackAttempts;
import io.kulipa.store.JdbiLedgerStore;
import io.kulipa.store.JdbiMerchantStore;
import io.kulipa.store.JdbiNodeRegistry;
import io.kulipa.store.JdbiPaymentStore;
import io.kulipa.store.JdbiRetentionStore;
import io.kulipa.store.JdbiSimApprovalStore;
import io.kulipa.store.JdbiSimulatorStore;
import io.kulipa.web.AdminGuard;
import io.kulipa.web.ApiDocument;
import io.kulipa.web.Authenticator;
import io.kulipa.web.HttpServer;
import io.kulipa.web.Routes;
import io.kulipa.web.ops.AvailabilityOpsRoutes;
import io.kulipa.web.ops.OpsRoutes;
import io.kulipa.web.sandbox.CallbackInbox;
import io.kulipa.web.sandbox.SandboxRoutes;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: reads the settings, builds the core once, installs the dialects over
 * it, starts the workers and the HTTP server, and stops everything in the reverse order.
 */
public final class Kulipa implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Kulipa.class);
    private static final int SUBMIT_IN_FLIGHT_MAX = 256;
    private static final int PAYMENT_WRITERS = 2;
    private static final int CHECK_IN_FLIGHT_MAX = 16;
    private static final int WEBHOOK_IN_FLIGHT_MAX = 128;
    private static final int UNACKNOWLEDGED_IN_FLIGHT_MAX = 16;
    private static final Duration WORKER_IDLE_POLL = Duration.ofMillis(500);
    private static final Duration STATE_GAUGE_CACHE = Duration.ofSeconds(5);
    /**
     * The dialects whose callbacks are signed for merchants who ask (RFC 9421): pawaPay signs its
     * own this way, and MoMo and Jenga document no callback signature. Scan to Pay is not among them:
     * its webhooks are encrypted as its provider documents.
     */
    private static final java.util.Set<String> SIGNED_CALLBACK_DIALECTS = java.util.Set.of(
            io.kulipa.dialects.pawapay.PawapayJson.DIALECT, io.kulipa.dialects.momo.MomoJson.DIALECT,
            io.kulipa.dialects.jenga.JengaJson.DIALECT);
    private static final ApiDocument SANDBOX_OPS_DOCUMENT = new ApiDocument("Sandbox and operations",
            "kulipa-sandbox-ops.yaml");
    private static final ApiDocument USSD_DOCUMENT = new ApiDocument("USSD session gateway", "kulipa-ussd.yaml");

    /** The dialects Kulipa speaks. A new dialect is one folder under dialects/ and one line here. */
    private static List<Dialect> dialects() {
        return List.of(
                new PawapayDialect(),
                new MomoDialect(),
                new JengaDialect(),
                new io.kulipa.dialects.scantopay.ScantopayDialect(),
                new io.kulipa.dialects.scantopay.remote.ScanToPayRemoteDialect());
    }

    private final Settings settings;
    private final Database database;
    private final Core core;
    private final List<Dialect> dialects;
    private final List<AutoCloseable> running;
    private final HttpServer http;
    private final String adminToken;
    private final Bootstrap.Demo demo;

    private Kulipa(Settings settings, Database database, Core core, List<Dialect> dialects,
                   List<AutoCloseable> running, HttpServer http, String adminToken, Bootstrap.Demo demo) {
        this.settings = settings;
        this.database = database;
        this.core = core;
        this.dialects = dialects;
        this.running = running;
        this.http = http;
        this.adminToken = adminToken;
        this.demo = demo;
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
        List<Dialect> prepared = dialects();
        // A new embedded database also means the sandbox's test cards are seeded with hashed PINs.
        boolean newSandbox = settings.sandbox() && settings.dbUrl() == null
                && !java.nio.file.Files.exists(settings.dataDir().resolve("postgres"));
        if (settings.sandbox()) {
            // The preparing below writes the sandbox's keys there while the database is still being made.
            try {
                java.nio.file.Files.createDirectories(settings.dataDir());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot create the data directory " + settings.dataDir(), e);
            }
        }
        // CPU work of the start that needs no database runs while PostgreSQL starts and migrates (ADR 20).
        java.util.concurrent.CompletableFuture<Void> preparing = java.util.concurrent.CompletableFuture.runAsync(() -> {
            prepared.forEach(d -> d.prepare(settings));
            if (newSandbox) {
                io.kulipa.providers.simulator.SimulatedIssuers.hashTestPins(io.kulipa.providers.simulator.CardIssuers.load());
            }
        }, r -> Thread.ofPlatform().name("kulipa-prepare").start(r));
        // A new embedded cluster is a copy of a cached one with every migration applied (ADR 22).
        io.kulipa.store.ClusterTemplates templates = settings.dbUrl() == null
                ? io.kulipa.store.ClusterTemplates.at(settings.value("EMBEDDED_PG_TEMPLATES"), System.getenv()).orElse(null)
                : null;
        Database db = Database.open(new Database.Settings(settings.dbUrl(), settings.dbUser(),
                settings.dbPassword(), settings.dataDir(), settings.dbPoolSize()), settings.value("EMBEDDED_PG_PRELOAD"),
                templates);
        LOG.info("Kulipa {} node {} using {}", settings.mode().name().toLowerCase(), nodeId, db.description());
        try {
            preparing.join();
            return wire(settings, db, clock, nodeId, prepared);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** Builds the core, installs every dialect over it, then starts it all. */
    private static Kulipa wire(Settings settings, Database db, Clock clock, String nodeId, List<Dialect> dialects) {
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        String adminToken = Bootstrap.adminToken(settings);
        JdbiPaymentStore store = new JdbiPaymentStore(db.jdbi(), db.dataSource(), nodeId, settings.jobLease());
        GroupCommittingStore payments = new GroupCommittingStore(store, PAYMENT_WRITERS, Database::unreachable);
        Map<JobKind, JobWorker> workers = new EnumMap<>(JobKind.class);
        WorkHandOff handOff = handOff(workers);
        CallbackOutbox callbackOutbox = new CallbackOutbox(nodeId, settings.jobLease(), handOff);
        Core core = core(settings, db, clock, dialects, payments, handOff, callbackOutbox, adminToken);
        Installed installed = install(dialects, core);
        JdbiCallbackAttempts attempts = new JdbiCallbackAttempts(db.jdbi(), callbackOutbox);
        // Attempts finishing together are recorded in one transaction (ADR 20).
        io.kulipa.callbacks.GroupCommittingAttempts attemptsTogether = new io.kulipa.callbacks.GroupCommittingAttempts(
                attempts, PAYMENT_WRITERS, Database::unreachable);
        workers.putAll(workers(core, installed, attemptsTogether, metrics));
        List<Routes> routes = new ArrayList<>(installed.routes());
        routes.addAll(coreRoutes(core, adminToken, attempts));
        routes.add(opsDashboard(core, adminToken, attempts, dialects));
        Bootstrap.Demo demo = null;
        if (settings.sandbox()) {
            io.kulipa.cards.SeedingTestCards.seed(core.cards(), core.issuers());
            demo = Bootstrap.demoMerchant(settings, core.merchants(), core.onboarding(), dialects);
            fundDemoWallets(core, demo.merchant().id(), settings.bootstrapWalletBalance());
        }
        registerStateGauges(metrics, store);
        List<ApiDocument> documents = Stream.concat(dialects.stream().flatMap(d -> d.apiDocuments().stream()),
                Stream.of(SANDBOX_OPS_DOCUMENT, USSD_DOCUMENT)).toList();
        // Beating before the first request leases a job here, so that other nodes can tell when this one dies.
        NodeHeartbeat heartbeat = new NodeHeartbeat(nodeId, new JdbiNodeRegistry(db.jdbi()));
        heartbeat.start();
        HttpServer http;
        try {
            http = new HttpServer(settings.host(), settings.port(), metrics, routes, documents, Database::unreachable,
                    installed.outages()).start();
        } catch (RuntimeException e) {
            heartbeat.close();
            throw e;
        }
        List<AutoCloseable> running = startBackground(core, workers, installed.background());
        // Last: the workers above may still be writing through it while they stop.
        running.add(payments);
        running.add(attemptsTogether);
        // After the workers: the jobs they still hold free for other nodes only once this node is stopped.
        running.add(heartbeat);
        if (demo != null) {
            demo = startDemoUssd(routes, settings, http, dialects, demo);
        }
        http.ready();
        LOG.info("Kulipa is listening on port {}", http.port());
        return new Kulipa(settings, db, core, dialects, running, http, adminToken, demo);
    }

    /** The core every dialect shares, each part built once. */
    private static Core core(Settings settings, Database db, Clock clock, List<Dialect> dialects,
                             GroupCommittingStore payments, WorkHandOff handOff, CallbackOutbox callbackOutbox,
                             String adminToken) {
        Catalog operators = Catalog.loadDefault();
        Catalog catalog = io.kulipa.cards.CardCatalog.with(operators);
        for (Dialect d : dialects) {
            catalog = d.extend(catalog);
        }
        List<String> scenarios = new ArrayList<>(List.of(Scenarios.RESOURCE));
        dialects.forEach(d -> scenarios.addAll(d.simulatorScenarios()));
        SimulatedOperators simulator = new SimulatedOperators(new JdbiSimulatorStore(db.jdbi(), db.dataSource()),
                new JdbiSimApprovalStore(db.jdbi()), Scenarios.load(scenarios.toArray(String[]::new)),
                new SimulatorSettings(settings.approvalDelay(), settings.approvalWindow(), settings.manualApproval(),
                        settings.walletOpeningBalance(), "1234"), clock);
        // Production has no real operator connectors yet: its baseline closes everything, and no
        // override can open what the baseline closes, so nothing is routed to simulated money.
        // pawaPay's availability lists the operators; ops may switch every correspondent, cards included.
        AvailabilityBoard availability = new AvailabilityBoard(operators, catalog,
                settings.sandbox() ? Availability.ALWAYS_OPERATIONAL : (c, op) -> Availability.Status.CLOSED,
                settings.sandbox() ? simulator::healthy : c -> false, clock,
                new io.kulipa.store.JdbiSharedAvailability(db.jdbi()));
        io.kulipa.payments.MerchantStore merchants = new io.kulipa.store.CachedMerchants(new JdbiMerchantStore(db.jdbi()));
        OnboardingMerchant onboarding = new OnboardingMerchant(merchants);
        ValidatingPaymentRequest validating = new ValidatingPaymentRequest(catalog, availability);
        InitiatingPayment initiating = new InitiatingPayment(payments, validating, availability, handOff, clock);
        io.kulipa.cards.CardVault cards = new io.kulipa.cards.CardVault(cardKey(settings),
                new io.kulipa.store.JdbiCardStore(db.jdbi()), clock);
        io.kulipa.providers.simulator.SimulatedIssuers issuers = new io.kulipa.providers.simulator.SimulatedIssuers(
                new io.kulipa.store.JdbiIssuerStore(db.jdbi()), simulator,
                io.kulipa.providers.simulator.CardIssuers.load(), ref -> cardOfPayment(payments, cards, ref), clock);
        UrlGuard guard = new UrlGuard(settings.sandbox(), settings.webhookAllowList());
        return new Core(settings, clock, db, operators, catalog, payments, merchants, onboarding,
                new Authenticator(onboarding), initiating, new RefundingDeposit(payments, initiating, clock),
                new CancellingEnqueuedPayout(payments, handOff, clock),
                new ResendingCallback(payments, merchants, handOff, clock), validating, availability,
                new JdbiLedgerStore(db.jdbi()), new Connectors(simulator,
                        Map.of(io.kulipa.providers.simulator.SimulatedIssuers.CORRESPONDENT, issuers)), simulator, guard, callbackOutbox, handOff,
                new AdminGuard(adminToken), new io.kulipa.signatures.VerifyingSignedRequest(
                        new io.kulipa.store.JdbiMerchantSignatures(db.jdbi()), clock),
                cards, issuers, new io.kulipa.cards.InitiatingCardPayment(cards, initiating));
    }

    /** KULIPA_CARD_KEY, else the sandbox's own key in the data dir; production without one links no card. */
    private static io.kulipa.cards.CardKey cardKey(Settings settings) {
        String hex = settings.value(io.kulipa.cards.CardKey.SETTING);
        if (hex != null) {
            return io.kulipa.cards.CardKey.fromHex(hex, "KULIPA_" + io.kulipa.cards.CardKey.SETTING);
        }
        return settings.sandbox() ? io.kulipa.cards.CardKey.sandbox(settings.dataDir()) : null;
    }

    /** The card a card payment (or the deposit a refund returns) was made with, for its issuer. */
    private static java.util.Optional<io.kulipa.providers.simulator.IssuerCard> cardOfPayment(
            io.kulipa.payments.PaymentStore payments, io.kulipa.cards.CardVault cards, String reference) {
        java.util.Optional<io.kulipa.payments.Payment> p = payments.get(UUID.fromString(reference));
        java.util.Optional<io.kulipa.payments.Payment> made = p.flatMap(x -> x.relatedPaymentId() == null
                ? java.util.Optional.of(x) : payments.get(x.relatedPaymentId()));
        return made.flatMap(io.kulipa.cards.InitiatingCardPayment::cardOf).flatMap(cards::cardIncludingDelinked)
                .map(io.kulipa.cards.SeedingTestCards::issuerCard);
    }

    /** Hands a job leased at commit to the local worker of its kind (filled in once they exist). */
    private static WorkHandOff handOff(Map<JobKind, JobWorker> workers) {
        return jobs -> jobs.forEach(job -> {
            JobWorker worker = workers.get(job.kind());
            if (worker != null) {
                worker.handOff(List.of(job));
            }
        });
    }

    /** What the dialects added while they were installed. */
    private record Installed(List<Routes> routes, Map<String, CallbackFormat> formats,
                             Map<String, CallbackSource> sources, List<Installation.Background> background,
                             Map<String, DepositPostings> postings, List<io.kulipa.web.OutageAnswer> outages) {

        /** Completed deposits are posted as their dialect says, else as the core does. */
        DepositPostings depositPostings() {
            return (p, processed) -> postings.getOrDefault(p.dialect(), DepositPostings.CORE).onCompleted(p, processed);
        }
    }

    private static Installed install(List<Dialect> dialects, Core core) {
        Installed installed = new Installed(new ArrayList<>(), new java.util.HashMap<>(), new java.util.HashMap<>(),
                new ArrayList<>(), new java.util.HashMap<>(), new ArrayList<>());
        Installation installation = new Installation() {
            @Override
            public void routes(Routes routes) {
                installed.routes().add(routes);
            }

            @Override
            public void callbackFormat(String dialect, CallbackFormat format) {
                if (installed.formats().putIfAbsent(dialect, format) != null) {
                    throw new IllegalStateException("two callback formats for dialect " + dialect);
                }
            }

            @Override
            public void callbackSource(String subjectKind, CallbackSource source) {
                // Payments are the core's subject: a dialect renders them through its callback format.
                if (subjectKind.equals(Job.PAYMENT) || installed.sources().putIfAbsent(subjectKind, source) != null) {
                    throw new IllegalStateException("subject kind " + subjectKind + " already has a callback source");
                }
            }

            @Override
            public void depositPostings(String dialect, DepositPostings postings) {
                if (installed.postings().putIfAbsent(dialect, postings) != null) {
                    throw new IllegalStateException("two deposit postings for dialect " + dialect);
                }
            }

            @Override
            public void outageAnswer(io.kulipa.web.OutageAnswer answer) {
                installed.outages().add(answer);
            }

            @Override
            public void background(Installation.Background work) {
                installed.background().add(work);
            }
        };
        dialects.forEach(d -> d.install(core, installation));
        return installed;
    }

    /** The outbox workers: submit to operators, check on them, deliver callbacks, react to unacknowledged ones. */
    private static Map<JobKind, JobWorker> workers(Core core, Installed installed,
                                                   io.kulipa.callbacks.CallbackAttempts attempts,
                                                   PrometheusMeterRegistry metrics) {
        Settings settings = core.settings();
        Duration inDoubtCheck = settings.firstStatusCheck().compareTo(ReconciliationPolicy.DEFAULT.inDoubtCheckAfter()) < 0
                ? settings.firstStatusCheck() : ReconciliationPolicy.DEFAULT.inDoubtCheckAfter();
        ReconciliationPolicy policy = new ReconciliationPolicy(settings.firstStatusCheck(), inDoubtCheck,
                ReconciliationPolicy.DEFAULT.maxInterval(), ReconciliationPolicy.DEFAULT.maxChecks());
        RecordingProviderOutcome outcomes = new RecordingProviderOutcome(core.payments(), core.handOff(), core.clock(),
                installed.depositPostings());
        core.simulator().listen(outcomes);
        core.issuers().listen(outcomes);
        Map<JobKind, JobWorker> workers = new EnumMap<>(JobKind.class);
        workers.put(JobKind.SUBMIT, new JobWorker(JobKind.SUBMIT, core.payments(),
                new SubmittingPayment(core.payments(), core.connectors(), policy, core.handOff(), core.availability(),
                        core.clock()), SUBMIT_IN_FLIGHT_MAX, settings.jobLease(), WORKER_IDLE_POLL));
        workers.put(JobKind.CHECK, new JobWorker(JobKind.CHECK, core.payments(),
                new ReconcilingPayment(core.payments(), core.connectors(), outcomes, policy, core.handOff(),
                        core.clock()), CHECK_IN_FLIGHT_MAX, settings.jobLease(), WORKER_IDLE_POLL));
        Map<String, CallbackSource> sources = new java.util.HashMap<>(installed.sources());
        sources.put(Job.PAYMENT, new PaymentCallbacks(core.payments(), core.merchants(), installed.formats()));
        workers.put(JobKind.WEBHOOK, new JobWorker(JobKind.WEBHOOK, core.payments(),
                new DeliveringCallback(sources, attempts, new CallbackSender(core.guard(),
                        new io.kulipa.signatures.SigningCallbacks(core.signedRequests(), SIGNED_CALLBACK_DIALECTS,
                                core.clock())), metrics, core.clock()),
                WEBHOOK_IN_FLIGHT_MAX, settings.jobLease(), WORKER_IDLE_POLL));
        workers.put(JobKind.UNACKNOWLEDGED, new JobWorker(JobKind.UNACKNOWLEDGED, core.payments(),
                new ReactingToUnacknowledgedCallback(sources, metrics, core.clock()), UNACKNOWLEDGED_IN_FLIGHT_MAX,
                settings.jobLease(), WORKER_IDLE_POLL));
        return workers;
    }

    /** The endpoints that belong to no dialect: operations, and the sandbox's own tools. */
    private static List<Routes> coreRoutes(Core core, String adminToken, JdbiCallbackAttempts attempts) {
        List<Routes> routes = new ArrayList<>();
        routes.add(new OpsRoutes(adminToken, core.onboarding(), core.merchants(), core.payments(), attempts,
                core.merchantTokens(), core.guard()));
        routes.add(new AvailabilityOpsRoutes(adminToken, core.availability()));
        routes.add(new io.kulipa.web.ops.SignatureOpsRoutes(core.admin(), core.merchants(),
                new io.kulipa.signatures.ConfiguringSignatures(new io.kulipa.store.JdbiMerchantSignatures(
                        core.database().jdbi()), core.signedRequests())));
        if (core.sandbox()) {
            routes.add(new SandboxRoutes(core.simulator(), core.catalog()));
            routes.add(new CallbackInbox());
        }
        routes.addAll(ussdRoutes(core));
        return routes;
    }

    /** The ops dashboard's pages (/ops), reading every dialect's payments through the core's ports. */
    private static Routes opsDashboard(Core core, String adminToken, JdbiCallbackAttempts attempts, List<Dialect> dialects) {
        return new io.kulipa.web.ops.dashboard.OpsDashboard(adminToken,
                new io.kulipa.store.JdbiPaymentSearch(core.database().jdbi()), core.payments(), attempts, core.resending(),
                core.availability(), core.ledger(), core.merchants(), core.onboarding(), core.merchantTokens(),
                core.guard(), dialects.stream().map(Dialect::name).toList(), core.clock());
    }

    /** The USSD gateway: applications through ops; sessions, dialled on virtual handsets, in the sandbox. */
    private static List<Routes> ussdRoutes(Core core) {
        io.kulipa.store.JdbiUssdStore store = new io.kulipa.store.JdbiUssdStore(core.database().jdbi());
        List<Routes> routes = new ArrayList<>();
        io.kulipa.ussd.RegisteringUssdApplication registering = new io.kulipa.ussd.RegisteringUssdApplication(store,
                core.guard(), core.clock());
        routes.add(new io.kulipa.web.ops.UssdOpsRoutes(core.admin(), registering));
        if (core.sandbox()) {
            io.kulipa.ussd.RunningUssdSession sessions = new io.kulipa.ussd.RunningUssdSession(store,
                    new io.kulipa.ussd.HttpApplicationClient(new CallbackSender(core.guard())),
                    io.kulipa.ussd.NetworkCodes.loadDefault(), ussdTiming(core.settings()), core.clock());
            routes.add(new io.kulipa.web.sandbox.UssdSandboxRoutes(sessions));
            routes.add(new io.kulipa.web.sandbox.PhonePage());
            routes.add(new io.kulipa.web.sandbox.demo.DemoUssd(sessions, registering));
        }
        return routes;
    }

    /**
     * The built-in demo USSD application (sandbox): served by this node, calling this node's WIG
     * API on loopback as the demo merchant, registered on its code once the server listens (the
     * last node started answers it). Answers the demo with its banner line added.
     */
    private static Bootstrap.Demo startDemoUssd(List<Routes> routes, Settings settings, HttpServer http,
                                                List<Dialect> dialects, Bootstrap.Demo demo) {
        io.kulipa.dialects.scantopay.ScantopayDialect.Demo wig = dialects.stream()
                .filter(io.kulipa.dialects.scantopay.ScantopayDialect.class::isInstance)
                .map(d -> ((io.kulipa.dialects.scantopay.ScantopayDialect) d).demo()).findFirst().orElse(null);
        io.kulipa.web.sandbox.demo.DemoUssd app = routes.stream()
                .filter(io.kulipa.web.sandbox.demo.DemoUssd.class::isInstance)
                .map(io.kulipa.web.sandbox.demo.DemoUssd.class::cast).findFirst().orElse(null);
        if (wig == null || app == null) {
            return demo;
        }
        String host = settings.host();
        boolean wildcard = host == null || host.isBlank() || host.equals("0.0.0.0") || host.equals("::");
        String self = "http://" + (wildcard ? "127.0.0.1" : host.contains(":") ? "[" + host + "]" : host) + ":" + http.port();
        String line;
        try {
            line = app.start(java.net.URI.create(self), wig.username(), wig.password(), demo.merchant().id());
        } catch (RuntimeException e) {
            // The gateway runs without its demo rather than not at all.
            LOG.warn("the demo USSD application could not be registered: {}", Failures.describe(e));
            line = "not registered (see the log)";
        }
        return new Bootstrap.Demo(demo.merchant(), demo.token(), demo.banner()
                + String.format("  %-15s%s\n", "USSD demo:", line));
    }

    /** USSD bounds below a second or above ten minutes are mistakes, refused at start. */
    private static final Duration USSD_TIMING_MIN = Duration.ofSeconds(1);
    private static final Duration USSD_TIMING_MAX = Duration.ofMinutes(10);

    /** {@code KULIPA_USSD_SESSION_TIMEOUT} (120s) and {@code KULIPA_USSD_CALLBACK_TIMEOUT} (10s). */
    static io.kulipa.ussd.RunningUssdSession.Timing ussdTiming(Settings settings) {
        Duration session = ussdDuration(settings, "USSD_SESSION_TIMEOUT", "120s");
        Duration callback = ussdDuration(settings, "USSD_CALLBACK_TIMEOUT", "10s");
        return new io.kulipa.ussd.RunningUssdSession.Timing(session, callback);
    }

    private static Duration ussdDuration(Settings settings, String name, String fallback) {
        String text = settings.value(name);
        Duration d = Settings.duration(text == null ? fallback : text, "KULIPA_" + name);
        if (d.compareTo(USSD_TIMING_MIN) < 0 || d.compareTo(USSD_TIMING_MAX) > 0) {
            throw new IllegalArgumentException("KULIPA_" + name + ": '" + text + "' must be 1s to 10m");
        }
        return d;
    }

    /** Starts the simulator, the workers and the background loops; answers them in stopping order. */
    private static List<AutoCloseable> startBackground(Core core, Map<JobKind, JobWorker> workers,
                                                       List<Installation.Background> dialectWork) {
        if (core.sandbox()) {
            core.simulator().start();
            core.issuers().start();
        }
        ReleasingEnqueuedPayouts releasing = new ReleasingEnqueuedPayouts(core.payments(), core.availability(),
                core.handOff(), core.clock());
        CleaningUpOldRecords cleaning = new CleaningUpOldRecords(new JdbiRetentionStore(core.database().jdbi()),
                core.settings().retention(), core.clock());
        workers.values().forEach(JobWorker::start);
        releasing.start();
        cleaning.start();
        dialectWork.forEach(Installation.Background::start);
        core.availability().start();
        List<AutoCloseable> running = new ArrayList<>(workers.values());
        running.add(releasing);
        running.add(cleaning);
        running.addAll(dialectWork);
        running.add(core.availability());
        return running;
    }

    /** Gives the demo merchant a wallet in every sandbox country, funded once from the opening-balance account. */
    private static void fundDemoWallets(Core core, UUID merchantId, BigDecimal balance) {
        if (balance.signum() <= 0) {
            return;
        }
        for (io.kulipa.money.CountryRules country : core.catalog().countries()) {
            core.ledger().apply(null, List.of(Accounting.opening(merchantId, country.code(), country.currency(),
                    balance)));
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
                    LOG.warn("cannot count payments by state: {}", Failures.describe(e));
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
        if (demo != null) {
            out.append("  Demo merchant: ").append(demo.merchant().id()).append('\n')
                    .append("  API token:     ").append(demo.token()).append('\n')
                    .append(demo.banner())
                    .append("  (also in ").append(settings.dataDir().resolve(Bootstrap.DEMO_FILE)).append(")\n")
                    .append("  Handsets:      ").append(base).append("/sandbox/handsets/{msisdn}\n")
                    .append("  Phone:         ").append(base).append("/sandbox/phone/{msisdn}\n");
        }
        out.append("  Admin token is in ").append(settings.dataDir().resolve(Bootstrap.ADMIN_FILE)).append('\n');
        // The banner goes to the console for the person who started the gateway, not to the log.
        System.out.println(out);
    }

    public int port() {
        return http.port();
    }

    public Path dataDir() {
        return settings.dataDir();
    }

    public LedgerStore ledger() {
        return core.ledger();
    }

    public Database database() {
        return database;
    }

    public SimulatedOperators simulator() {
        return core.simulator();
    }

    /** The core as the dialects see it (the card vault, issuers), for tests and tools. */
    public Core core() {
        return core;
    }

    /** The installed dialect of a type, for tests and tools that need its own view (a demo key). */
    public <D extends Dialect> D dialect(Class<D> type) {
        return dialects.stream().filter(type::isInstance).map(type::cast).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no dialect " + type.getSimpleName() + " is installed"));
    }

    public String demoToken() {
        return demo == null ? null : demo.token();
    }

    public String adminToken() {
        return adminToken;
    }

    public UUID demoMerchantId() {
        return demo.merchant().id();
    }

    @Override
    public void close() {
        LOG.info("Kulipa shutting down");
        http.close();
        for (AutoCloseable worker : running) {
            try {
                worker.close();
            } catch (Exception e) {
                LOG.warn("a background worker did not stop cleanly: {}", Failures.describe(e));
            }
        }
        core.issuers().close();
        core.simulator().close();
        database.close();
        LOG.info("Kulipa stopped");
    }
}
