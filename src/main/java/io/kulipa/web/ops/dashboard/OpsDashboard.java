package io.kulipa.web.ops.dashboard;

import static io.kulipa.web.pages.Html.esc;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import io.kulipa.callbacks.CallbackAttempts;
import io.kulipa.callbacks.UrlGuard;
import io.kulipa.ledger.Balance;
import io.kulipa.ledger.LedgerStore;
import io.kulipa.money.Amount;
import io.kulipa.outbox.JobKind;
import io.kulipa.payments.Merchant;
import io.kulipa.payments.MerchantStore;
import io.kulipa.payments.OnboardingMerchant;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentKind;
import io.kulipa.payments.PaymentSearch;
import io.kulipa.payments.PaymentState;
import io.kulipa.payments.PaymentStore;
import io.kulipa.payments.ResendingCallback;
import io.kulipa.providers.Availability;
import io.kulipa.providers.AvailabilityBoard;
import io.kulipa.providers.Operation;
import io.kulipa.web.Authenticator;
import io.kulipa.web.Routes;
import io.kulipa.web.pages.Html;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The ops dashboard, {@code /ops}: server-rendered pages behind a login form that takes the
 * admin token. The login is a cookie ({@link OpsSessions}: HttpOnly, SameSite=Strict, path
 * {@code /ops}); every change is a POST form carrying the session's CSRF token, and a POST whose
 * {@code Origin} is another site is refused. Pages read through the core's ports
 * ({@link PaymentSearch}, the payment store, the ledger, the callback attempts, the availability
 * board) and change things through the core's use cases (resending a callback, onboarding a
 * merchant, rotating its token, setting an availability override) — never SQL here.
 */
public final class OpsDashboard implements Routes {

    static final String COOKIE = "kulipa_ops";
    static final String PATH = "/ops";
    /** Payments per page of the list. */
    static final int PAGE_SIZE = 50;
    /** Merchants shown on the merchants and wallets pages. */
    static final int MERCHANTS_SHOWN = 200;
    private static final int MAX_FILTER_TEXT = 100;
    /** How long a wrong admin token waits before its answer. */
    static final java.time.Duration FAILED_LOGIN_DELAY = java.time.Duration.ofMillis(500);
    private static final int MAX_NAME_LENGTH = 100;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private final OpsSessions sessions;
    private final PaymentSearch search;
    private final PaymentStore payments;
    private final CallbackAttempts attempts;
    private final ResendingCallback resending;
    private final AvailabilityBoard board;
    private final LedgerStore ledger;
    private final MerchantStore merchants;
    private final OnboardingMerchant onboarding;
    private final Authenticator auth;
    private final UrlGuard guard;
    private final List<String> dialects;
    private final Clock clock;

    public OpsDashboard(String adminToken, PaymentSearch search, PaymentStore payments, CallbackAttempts attempts,
                        ResendingCallback resending, AvailabilityBoard board, LedgerStore ledger,
                        MerchantStore merchants, OnboardingMerchant onboarding, Authenticator auth, UrlGuard guard,
                        List<String> dialects, Clock clock) {
        this.sessions = new OpsSessions(adminToken);
        this.search = search;
        this.payments = payments;
        this.attempts = attempts;
        this.resending = resending;
        this.board = board;
        this.ledger = ledger;
        this.merchants = merchants;
        this.onboarding = onboarding;
        this.auth = auth;
        this.guard = guard;
        this.dialects = List.copyOf(dialects);
        this.clock = clock;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get(PATH, ctx -> page(ctx, s -> ctx.redirect(PATH + "/payments", HttpStatus.SEE_OTHER)));
        routes.get(PATH + "/login", this::loginForm);
        routes.post(PATH + "/login", this::login);
        routes.post(PATH + "/logout", ctx -> change(ctx, s -> logout(ctx)));
        routes.get(PATH + "/payments", ctx -> page(ctx, s -> paymentList(ctx, s)));
        routes.get(PATH + "/payments/{paymentId}", ctx -> page(ctx, s -> paymentDetail(ctx, s)));
        routes.post(PATH + "/payments/{paymentId}/replay", ctx -> change(ctx, s -> replay(ctx)));
        routes.get(PATH + "/availability", ctx -> page(ctx, s -> availability(ctx, s, null)));
        routes.post(PATH + "/availability", ctx -> change(ctx, s -> setAvailability(ctx, s)));
        routes.get(PATH + "/wallets", ctx -> page(ctx, s -> wallets(ctx, s)));
        routes.get(PATH + "/merchants", ctx -> page(ctx, s -> merchantList(ctx, s, null, null)));
        routes.post(PATH + "/merchants/new", ctx -> change(ctx, s -> createMerchant(ctx, s)));
        routes.post(PATH + "/merchants/{merchantId}/token", ctx -> change(ctx, s -> rotateToken(ctx, s)));
    }

