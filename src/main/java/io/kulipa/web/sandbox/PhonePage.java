package io.kulipa.web.sandbox;

import static io.kulipa.web.pages.Html.esc;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.kulipa.money.Msisdn;
import io.kulipa.web.Routes;
import io.kulipa.web.pages.Html;
import java.util.Map;

/**
 * The virtual phone of one simulated customer, {@code /sandbox/phone/{msisdn}}: a server-rendered
 * page whose script ({@code /assets/phone.js}) reads and answers the handset through the same
 * sandbox endpoints as any script — {@code /sandbox/handsets/{msisdn}} for prompts, SMS, wallet,
 * accounts and cards, and {@code /sandbox/ussd/sessions} for the dialer. Prompts are drawn from
 * their {@code answer} description ({@link PromptAnswers}), so a new kind of prompt needs no change
 * here. {@code /sandbox/phone} asks for a number. Sandbox mode only.
 */
public final class PhonePage implements Routes {

    /** How often the page asks the handset for news, in milliseconds. */
    public static final int POLL_MILLIS = 1_000;

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/sandbox/phone", this::chooser);
        routes.get("/sandbox/phone/{msisdn}", this::phone);
    }

    private void chooser(Context ctx) {
        String msisdn = ctx.queryParam("msisdn");
        if (msisdn != null && Msisdn.isWellFormed(msisdn.replace("+", "").replace(" ", ""))) {
            Html.headers(ctx);
            ctx.redirect("/sandbox/phone/" + msisdn.replace("+", "").replace(" ", ""));
            return;
        }
        String error = msisdn == null ? "" : "<p class=\"error\" id=\"msisdn-error\">Digits only with the country "
                + "code, such as 256770000001.</p>";
        Html.send(ctx, msisdn == null ? 200 : 400, document("Virtual phone", """
                <main class="handset chooser">
                <h1>Virtual phone</h1>
                <p class="help">Open the phone of a simulated customer: the PIN prompts its payments push, its
                SMS, its wallet, and a dialer for USSD codes.</p>
                <form method="get" action="/sandbox/phone">
                <label for="msisdn">Phone number</label>
                <input id="msisdn" name="msisdn" inputmode="tel" autocomplete="off" required
                 placeholder="256770000001" aria-describedby="msisdn-error">
                """ + error + """
                <p><button class="primary" type="submit">Open phone</button></p>
                </form>
                </main>""", null));
    }

    private void phone(Context ctx) {
        String msisdn = ctx.pathParam("msisdn");
        if (!Msisdn.isWellFormed(msisdn)) {
            Html.send(ctx, 400, Html.message("Not a phone number",
                    "A handset's number is digits only with the country code, no '+' and no leading 0.",
                    "/sandbox/phone", "Choose a number"));
            return;
        }
        Html.send(ctx, 200, document("Phone +" + msisdn, body(msisdn), "phone.js"));
    }

    private static String body(String msisdn) {
        StringBuilder keypad = new StringBuilder();
        for (String k : new String[] {"1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"}) {
            keypad.append("<button type=\"button\" class=\"key\" data-key=\"").append(esc(k)).append("\">")
                    .append(esc(k)).append("</button>");
        }
        return "<main class=\"handset\" aria-label=\"Virtual phone +" + esc(msisdn) + "\">\n"
                + "<header class=\"statusbar\"><span id=\"network\" class=\"network\">Kulipa sandbox</span>"
                + "<span class=\"number\" id=\"number\">+" + esc(msisdn) + "</span>"
                + "<span id=\"clock\" class=\"clock\"></span></header>\n"
                + "<nav class=\"tabs\" aria-label=\"Phone\">"
                + tab("prompts", "Prompts", true) + tab("sms", "Messages", false) + tab("wallet", "Wallet", false)
                + tab("dial", "Dial", false) + "</nav>\n"
                + "<p id=\"notice\" class=\"notice\" role=\"status\" aria-live=\"polite\" hidden></p>\n"
                + "<section id=\"panel-prompts\" class=\"panel-phone\" aria-labelledby=\"tab-prompts\">\n"
                + "<h1 class=\"visually-hidden\">Prompts</h1>"
                + "<div id=\"prompts\"></div><p id=\"no-prompts\" class=\"help\">No pending prompts. Payments that "
                + "need this customer's approval appear here.</p></section>\n"
                + "<section id=\"panel-sms\" class=\"panel-phone\" aria-labelledby=\"tab-sms\" hidden>\n"
                + "<ol id=\"sms\" class=\"sms\" reversed></ol><p id=\"no-sms\" class=\"help\">No messages.</p></section>\n"
                + "<section id=\"panel-wallet\" class=\"panel-phone\" aria-labelledby=\"tab-wallet\" hidden>\n"
                + "<h2>Wallet</h2><p id=\"wallet\" class=\"balance\">No wallet yet: it opens with the first payment."
                + "</p>\n<div id=\"accounts-block\" hidden><h2>Accounts</h2><ul id=\"accounts\" class=\"items\"></ul>"
                + "</div>\n<div id=\"cards-block\" hidden><h2>Linked cards</h2><ul id=\"cards\" class=\"items\"></ul>"
                + "</div>\n<h2>Approval</h2><p><label class=\"check\"><input type=\"checkbox\" id=\"manual\"> "
                + "Approve prompts myself</label></p><p class=\"help\" id=\"approval-help\">Off: the simulated "
                + "customer approves by itself after a short delay.</p>\n<p id=\"kyc\" class=\"help\"></p>"
                + "</section>\n"
                + "<section id=\"panel-dial\" class=\"panel-phone\" aria-labelledby=\"tab-dial\" hidden>\n"
                + "<form id=\"dial-form\" autocomplete=\"off\"><label for=\"dial-code\">USSD code</label>"
                + "<input id=\"dial-code\" inputmode=\"tel\" placeholder=\"" + io.kulipa.web.sandbox.demo.DemoUssd.SERVICE_CODE + "\" required maxlength=\"40\">"
                + "<div class=\"keypad\" aria-label=\"Keypad\">" + keypad + "</div>"
                + "<button class=\"primary call\" type=\"submit\" id=\"dial-button\">Call</button>"
                + "<p id=\"dial-error\" class=\"error\" role=\"alert\"></p></form>\n"
                + "<h2>Recent sessions</h2><ul id=\"ussd-history\" class=\"items\"></ul></section>\n"
                + "<dialog id=\"ussd\" class=\"ussd\" aria-labelledby=\"ussd-code\">"
                + "<p id=\"ussd-code\" class=\"help\"></p><pre id=\"ussd-screen\" class=\"ussd-screen\" "
                + "aria-live=\"polite\"></pre><p id=\"ussd-error\" class=\"error\"></p>"
                + "<form id=\"ussd-form\" autocomplete=\"off\"><label for=\"ussd-input\" class=\"visually-hidden\">"
                + "Reply</label><input id=\"ussd-input\" maxlength=\"182\" inputmode=\"text\">"
                + "<div class=\"row\"><button type=\"button\" id=\"ussd-cancel\">Cancel</button>"
                + "<button class=\"primary\" type=\"submit\" id=\"ussd-send\">Send</button></div></form>"
                + "<div class=\"row\" id=\"ussd-done\" hidden><button class=\"primary\" type=\"button\" "
                + "id=\"ussd-ok\">OK</button></div></dialog>\n"
                + "</main>\n<script type=\"application/json\" id=\"phone-config\">"
                + Html.json(Map.of("msisdn", msisdn, "pollMillis", POLL_MILLIS)) + "</script>";
    }

    private static String tab(String id, String label, boolean current) {
        return "<button type=\"button\" class=\"tab\" id=\"tab-" + id + "\" data-panel=\"panel-" + id
                + "\" aria-controls=\"panel-" + id + "\" aria-pressed=\"" + current + "\">" + esc(label)
                + "<span class=\"count\" id=\"count-" + id + "\"></span></button>";
    }

    private static String document(String title, String body, String script) {
        return "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>" + esc(title) + "</title>\n"
                + "<link rel=\"stylesheet\" href=\"/assets/kulipa.css\">\n"
                + "<link rel=\"stylesheet\" href=\"/assets/phone.css\">\n</head>\n"
                + "<body class=\"phone-page\">\n" + body + "\n"
                + (script == null ? "" : "<script src=\"/assets/" + esc(script) + "\"></script>\n")
                + "</body>\n</html>\n";
    }
}
