package io.kulipa.dialects.pawapay.pages;

import static io.kulipa.web.pages.Html.esc;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import io.kulipa.dialects.pawapay.paymentpage.PayingOnPaymentPage;
import io.kulipa.dialects.pawapay.paymentpage.PayingOnPaymentPage.Visit;
import io.kulipa.dialects.pawapay.paymentpage.PaymentPageOptions;
import io.kulipa.dialects.pawapay.paymentpage.PaymentPageSession;
import io.kulipa.money.Amount;
import io.kulipa.payments.FailureCode;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentState;
import io.kulipa.web.JsonBody;
import io.kulipa.web.Routes;
import io.kulipa.web.pages.Html;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * pawaPay's hosted Payment Page, {@code /pay/{token}}: server-rendered HTML and a small script
 * ({@code /assets/pay.js}). The page's own calls — predict the operator of a number, start the
 * deposit, read its status — are JSON under the same path, allowed only to the browser the
 * session is bound to (an HttpOnly, SameSite=Strict cookie scoped to the path) and only with a
 * JSON body, so another site can neither read nor drive them.
 */
public final class PaymentPageRoutes implements Routes {

    static final String COOKIE = "kulipa_pay";
    /** Tokens are {@code Secrets.random()}: 43 URL-safe base64 characters; anything else is unknown. */
    private static final Pattern TOKEN = Pattern.compile("^[A-Za-z0-9_-]{20,100}$");
    /** How long the browser keeps the session's cookie: the session's own life and a margin, in seconds. */
    private static final int COOKIE_MAX_AGE_SECONDS = 60 * 60;

    private final PayingOnPaymentPage paying;

    public PaymentPageRoutes(PayingOnPaymentPage paying) {
        this.paying = paying;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/pay/{token}", this::page);
        // Without JavaScript the form posts here; the page's script sends JSON to /deposit instead.
        routes.post("/pay/{token}", this::formPay);
        routes.post("/pay/{token}/predict", ctx -> call(ctx, (open, body) -> predict(ctx, open, body)));
        routes.post("/pay/{token}/deposit", ctx -> call(ctx, (open, body) -> pay(ctx, open, body)));
        routes.get("/pay/{token}/status", this::status);
    }

    private static String token(Context ctx) {
        String token = ctx.pathParam("token");
        return TOKEN.matcher(token).matches() ? token : null;
    }

    private void page(Context ctx) {
        String token = token(ctx);
        Visit visit = paying.visit(token, token == null ? null : ctx.cookie(COOKIE));
        switch (visit) {
            case Visit.Unknown u -> Html.send(ctx, 404, Html.message("Payment link not found",
                    "This payment link is not valid. Go back to the shop and start the payment again.", null, null));
            case Visit.OtherBrowser o -> Html.send(ctx, 403, Html.message("Payment link already in use",
                    "This payment link was opened in another browser. Go back to the shop and start the payment "
                            + "again.", null, null));
            case Visit.Expired e -> Html.send(ctx, 410, Html.message("Payment session expired",
                    "This payment session has expired and nothing was paid.", e.session().returnUrlWithDeposit(),
                    "Return to the shop"));
            case Visit.Open open -> {
                if (open.newCookie() != null) {
                    ctx.cookie(new Cookie(COOKIE, open.newCookie(), "/pay/" + token, COOKIE_MAX_AGE_SECONDS,
                            "https".equals(ctx.scheme()), true, null, SameSite.STRICT));
                }
                Html.send(ctx, 200, render(token, open, ctx.queryParam("country")));
            }
        }
    }

    /**
     * The page's form without its script: the same deposit, then back to the page (which reloads
     * itself while the deposit runs). A cross-site form cannot reach it: the session's cookie is
     * SameSite=Strict, and without it nothing is open.
     */
    private void formPay(Context ctx) {
        Html.headers(ctx);
        String token = token(ctx);
        Optional<Visit.Open> open = bound(ctx);
        if (open.isEmpty()) {
            return;
        }
        switch (paying.pay(open.get(), ctx.formParam("correspondent"), ctx.formParam("msisdn"), ctx.formParam("amount"))) {
            case PayingOnPaymentPage.Paid.Started s -> ctx.redirect("/pay/" + token, io.javalin.http.HttpStatus.SEE_OTHER);
            case PayingOnPaymentPage.Paid.Refused r -> Html.send(ctx, 400, Html.message("Check the payment",
                    r.message(), "/pay/" + token + countryOf(open.get(), ctx.formParam("correspondent"))
                            .map(c -> "?country=" + c).orElse(""), "Back to the payment"));
        }
    }