    // Login, sessions, CSRF

    private Optional<String> session(Context ctx) {
        return sessions.valid(ctx.cookie(COOKIE), clock.instant());
    }

    /** A page for a logged-in admin; anyone else is sent to the login form. */
    private void page(Context ctx, Consumer<String> then) {
        headers(ctx);
        Optional<String> s = session(ctx);
        if (s.isEmpty()) {
            ctx.redirect(PATH + "/login", HttpStatus.SEE_OTHER);
            return;
        }
        then.accept(s.get());
    }

    /** A change: a logged-in admin, a form from this site with the session's CSRF token. */
    private void change(Context ctx, Consumer<String> then) {
        headers(ctx);
        if (!sameOrigin(ctx)) {
            send(ctx, 403, Html.message("Refused", "This form was sent from another site.", PATH, "Open the dashboard"));
            return;
        }
        Optional<String> s = session(ctx);
        if (s.isEmpty()) {
            ctx.redirect(PATH + "/login", HttpStatus.SEE_OTHER);
            return;
        }
        if (!sessions.csrfMatches(s.get(), ctx.formParam("csrf"))) {
            send(ctx, 403, Html.message("Refused", "This form has expired or did not come from the dashboard. "
                    + "Reload the page and try again.", PATH, "Open the dashboard"));
            return;
        }
        then.accept(s.get());
    }

    /**
     * The pages' headers, but with the referrer kept to this site: the dashboard's URLs carry no
     * secret, and browsers then send a real {@code Origin} with the forms (with {@code no-referrer}
     * they send {@code Origin: null}).
     */
    private static void headers(Context ctx) {
        Html.headers(ctx);
        ctx.header("Referrer-Policy", "same-origin");
    }

    private static void send(Context ctx, int status, String document) {
        Html.send(ctx, status, document);
        ctx.header("Referrer-Policy", "same-origin");
    }

