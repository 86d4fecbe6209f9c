package io.kulipa.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.kulipa.logging.Failures;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: health, metrics, API docs and the routes of every dialect. Handlers run on
 * virtual threads. Request bodies are capped at {@link #MAX_REQUEST_BYTES}.
 */
public final class HttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    public static final long MAX_REQUEST_BYTES = 256 * 1024;
    private static final String TIMER_ATTRIBUTE = "kulipa.timer";
    private static final String DOCS_TEMPLATE = "/templates/docs-index.html";

    private final Javalin app;
    private final AtomicBoolean ready = new AtomicBoolean();

    /** Seconds a client is asked to wait (Retry-After) when the database cannot be reached. */
    public static final int OUTAGE_RETRY_AFTER_SECONDS = 1;

    public HttpServer(String host, int port, PrometheusMeterRegistry metrics, List<Routes> dialects,
                      List<ApiDocument> documents) {
        this(host, port, metrics, dialects, documents, e -> false, List.of());
    }

    /**
     * @param outage tells a failure of the database's reachability (refused connection, the pool's wait
     *               timed out, the server shutting down) from any other
     * @param outageAnswers each dialect's answer for its own paths while the database is unreachable
     */
    public HttpServer(String host, int port, PrometheusMeterRegistry metrics, List<Routes> dialects,
                      List<ApiDocument> documents, java.util.function.Predicate<Throwable> outage,
                      List<OutageAnswer> outageAnswers) {
        List<OutageAnswer> answers = List.copyOf(outageAnswers);
        String docsPage = docsPage(documents);
        this.app = Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            config.http.maxRequestSize = MAX_REQUEST_BYTES;
            config.http.defaultContentType = "application/json";
            config.jsonMapper(new JavalinJackson(new ObjectMapper().registerModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS), true));
            config.jetty.host = host;
            config.jetty.port = port;
            // The static files by name from the class path: Javalin's own would mount the jar at start (ADR 22).
            new StaticResources(HttpServer.class.getClassLoader()).register(config.routes);
            config.routes.before(ctx -> ctx.attribute(TIMER_ATTRIBUTE, Timer.start(metrics)));
            config.routes.after(ctx -> record(ctx, metrics));
            config.routes.get("/health", ctx -> {
                boolean up = ready.get();
                ctx.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                        .json(java.util.Map.of("status", up ? "UP" : "STARTING"));
            });
            config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4").result(metrics.scrape()));
            config.routes.get("/docs", ctx -> ctx.redirect("/docs/index.html"));
            config.routes.get("/docs/index.html", ctx -> ctx.html(docsPage));
            dialects.forEach(d -> d.register(config.routes));
            config.routes.error(404, ctx -> {
                if (ctx.endpoints().lastHttpEndpoint() == null) {
                    answerNoEndpoint(ctx);
                }
            });
            config.routes.exception(Exception.class, (e, ctx) -> {
                if (outage.test(e)) {
                    answerOutage(ctx, answers, e);
                    return;
                }
                // The route's template, not its path (a path can carry an MSISDN), and the failure's
                // classes, not its message (a database error can quote bound values).
                LOG.error("unhandled error on {} {}: {}", ctx.method(), ctx.endpoints().lastHttpEndpoint() == null
                        ? "(no route)" : ctx.endpoints().lastHttpEndpoint().path, Failures.describe(e));
                ctx.status(500).json(java.util.Map.of("errorMessage", "Internal error; nothing was changed by "
                        + "this request unless its status endpoint shows otherwise"));
            });
        });
    }

    /**
     * The database cannot be reached: the request changed nothing that its status endpoint will not
     * show, and the client may retry it with the same id. The answer is quick (the pool waits at most
     * its connection timeout) and in the words of the dialect whose path this is.
     */
    /** The body of a 404 for a path no route serves (or a static file that does not exist). */
    static void answerNoEndpoint(Context ctx) {
        ctx.status(HttpStatus.NOT_FOUND).json(java.util.Map.of("errorMessage", "No endpoint " + ctx.method() + " " + ctx.path()));
    }

    private static void answerOutage(Context ctx, List<OutageAnswer> answers, Exception e) {
        LOG.warn("database unreachable on {} {}: {}", ctx.method(), ctx.endpoints().lastHttpEndpoint() == null
                ? "(no route)" : ctx.endpoints().lastHttpEndpoint().path, Failures.describe(e));
        ctx.header("Retry-After", Integer.toString(OUTAGE_RETRY_AFTER_SECONDS));
        String path = ctx.path();
        for (OutageAnswer answer : answers) {
            if (answer.matches(path)) {
                answer.answer().accept(ctx);
                return;
            }
        }
        ctx.status(503).json(java.util.Map.of("errorMessage", "The service is briefly unavailable; nothing was "
                + "changed by this request unless its status endpoint shows otherwise. Retry with the same id."));
    }

    /** The Swagger UI page, listing every installed dialect's documents. */
    private static String docsPage(List<ApiDocument> documents) {
        ObjectMapper json = new ObjectMapper();
        var urls = json.createArrayNode();
        documents.forEach(d -> urls.addObject().put("name", d.title()).put("url", "/openapi/" + d.file()));
        try (var in = HttpServer.class.getResourceAsStream(DOCS_TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + DOCS_TEMPLATE);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                    .replace("/*DOCUMENTS*/", urls.toPrettyString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void record(Context ctx, PrometheusMeterRegistry metrics) {
        Timer.Sample sample = ctx.attribute(TIMER_ATTRIBUTE);
        if (sample != null) {
            // The first path segment keeps the label set small whatever ids the paths carry.
            String[] segments = ctx.path().split("/", 3);
            String route = segments.length > 1 ? "/" + segments[1] : "/";
            sample.stop(metrics.timer("kulipa_http_requests", "method", ctx.method().name(), "route", route,
                    "status", String.valueOf(ctx.statusCode())));
        }
    }

    public HttpServer start() {
        app.start();
        return this;
    }

    public void ready() {
        ready.set(true);
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        ready.set(false);
        app.stop();
    }
}