    /** The country of one of the page's operators, so that going back shows that country's operators again. */
    private static Optional<String> countryOf(Visit.Open open, String correspondent) {
        return open.countries().stream().filter(c -> c.operators().stream()
                .anyMatch(o -> o.correspondent().equals(correspondent))).map(PaymentPageOptions.Country::code).findFirst();
    }

    private interface Call {
        void handle(Visit.Open open, JsonNode body);
    }

    /** A page's POST: JSON only, from the bound browser only. */
    private void call(Context ctx, Call call) {
        Html.headers(ctx);
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(java.util.Locale.ROOT);
        if (!type.startsWith("application/json")) {
            ctx.status(415).json(Map.of("message", "Send JSON"));
            return;
        }
        Optional<Visit.Open> open = bound(ctx);
        if (open.isEmpty()) {
            return;
        }
        JsonBody.Read read = JsonBody.read(ctx, true);
        if (read.node() == null || !read.node().isObject()) {
            ctx.status(400).json(Map.of("message", "The request could not be read"));
            return;
        }
        call.handle(open.get(), read.node());
    }

    private Optional<Visit.Open> bound(Context ctx) {
        String token = token(ctx);
        Visit visit = paying.check(token, token == null ? null : ctx.cookie(COOKIE));
        return switch (visit) {
            case Visit.Open open -> Optional.of(open);
            case Visit.Expired e -> {
                ctx.status(410).json(Map.of("message", "This payment session has expired.",
                        "returnUrl", e.session().returnUrlWithDeposit()));
                yield Optional.empty();
            }
            default -> {
                ctx.status(403).json(Map.of("message", "This payment session is not open in this browser."));
                yield Optional.empty();
            }
        };
    }

    private void predict(Context ctx, Visit.Open open, JsonNode body) {
        switch (paying.predict(open, body.path("msisdn").asText(null))) {
            case PayingOnPaymentPage.Predicted.Found f -> ctx.json(Map.of("msisdn", f.msisdn(), "country", f.country(),
                    "correspondent", f.correspondent()));
            case PayingOnPaymentPage.Predicted.Miss m -> ctx.status(400).json(Map.of("field", "msisdn",
                    "message", m.message()));
        }
    }

    private void pay(Context ctx, Visit.Open open, JsonNode body) {
        switch (paying.pay(open, body.path("correspondent").asText(null), body.path("msisdn").asText(null),
                body.path("amount").asText(null))) {
            case PayingOnPaymentPage.Paid.Started s -> ctx.json(status(open.session(), Optional.of(s.deposit())));
            case PayingOnPaymentPage.Paid.Refused r -> {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("field", r.field());
                out.put("message", r.message());
                ctx.status(400).json(out);
            }
        }
    }

    private void status(Context ctx) {
        Html.headers(ctx);
        bound(ctx).ifPresent(open -> ctx.json(status(open.session(), paying.deposit(open.session()))));
    }