    /** A browser's Origin, when it sends one, is this gateway's. */
    private static boolean sameOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null || origin.isEmpty()) {
            return true;
        }
        return origin.equalsIgnoreCase(ctx.scheme() + "://" + ctx.host());
    }

    private void loginForm(Context ctx) {
        headers(ctx);
        if (session(ctx).isPresent()) {
            ctx.redirect(PATH + "/payments", HttpStatus.SEE_OTHER);
            return;
        }
        send(ctx, 200, loginPage(null));
    }

    private static String loginPage(String error) {
        String body = "<main class=\"card login\">\n<h1>Kulipa operations</h1>\n"
                + (error == null ? "" : "<p class=\"error\" role=\"alert\" id=\"login-error\">" + esc(error) + "</p>\n")
                + "<form method=\"post\" action=\"" + PATH + "/login\">\n"
                + "<div class=\"field\"><label for=\"token\">Admin token</label>\n"
                + "<input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"current-password\" required autofocus></div>\n"
                + "<p class=\"help\">The admin token is in <code>data/admin-token.json</code> (or <code>KULIPA_ADMIN_TOKEN</code>).</p>\n"
                + "<button type=\"submit\" class=\"button primary\" id=\"login\">Log in</button>\n</form>\n</main>";
        return Html.document("Kulipa operations: log in", "page", body, null);
    }

    private void login(Context ctx) {
        headers(ctx);
        if (!sameOrigin(ctx)) {
            send(ctx, 403, loginPage("This form was sent from another site."));
            return;
        }
        if (!sessions.admin(ctx.formParam("token"))) {
            try {
                // Slows guessing down; requests run on virtual threads, so the wait costs no platform thread.
                Thread.sleep(FAILED_LOGIN_DELAY);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            send(ctx, 401, loginPage("That is not the admin token."));
            return;
        }
        ctx.cookie(new Cookie(COOKIE, sessions.issue(clock.instant()), PATH, (int) OpsSessions.LIFETIME.toSeconds(),
                "https".equals(ctx.scheme()), true, null, SameSite.STRICT));
        ctx.redirect(PATH + "/payments", HttpStatus.SEE_OTHER);
    }

    private void logout(Context ctx) {
        ctx.cookie(new Cookie(COOKIE, "", PATH, 0, "https".equals(ctx.scheme()), true, null, SameSite.STRICT));
        ctx.redirect(PATH + "/login", HttpStatus.SEE_OTHER);
    }

    // Layout

    private String layout(String title, String current, String session, String body) {
        StringBuilder b = new StringBuilder();
        b.append("<header class=\"ops-bar\">\n<span class=\"brand\">Kulipa ops</span>\n<nav aria-label=\"Dashboard\">\n");
        for (String[] link : new String[][] {{"payments", "Payments"}, {"availability", "Availability"},
                {"wallets", "Wallets & ledger"}, {"merchants", "Merchants"}}) {
            b.append("<a href=\"").append(PATH).append('/').append(link[0]).append("\"")
                    .append(link[0].equals(current) ? " aria-current=\"page\"" : "").append(">").append(link[1])
                    .append("</a>\n");
        }
        b.append("</nav>\n<form method=\"post\" action=\"").append(PATH).append("/logout\">").append(csrfField(session))
                .append("<button type=\"submit\" id=\"logout\">Log out</button></form>\n</header>\n<main>\n")
                .append("<h1>").append(esc(title)).append("</h1>\n").append(body).append("\n</main>");
        return Html.document(title + " · Kulipa ops", "ops", b.toString(), null);
    }

    private String csrfField(String session) {
        return "<input type=\"hidden\" name=\"csrf\" value=\"" + esc(sessions.csrf(session)) + "\">";
    }

    private static String badge(String text) {
        return "<span class=\"badge " + esc(text) + "\">" + esc(text) + "</span>";
    }

    private static String time(Instant at) {
        return at == null ? "" : TIME.format(at);
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    // Payments

    private Map<UUID, String> merchantNames() {
        Map<UUID, String> names = new HashMap<>();
        search.merchants(MERCHANTS_SHOWN).forEach(m -> names.put(m.merchant().id(), m.merchant().name()));
        return names;
    }

    private void paymentList(Context ctx, String session) {
        StringBuilder notice = new StringBuilder();
        UUID merchant = parseUuid(ctx.queryParam("merchant"), "merchant", notice);
        String dialect = pick(ctx.queryParam("dialect"), Set.copyOf(dialects), "dialect", notice);
        PaymentKind kind = parseEnum(PaymentKind.class, ctx.queryParam("kind"), "kind", notice);
        PaymentState state = parseEnum(PaymentState.class, ctx.queryParam("state"), "state", notice);
        String id = text(ctx.queryParam("id"));
        Instant from = parseTime(ctx.queryParam("from"), "from", notice);
        Instant to = parseTime(ctx.queryParam("to"), "to", notice);
        Instant before = parseInstant(ctx.queryParam("before"));
        List<Payment> found = search.search(new PaymentSearch.Filter(merchant, dialect, kind, state, id, from, to, before),
                PAGE_SIZE + 1);
        boolean more = found.size() > PAGE_SIZE;
        List<Payment> shown = more ? found.subList(0, PAGE_SIZE) : found;
        Map<UUID, String> names = merchantNames();

        StringBuilder b = new StringBuilder();
        if (!notice.isEmpty()) {
            b.append("<p class=\"notice bad\" role=\"alert\">").append(esc(notice.toString())).append("</p>\n");
        }
        b.append("<form class=\"panel filters\" method=\"get\" action=\"").append(PATH).append("/payments\" role=\"search\">\n");
        b.append(select("merchant", "Merchant", merchant == null ? "" : merchant.toString(),
                names.entrySet().stream().sorted(Map.Entry.comparingByValue())
                        .map(e -> new String[] {e.getKey().toString(), e.getValue()}).toList()));
        b.append(select("dialect", "Dialect", dialect, dialects.stream().map(d -> new String[] {d, d}).toList()));
        b.append(select("kind", "Kind", kind == null ? null : kind.name(), java.util.Arrays.stream(PaymentKind.values())
                .map(k -> new String[] {k.name(), k.name()}).toList()));
        b.append(select("state", "State", state == null ? null : state.name(), java.util.Arrays.stream(PaymentState.values())
                .map(k -> new String[] {k.name(), k.name()}).toList()));
        b.append(input("id", "Id or reference", id, "text"));
        b.append(input("from", "From (UTC)", ctx.queryParam("from"), "datetime-local"));
        b.append(input("to", "To (UTC)", ctx.queryParam("to"), "datetime-local"));
        b.append("<div><button type=\"submit\" class=\"button primary\" id=\"search\">Search</button> ")
                .append("<a href=\"").append(PATH).append("/payments\">Clear</a></div>\n</form>\n");

        b.append("<section class=\"panel\">\n<table id=\"payments\">\n<caption class=\"help\">").append(shown.size())
                .append(shown.size() == 1 ? " payment" : " payments").append(before == null ? ", newest first" : " older")
                .append("</caption>\n<thead><tr><th scope=\"col\">Created (UTC)</th><th scope=\"col\">Merchant</th>")
                .append("<th scope=\"col\">Dialect</th><th scope=\"col\">Kind</th><th scope=\"col\">Client id</th>")
                .append("<th scope=\"col\">Amount</th><th scope=\"col\">Correspondent</th><th scope=\"col\">State</th></tr></thead>\n<tbody>\n");
        for (Payment p : shown) {
            b.append("<tr data-payment=\"").append(p.id()).append("\"><td>").append(time(p.created())).append("</td><td>")
                    .append(esc(names.getOrDefault(p.merchantId(), p.merchantId().toString()))).append("</td><td>")
                    .append(esc(p.dialect())).append("</td><td>").append(p.kind()).append("</td><td><a class=\"mono\" href=\"")
                    .append(PATH).append("/payments/").append(p.id()).append("\">").append(esc(p.clientRef()))
                    .append("</a></td><td class=\"num\">").append(esc(p.amountText())).append(' ').append(esc(p.currency()))
                    .append("</td><td>").append(esc(p.correspondent())).append("</td><td>").append(badge(p.state().name()))
                    .append("</td></tr>\n");
        }
        if (shown.isEmpty()) {
            b.append("<tr><td colspan=\"8\">No payment matches.</td></tr>\n");
        }
        b.append("</tbody>\n</table>\n");
        if (more) {
            StringBuilder next = new StringBuilder(PATH + "/payments?before=" + enc(shown.getLast().created().toString()));
            for (String key : List.of("merchant", "dialect", "kind", "state", "id", "from", "to")) {
                String v = ctx.queryParam(key);
                if (v != null && !v.isEmpty()) {
                    next.append('&').append(key).append('=').append(enc(v));
                }
            }
            b.append("<p><a href=\"").append(esc(next.toString())).append("\" id=\"older\">Older payments →</a></p>\n");
        }
        b.append("</section>");
        send(ctx, 200, layout("Payments", "payments", session, b.toString()));
    }

    private static String select(String name, String label, String value, List<String[]> options) {
        StringBuilder b = new StringBuilder("<div><label for=\"f-").append(name).append("\">").append(esc(label))
                .append("</label><select id=\"f-").append(name).append("\" name=\"").append(name)
                .append("\"><option value=\"\">Any</option>");
        for (String[] o : options) {
            b.append("<option value=\"").append(esc(o[0])).append("\"").append(o[0].equals(value) ? " selected" : "")
                    .append(">").append(esc(o[1])).append("</option>");
        }
        return b.append("</select></div>\n").toString();
    }

    private static String input(String name, String label, String value, String type) {
        return "<div><label for=\"f-" + name + "\">" + esc(label) + "</label><input id=\"f-" + name + "\" name=\"" + name
                + "\" type=\"" + type + "\" value=\"" + esc(value) + "\"></div>\n";
    }

    private static String text(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String t = raw.trim();
        return t.length() > MAX_FILTER_TEXT ? t.substring(0, MAX_FILTER_TEXT) : t;
    }

    private static UUID parseUuid(String raw, String field, StringBuilder notice) {
        String t = text(raw);
        if (t == null) {
            return null;
        }
        try {
            return UUID.fromString(t);
        } catch (IllegalArgumentException e) {
            notice.append(field).append(": not a merchant id; ignored. ");
            return null;
        }
    }

    private static String pick(String raw, Set<String> allowed, String field, StringBuilder notice) {
        String t = text(raw);
        if (t == null) {
            return null;
        }
        if (!allowed.contains(t)) {
            notice.append(field).append(": unknown; ignored. ");
            return null;
        }
        return t;
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String raw, String field, StringBuilder notice) {
        String t = text(raw);
        if (t == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, t.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            notice.append(field).append(": unknown; ignored. ");
            return null;
        }
    }

    /** A datetime-local value (yyyy-MM-ddTHH:mm[:ss]) read as UTC. */
    private static Instant parseTime(String raw, String field, StringBuilder notice) {
        String t = text(raw);
        if (t == null) {
            return null;
        }
        try {
            return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            notice.append(field).append(": not a date and time such as 2026-12-02T13:00; ignored. ");
            return null;
        }
    }

    private static Instant parseInstant(String raw) {
        String t = text(raw);
        if (t == null) {
            return null;
        }
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private Optional<Payment> payment(Context ctx) {
        try {
            return payments.get(UUID.fromString(ctx.pathParam("paymentId")));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private void paymentDetail(Context ctx, String session) {
        Optional<Payment> found = payment(ctx);
        if (found.isEmpty()) {
            send(ctx, 404, layout("No such payment", "payments", session,
                    "<p>No payment has this id. <a href=\"" + PATH + "/payments\">Search payments</a></p>"));
            return;
        }
        Payment p = found.get();
        String merchantName = merchants.byId(p.merchantId()).map(Merchant::name).orElse(p.merchantId().toString());
        StringBuilder b = new StringBuilder();
        String replay = ctx.queryParam("replay");
        if ("accepted".equals(replay)) {
            b.append("<p class=\"notice\" role=\"status\" id=\"replay-notice\">The callback was queued again; its "
                    + "attempt shows below once it is made.</p>\n");
        } else if ("refused".equals(replay)) {
            b.append("<p class=\"notice bad\" role=\"alert\" id=\"replay-notice\">Not replayed: ")
                    .append(esc(text(ctx.queryParam("reason")))).append("</p>\n");
        }
        b.append("<div class=\"grid2\">\n<section class=\"panel\">\n<h2>Payment</h2>\n<dl class=\"facts\">\n");
        fact(b, "Payment id", "<code>" + p.id() + "</code>");
        fact(b, "Merchant", esc(merchantName));
        fact(b, "Dialect", esc(p.dialect()));
        fact(b, "Kind", p.kind().name());
        fact(b, "Client id", "<code>" + esc(p.clientRef()) + "</code>");
        fact(b, "State", badge(p.state().name()));
        fact(b, "Amount", esc(p.amountText()) + " " + esc(p.currency()));
        if (p.processedAmount() != null) {
            fact(b, "Processed", esc(Amount.plain(p.processedAmount())) + " " + esc(p.currency()));
        }
        fact(b, "Correspondent", esc(p.correspondent()) + " (" + esc(p.country()) + ")");
        fact(b, "Phone number", "<code>" + esc(p.msisdn()) + "</code>");
        if (p.providerRef() != null) {
            fact(b, "Operator reference", "<code>" + esc(p.providerRef()) + "</code>");
        }
        if (p.failureCode() != null) {
            fact(b, "Failure", esc(p.failureCode().name()) + (p.failureMessage() == null ? "" : ": " + esc(p.failureMessage())));
        }
        if (p.relatedPaymentId() != null) {
            fact(b, "Related payment", "<a href=\"" + PATH + "/payments/" + p.relatedPaymentId() + "\"><code>"
                    + p.relatedPaymentId() + "</code></a>");
        }
        fact(b, "Created (UTC)", time(p.created()));
        fact(b, "Updated (UTC)", time(p.updated()));
        b.append("</dl>\n</section>\n");

        b.append("<section class=\"panel\">\n<h2>History</h2>\n<ol class=\"timeline\" id=\"timeline\">\n");
        for (PaymentSearch.Event e : search.events(p.id())) {
            b.append("<li><strong>").append(esc(e.event())).append("</strong> ");
            if (e.toState() != null && !e.toState().equals(e.fromState())) {
                b.append(e.fromState() == null ? "" : esc(e.fromState()) + " → ").append(badge(e.toState())).append(' ');
            }
            b.append("<br><span class=\"help\">").append(time(e.at())).append("</span>");
            if (e.detail() != null && !e.detail().isEmpty()) {
                b.append(" <span class=\"mono\">").append(esc(e.detail())).append("</span>");
            }
            b.append("</li>\n");
        }
        b.append("</ol>\n</section>\n</div>\n");

        b.append("<section class=\"panel\">\n<h2>Ledger postings</h2>\n<table id=\"postings\">\n<thead><tr>")
                .append("<th scope=\"col\">Time (UTC)</th><th scope=\"col\">Kind</th><th scope=\"col\">Debit</th>")
                .append("<th scope=\"col\">Credit</th><th scope=\"col\">Amount</th></tr></thead>\n<tbody>\n");
        List<PaymentSearch.Transfer> transfers = search.transfers(p.id());
        for (PaymentSearch.Transfer t : transfers) {
            b.append("<tr><td>").append(time(t.created())).append("</td><td>").append(esc(t.kind())).append("</td><td class=\"mono\">")
                    .append(esc(t.debitAccount())).append("</td><td class=\"mono\">").append(esc(t.creditAccount()))
                    .append("</td><td class=\"num\">").append(esc(Amount.plain(t.amount()))).append(' ')
                    .append(esc(t.currency())).append("</td></tr>\n");
        }
        if (transfers.isEmpty()) {
            b.append("<tr><td colspan=\"5\">No posting yet.</td></tr>\n");
        }
        b.append("</tbody>\n</table>\n</section>\n");

        b.append("<section class=\"panel\">\n<h2>Callback attempts</h2>\n");
        Optional<PaymentStore.JobSummary> job = payments.latestJob(p.id(), JobKind.WEBHOOK);
        b.append("<p>Latest callback job: ").append(job.map(j -> badge(j.state())).orElse("none")).append("</p>\n");
        b.append("<table id=\"attempts\">\n<thead><tr><th scope=\"col\">Time (UTC)</th><th scope=\"col\">URL</th>")
                .append("<th scope=\"col\">HTTP status</th><th scope=\"col\">Error</th><th scope=\"col\">Duration</th></tr></thead>\n<tbody>\n");
        List<Map<String, Object>> tries = attempts.forPayment(p.id());
        for (Map<String, Object> a : tries) {
            Object status = a.get("http_status");
            Object at = a.get("attempted_at");
            Instant when = at instanceof java.util.Date date ? date.toInstant()
                    : at instanceof java.time.OffsetDateTime odt ? odt.toInstant() : null;
            b.append("<tr><td>").append(when == null ? esc(String.valueOf(at)) : time(when)).append("</td><td class=\"mono\">")
                    .append(esc(a.get("url") == null ? "(no URL)" : a.get("url").toString())).append("</td><td>")
                    .append(status == null ? badge("none") : badge(((Number) status).intValue() == 200 ? "ok" : "bad")
                            .replace(">ok<", ">" + status + "<").replace(">bad<", ">" + status + "<"))
                    .append("</td><td>").append(esc(a.get("error") == null ? "" : a.get("error").toString()))
                    .append("</td><td class=\"num\">").append(esc(String.valueOf(a.get("duration_ms")))).append(" ms</td></tr>\n");
        }
        if (tries.isEmpty()) {
            b.append("<tr><td colspan=\"5\">No attempt yet.</td></tr>\n");
        }
        b.append("</tbody>\n</table>\n");
        b.append("<form method=\"post\" action=\"").append(PATH).append("/payments/").append(p.id()).append("/replay\">")
                .append(csrfField(session)).append("<button type=\"submit\" class=\"button primary\" id=\"replay\">")
                .append("Replay the callback</button> <span class=\"help\">Sends the final state's callback again "
                        + "when the last one was not acknowledged.</span></form>\n</section>");
        send(ctx, 200, layout(p.kind().name().charAt(0) + p.kind().name().substring(1).toLowerCase(Locale.ROOT)
                + " " + p.clientRef(), "payments", session, b.toString()));
    }

    private static void fact(StringBuilder b, String term, String html) {
        b.append("<dt>").append(esc(term)).append("</dt><dd>").append(html).append("</dd>\n");
    }

    private void replay(Context ctx) {
        Optional<Payment> found = payment(ctx);
        if (found.isEmpty()) {
            ctx.redirect(PATH + "/payments", HttpStatus.SEE_OTHER);
            return;
        }
        Payment p = found.get();
        ResendingCallback.Result result = resending.resend(p.merchantId(), p.dialect(), p.kind(), p.clientRef());
        ctx.redirect(PATH + "/payments/" + p.id() + (result.accepted() ? "?replay=accepted"
                : "?replay=refused&reason=" + enc(result.rejectionReason())), HttpStatus.SEE_OTHER);
    }

    // Availability

    private void availability(Context ctx, String session, String notice) {
        StringBuilder b = new StringBuilder();
        if (notice != null) {
            b.append("<p class=\"notice\" role=\"status\" id=\"availability-notice\">").append(esc(notice)).append("</p>\n");
        }
        b.append("<p class=\"help\">What <code>GET /availability</code> answers now: the worst of the deployment's "
                + "baseline, an override set here (or by <code>PUT /ops/availability/…</code>), and the outage monitor. "
                + "Every node honours an override within a second.</p>\n");
        b.append("<section class=\"panel\">\n<table id=\"availability\">\n<thead><tr><th scope=\"col\">Country</th>")
                .append("<th scope=\"col\">Correspondent</th>");
        for (Operation op : Operation.values()) {
            b.append("<th scope=\"col\">").append(op.name()).append("</th>");
        }
        b.append("</tr></thead>\n<tbody>\n");
        for (AvailabilityBoard.CorrespondentStatus c : board.snapshot()) {
            b.append("<tr><td>").append(esc(c.country())).append("</td><td>").append(esc(c.correspondent()))
                    .append(board.degraded(c.correspondent()) ? " <span class=\"badge bad\">monitor: degraded</span>" : "")
                    .append("</td>");
            for (Operation op : Operation.values()) {
                Availability.Status status = board.status(c.correspondent(), op);
                String id = c.correspondent() + "-" + op.name();
                b.append("<td>").append(badge(status.name())).append("<form class=\"inline\" method=\"post\" action=\"")
                        .append(PATH).append("/availability\">").append(csrfField(session))
                        .append("<input type=\"hidden\" name=\"correspondent\" value=\"").append(esc(c.correspondent()))
                        .append("\"><input type=\"hidden\" name=\"operation\" value=\"").append(op.name()).append("\">")
                        .append("<label class=\"sr-only\" for=\"set-").append(esc(id)).append("\">Set ").append(esc(c.correspondent()))
                        .append(' ').append(op.name()).append("</label><select id=\"set-").append(esc(id))
                        .append("\" name=\"status\"><option value=\"AUTO\">Automatic</option>");
                for (Availability.Status s : Availability.Status.values()) {
                    b.append("<option value=\"").append(s.name()).append("\">").append(s.name()).append("</option>");
                }
                b.append("</select> <button type=\"submit\" id=\"apply-").append(esc(id)).append("\">Apply</button></form></td>");
            }
            b.append("</tr>\n");
        }
        b.append("</tbody>\n</table>\n</section>");
        send(ctx, 200, layout("Availability", "availability", session, b.toString()));
    }

    private void setAvailability(Context ctx, String session) {
        String correspondent = ctx.formParam("correspondent");
        Optional<Operation> op;
        try {
            op = Optional.of(Operation.valueOf(String.valueOf(ctx.formParam("operation"))));
        } catch (IllegalArgumentException e) {
            op = Optional.empty();
        }
        String status = String.valueOf(ctx.formParam("status"));
        if (correspondent == null || !board.knows(correspondent) || op.isEmpty()) {
            ctx.status(400);
            availability(ctx, session, "Nothing changed: unknown correspondent or operation.");
            return;
        }
        if (status.equals("AUTO")) {
            board.clear(correspondent, op.get());
        } else {
            try {
                board.set(correspondent, op.get(), Availability.Status.valueOf(status));
            } catch (IllegalArgumentException e) {
                ctx.status(400);
                availability(ctx, session, "Nothing changed: unknown status.");
                return;
            }
        }
        availability(ctx, session, correspondent + " " + op.get() + " is now "
                + board.status(correspondent, op.get()) + (status.equals("AUTO") ? " (no override)" : " (override)") + ".");
    }

    // Wallets and the ledger

    private void wallets(Context ctx, String session) {
        StringBuilder b = new StringBuilder();
        b.append("<section class=\"panel\">\n<h2>Ledger invariants</h2>\n");
        if ("1".equals(ctx.queryParam("check"))) {
            List<String> broken = ledger.verify();
            if (broken.isEmpty()) {
                b.append("<p class=\"notice\" role=\"status\" id=\"invariants\">The ledger is sound: every currency sums "
                        + "to zero, no account is overdrawn, and every balance equals its transfers.</p>\n");
            } else {
                b.append("<div class=\"notice bad\" role=\"alert\" id=\"invariants\"><p>").append(broken.size())
                        .append(" broken:</p><ul>");
                broken.forEach(x -> b.append("<li>").append(esc(x)).append("</li>"));
                b.append("</ul></div>\n");
            }
        }
        b.append("<form method=\"get\" action=\"").append(PATH).append("/wallets\"><input type=\"hidden\" name=\"check\" value=\"1\">")
                .append("<button type=\"submit\" class=\"button primary\" id=\"check-ledger\">Check the ledger invariants</button>")
                .append("</form>\n</section>\n");
        b.append("<section class=\"panel\">\n<h2>Merchant wallets</h2>\n<table id=\"wallets\">\n<thead><tr>")
                .append("<th scope=\"col\">Merchant</th><th scope=\"col\">Country</th><th scope=\"col\">Available</th>")
                .append("<th scope=\"col\">Reserved</th><th scope=\"col\">Posted</th></tr></thead>\n<tbody>\n");
        for (PaymentSearch.MerchantEntry m : search.merchants(MERCHANTS_SHOWN)) {
            for (Balance w : ledger.merchantWallets(m.merchant().id())) {
                b.append("<tr><td>").append(esc(m.merchant().name())).append("</td><td>").append(esc(w.account().country()))
                        .append("</td><td class=\"num\">").append(esc(Amount.plain(w.available()))).append(' ')
                        .append(esc(w.account().currency())).append("</td><td class=\"num\">")
                        .append(esc(Amount.plain(w.reserved()))).append("</td><td class=\"num\">")
                        .append(esc(Amount.plain(w.posted()))).append("</td></tr>\n");
            }
        }
        b.append("</tbody>\n</table>\n</section>");
        send(ctx, 200, layout("Wallets & ledger", "wallets", session, b.toString()));
    }

    // Merchants and credentials

    private void merchantList(Context ctx, String session, String shownOnce, String notice) {
        StringBuilder b = new StringBuilder();
        if (notice != null) {
            b.append("<p class=\"notice bad\" role=\"alert\" id=\"merchant-notice\">").append(esc(notice)).append("</p>\n");
        }
        if (shownOnce != null) {
            b.append("<section class=\"panel\" id=\"new-secret\">\n<h2>").append(esc(shownOnce.split("\n", 2)[0]))
                    .append("</h2>\n<p>Copy it now: it is shown only this once, Kulipa keeps only its digest.</p>\n")
                    .append("<code class=\"secret\" id=\"secret\">").append(esc(shownOnce.split("\n", 2)[1]))
                    .append("</code>\n</section>\n");
        }
        b.append("<section class=\"panel\">\n<h2>Merchants</h2>\n<table id=\"merchants\">\n<thead><tr>")
                .append("<th scope=\"col\">Name</th><th scope=\"col\">Merchant id</th><th scope=\"col\">API token</th>")
                .append("<th scope=\"col\">Callback URLs</th><th scope=\"col\">Created (UTC)</th><th scope=\"col\"></th></tr></thead>\n<tbody>\n");
        for (PaymentSearch.MerchantEntry e : search.merchants(MERCHANTS_SHOWN)) {
            Merchant m = e.merchant();
            b.append("<tr data-merchant=\"").append(m.id()).append("\"><td>").append(esc(m.name()))
                    .append("</td><td class=\"mono\">").append(m.id()).append("</td><td><span class=\"mono masked\">")
                    .append("••••••••</span></td><td>");
            m.callbackUrls().forEach((k, v) -> b.append(k.name().toLowerCase(Locale.ROOT)).append(": <span class=\"mono\">")
                    .append(esc(v)).append("</span><br>"));
            b.append("</td><td>").append(time(e.created())).append("</td><td><form method=\"post\" action=\"").append(PATH)
                    .append("/merchants/").append(m.id()).append("/token\">").append(csrfField(session))
                    .append("<button type=\"submit\">Rotate token</button></form></td></tr>\n");
        }
        b.append("</tbody>\n</table>\n<p class=\"help\">MoMo API users and keys and Jenga credentials are issued "
                + "through their own endpoints (see the API documents at <a href=\"/docs\">/docs</a>); they too are kept "
                + "as digests only.</p>\n</section>\n");
        b.append("<section class=\"panel\">\n<h2>New merchant</h2>\n<form method=\"post\" action=\"").append(PATH)
                .append("/merchants/new\">").append(csrfField(session)).append("<div class=\"filters\">")
                .append(input("name", "Name", null, "text"))
                .append(input("deposit", "Deposit callback URL", null, "url"))
                .append(input("payout", "Payout callback URL", null, "url"))
                .append(input("refund", "Refund callback URL", null, "url"))
                .append("<div><button type=\"submit\" class=\"button primary\" id=\"create-merchant\">Create</button></div>")
                .append("</div></form>\n</section>");
        send(ctx, 200, layout("Merchants", "merchants", session, b.toString()));
    }

    private void createMerchant(Context ctx, String session) {
        String name = ctx.formParam("name") == null ? "" : ctx.formParam("name").trim();
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            ctx.status(400);
            merchantList(ctx, session, null, "name: is required, at most " + MAX_NAME_LENGTH + " characters.");
            return;
        }
        Map<PaymentKind, String> urls = new EnumMap<>(PaymentKind.class);
        for (PaymentKind kind : PaymentKind.values()) {
            String url = ctx.formParam(kind.name().toLowerCase(Locale.ROOT));
            if (url != null && !url.isBlank()) {
                Optional<String> refused = guard.refusal(url.trim());
                if (refused.isPresent()) {
                    ctx.status(400);
                    merchantList(ctx, session, null, kind.name().toLowerCase(Locale.ROOT) + " callback URL: " + refused.get());
                    return;
                }
                urls.put(kind, url.trim());
            }
        }
        if (merchants.byName(name).isPresent()) {
            ctx.status(409);
            merchantList(ctx, session, null, "name: a merchant called '" + name + "' exists already.");
            return;
        }
        OnboardingMerchant.Onboarded created;
        try {
            created = onboarding.onboard(name, Set.of(), urls, null);
        } catch (MerchantStore.NameTaken taken) {
            ctx.status(409);
            merchantList(ctx, session, null, "name: a merchant called '" + name + "' exists already.");
            return;
        }
        merchantList(ctx, session, "API token of " + name + "\n" + created.token(), null);
    }

    private void rotateToken(Context ctx, String session) {
        Optional<Merchant> m;
        try {
            m = merchants.byId(UUID.fromString(ctx.pathParam("merchantId")));
        } catch (IllegalArgumentException e) {
            m = Optional.empty();
        }
        if (m.isEmpty()) {
            ctx.status(404);
            merchantList(ctx, session, null, "No merchant has this id.");
            return;
        }
        String token = onboarding.rotateToken(m.get().id(), OnboardingMerchant.newToken());
        auth.forgetAll();
        merchantList(ctx, session, "New API token of " + m.get().name() + "\n" + token, null);
    }
}