    /** The deposit as the page shows it: NONE, PENDING, COMPLETED or FAILED, with words for the customer. */
    static Map<String, Object> status(PaymentPageSession s, Optional<Payment> deposit) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("depositId", s.depositId());
        out.put("returnUrl", s.returnUrlWithDeposit());
        if (deposit.isEmpty()) {
            out.put("status", "NONE");
            return out;
        }
        Payment p = deposit.get();
        out.put("status", p.state() == PaymentState.COMPLETED ? "COMPLETED"
                : p.state() == PaymentState.FAILED ? "FAILED" : "PENDING");
        out.put("amount", p.amountText() + " " + p.currency());
        out.put("msisdn", p.msisdn());
        out.put("message", switch (p.state()) {
            case COMPLETED -> "Payment received. Thank you!";
            case FAILED -> failure(p.failureCode());
            default -> "Approve the payment on your phone: enter your mobile money PIN when it asks.";
        });
        return out;
    }

    private static String failure(FailureCode code) {
        if (code == null) {
            return "The payment failed. Nothing was taken from your wallet.";
        }
        return switch (code) {
            case PAYMENT_NOT_APPROVED -> "The payment was not approved on your phone. Nothing was taken from your wallet.";
            case APPROVAL_EXPIRED -> "The payment was not approved in time. Nothing was taken from your wallet.";
            case INSUFFICIENT_BALANCE -> "Your mobile money wallet does not have enough money for this payment.";
            case PAYER_LIMIT_REACHED -> "This payment is over the limit of your mobile money wallet.";
            case PAYER_NOT_FOUND -> "No mobile money wallet was found for this number.";
            default -> "The payment failed. Nothing was taken from your wallet.";
        };
    }

    // The page

    /**
     * The page, showing the operators of the chosen country ({@code ?country=}, which the country
     * chooser submits when the page has no script), or of the first one.
     */
    private static String render(String token, Visit.Open open, String chosenCountry) {
        PaymentPageSession s = open.session();
        List<PaymentPageOptions.Country> countries = open.countries();
        PaymentPageOptions.Country first = countries.stream().filter(c -> c.code().equals(chosenCountry)).findFirst()
                .orElse(countries.isEmpty() ? null : countries.getFirst());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("base", "/pay/" + token);
        config.put("fixedAmount", s.amount());
        config.put("fixedMsisdn", s.msisdn());
        config.put("countries", countries.stream().map(PaymentPageRoutes::country).toList());
        config.put("status", status(s, open.deposit()));

        StringBuilder b = new StringBuilder();
        b.append("<main class=\"card\" id=\"payment-page\">\n<header class=\"pay-header\">\n");
        b.append("<p class=\"merchant\">").append(esc(open.merchant().name())).append("</p>\n");
        b.append("<h1>Pay with mobile money</h1>\n");
        if (s.reason() != null) {
            b.append("<p class=\"reason\" id=\"reason\">").append(esc(s.reason())).append("</p>\n");
        }
        if (s.amount() != null) {
            String currency = countries.size() == 1 ? " " + countries.getFirst().currency() : "";
            b.append("<p class=\"amount\" id=\"fixed-amount\">").append(esc(s.amount())).append(esc(currency))
                    .append("</p>\n");
        }
        b.append("</header>\n");
        boolean started = open.deposit().isPresent();
        boolean done = started && open.deposit().get().state().isFinal();

        b.append("<section id=\"step-details\"").append(started ? " hidden" : "").append(">\n");
        if (countries.isEmpty()) {
            b.append("<p class=\"error\" role=\"alert\">No mobile money operator is available for this payment.</p>\n");
        } else {
            // Country: a form of its own, which the script follows as the choice changes; without the
            // script its button asks the page again for the chosen country's operators.
            b.append("<form id=\"country-form\" method=\"get\" action=\"/pay/").append(esc(token)).append("\">\n")
                    .append("<div class=\"field\">\n<label for=\"country\">Country</label>\n<select id=\"country\" name=\"country\"")
                    .append(countries.size() == 1 ? " disabled" : "").append(">\n");
            for (PaymentPageOptions.Country c : countries) {
                b.append("<option value=\"").append(esc(c.code())).append("\"").append(c == first ? " selected" : "")
                        .append(">").append(esc(c.name())).append(" (+").append(esc(c.dialCode())).append(")</option>\n");
            }
            b.append("</select>\n");
            if (countries.size() > 1) {
                b.append("<noscript><button type=\"submit\" class=\"button\" id=\"country-button\">")
                        .append("Show this country's operators</button></noscript>\n");
            }
            b.append("</div>\n</form>\n");
            b.append("<form id=\"pay-form\" method=\"post\" novalidate>\n");
            // Number
            b.append("<div class=\"field\">\n<label for=\"msisdn\">Mobile money number</label>\n")
                    .append("<input id=\"msisdn\" name=\"msisdn\" type=\"tel\" inputmode=\"tel\" autocomplete=\"tel\" ")
                    .append("aria-describedby=\"msisdn-help msisdn-error\" placeholder=\"").append(esc(first.dialCode()))
                    .append("…\"").append(s.msisdn() != null ? " readonly value=\"" + esc(s.msisdn()) + "\"" : "")
                    .append(">\n<p class=\"help\" id=\"msisdn-help\">With the country code, for example <span id=\"msisdn-dial\">")
                    .append(esc(first.dialCode())).append("</span> followed by your number.</p>\n")
                    .append("<p class=\"error\" id=\"msisdn-error\" role=\"alert\"></p>\n</div>\n");
            // Operators
            b.append("<fieldset class=\"field operators\" id=\"operators\" aria-describedby=\"correspondent-error\">\n")
                    .append("<legend>Mobile money operator</legend>\n");
            for (PaymentPageOptions.Country c : countries) {
                for (PaymentPageOptions.Operator o : c.operators()) {
                    String id = "op-" + o.correspondent();
                    b.append("<label class=\"operator").append(o.available() ? "" : " outage").append("\" for=\"")
                            .append(esc(id)).append("\" data-country=\"").append(esc(c.code())).append("\"")
                            .append(c == first ? "" : " hidden").append(">\n<input type=\"radio\" name=\"correspondent\" id=\"")
                            .append(esc(id)).append("\" value=\"").append(esc(o.correspondent())).append("\"")
                            .append(o.available() ? "" : " disabled").append(">\n<span class=\"mno\">")
                            .append(esc(o.mno())).append("</span>\n<span class=\"limits\">")
                            .append(esc(Amount.plain(o.min()))).append("–").append(esc(Amount.plain(o.max()))).append(" ")
                            .append(esc(o.currency())).append("</span>\n")
                            .append(o.available() ? "" : "<span class=\"status\">Temporarily unavailable</span>\n")
                            .append("</label>\n");
                }
            }
            b.append("<p class=\"error\" id=\"correspondent-error\" role=\"alert\"></p>\n</fieldset>\n");
            // Amount
            if (s.amount() == null) {
                b.append("<div class=\"field\">\n<label for=\"amount\">Amount (<span id=\"amount-currency\">")
                        .append(esc(first.currency())).append("</span>)</label>\n")
                        .append("<input id=\"amount\" name=\"amount\" type=\"text\" inputmode=\"decimal\" autocomplete=\"off\" ")
                        .append("aria-describedby=\"amount-help amount-error\">\n")
                        .append("<p class=\"help\" id=\"amount-help\">Choose an operator to see its limits.</p>\n")
                        .append("<p class=\"error\" id=\"amount-error\" role=\"alert\"></p>\n</div>\n");
            }
            b.append("<p class=\"error\" id=\"form-error\" role=\"alert\"></p>\n");
            b.append("<button type=\"submit\" id=\"pay-button\" class=\"button primary\">Pay</button>\n</form>\n");
        }
        b.append("</section>\n");

        if (started && !done) {
            // Without the script the page reloads itself until the deposit is final.
            b.append("<noscript><meta http-equiv=\"refresh\" content=\"3\"></noscript>\n");
        }
        b.append("<section id=\"step-authorise\" aria-live=\"polite\"").append(started && !done ? "" : " hidden").append(">\n")
                .append("<h2>Authorise on your phone</h2>\n<div class=\"phone-icon\" aria-hidden=\"true\"></div>\n")
                .append("<p>A payment prompt for <strong id=\"authorise-amount\">")
                .append(started ? esc(open.deposit().get().amountText() + " " + open.deposit().get().currency()) : "")
                .append("</strong> was sent to <strong id=\"authorise-msisdn\">")
                .append(started ? esc(open.deposit().get().msisdn()) : "")
                .append("</strong>. Enter your mobile money PIN on your phone to approve it.</p>\n")
                .append("<p class=\"waiting\" role=\"status\" id=\"authorise-status\">Waiting for your approval…</p>\n")
                .append("</section>\n");

        b.append("<section id=\"step-done\" aria-live=\"polite\"").append(done ? "" : " hidden").append(">\n")
                .append("<h2 id=\"done-title\">").append(done ? (open.deposit().get().state() == PaymentState.COMPLETED
                        ? "Payment complete" : "Payment failed") : "").append("</h2>\n<p id=\"done-message\">")
                .append(done ? esc((String) status(s, open.deposit()).get("message")) : "").append("</p>\n")
                .append("<p><a class=\"button primary\" id=\"return-link\" href=\"").append(esc(s.returnUrlWithDeposit()))
                .append("\">Return to ").append(esc(open.merchant().name())).append("</a></p>\n")
                .append("<p class=\"help\" id=\"return-countdown\"></p>\n</section>\n");
        b.append("<footer class=\"pay-footer\">Secured by Kulipa · sandbox</footer>\n</main>\n");
        b.append("<script type=\"application/json\" id=\"page-config\">").append(Html.json(config)).append("</script>");
        return Html.document("Pay " + open.merchant().name(), "page pay", b.toString(), "pay.js");
    }

    private static Map<String, Object> country(PaymentPageOptions.Country c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("code", c.code());
        out.put("name", c.name());
        out.put("currency", c.currency());
        out.put("dialCode", c.dialCode());
        List<Map<String, Object>> operators = new ArrayList<>();
        for (PaymentPageOptions.Operator o : c.operators()) {
            Map<String, Object> op = new LinkedHashMap<>();
            op.put("correspondent", o.correspondent());
            op.put("mno", o.mno());
            op.put("currency", o.currency());
            op.put("min", Amount.plain(o.min()));
            op.put("max", Amount.plain(o.max()));
            op.put("decimals", o.decimals());
            op.put("available", o.available());
            operators.add(op);
        }
        out.put("operators", operators);
        return out;
    }
}
