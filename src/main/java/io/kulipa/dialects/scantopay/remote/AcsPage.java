package io.kulipa.dialects.scantopay.remote;

import io.javalin.http.Context;
import io.kulipa.dialects.scantopay.remote.secure.AnsweringAcsChallenge;

/**
 * The simulated ACS (the issuer's 3-D Secure page) a wallet opens in a WebView: a form for the
 * one-time password sent to the customer's handset; after the right one, a page that shows the
 * paRes (element {@code #paRes}, also in the {@code X-Kulipa-PaRes} header and the page's
 * {@code data-pares}) for the wallet to read and send on {@code purchaseTx} as
 * {@code secureCodeBasic.paRes}. Nothing the caller typed is echoed.
 */
final class AcsPage {

    /** Our secureCodeIds: "SC" and 43 URL-safe base64 characters. */
    private static final String ID_PATTERN = "SC[A-Za-z0-9_-]{20,64}";
    /** An OTP field longer than this is not an OTP. */
    private static final int OTP_MAX_CHARS = 16;

    private AcsPage() {
    }

    static void show(Context ctx, String id) {
        if (!id.matches(ID_PATTERN)) {
            page(ctx, 404, "Unknown challenge", "<p>This 3-D Secure challenge does not exist.</p>", null);
            return;
        }
        page(ctx, 200, "Verify your payment", form(id, null), null);
    }

    static void answer(Context ctx, String id, AnsweringAcsChallenge answering) {
        if (!id.matches(ID_PATTERN)) {
            page(ctx, 404, "Unknown challenge", "<p>This 3-D Secure challenge does not exist.</p>", null);
            return;
        }
        String otp = ctx.formParam("otp");
        if (otp != null && otp.length() > OTP_MAX_CHARS) {
            otp = null;
        }
        AnsweringAcsChallenge.Answer a = answering.answer(id, otp);
        switch (a.outcome()) {
            case AUTHENTICATED -> {
                ctx.header("X-Kulipa-PaRes", a.paRes());
                page(ctx, 200, "Payment verified", "<p id=\"result\" data-status=\"AUTHENTICATED\">Thank you: the "
                        + "payment is verified. You may return to your wallet.</p>\n<p>paRes: <code id=\"paRes\">"
                        + a.paRes() + "</code></p>", a.paRes());
            }
            case WRONG_OTP -> page(ctx, 200, "Verify your payment", "<p id=\"result\" data-status=\"WRONG_OTP\" "
                    + "role=\"alert\">That one-time password is not right. " + a.attemptsLeft()
                    + " attempt(s) left.</p>\n" + form(id, null), null);
            case FAILED -> page(ctx, 200, "Verification failed", "<p id=\"result\" data-status=\"FAILED\" role=\"alert\">"
                    + "Too many wrong one-time passwords: this payment cannot be verified.</p>", null);
            case EXPIRED -> page(ctx, 200, "Verification expired", "<p id=\"result\" data-status=\"EXPIRED\" "
                    + "role=\"alert\">This verification has expired. Start the payment again.</p>", null);
            case ALREADY_DONE -> page(ctx, 409, "Already verified", "<p id=\"result\" data-status=\"ALREADY_DONE\">"
                    + "This payment was verified before.</p>", null);
            case NOT_FOUND -> page(ctx, 404, "Unknown challenge", "<p id=\"result\" data-status=\"NOT_FOUND\">"
                    + "This 3-D Secure challenge does not exist.</p>", null);
        }
    }

    private static String form(String id, String unused) {
        return "<p>We sent a one-time password by SMS to the phone of this card's wallet.</p>\n"
                + "<form method=\"post\" action=\"" + RemoteRoutes.BASE + "/acs/" + id + "\">\n"
                + "  <label for=\"otp\">One-time password</label>\n"
                + "  <input id=\"otp\" name=\"otp\" inputmode=\"numeric\" autocomplete=\"one-time-code\" "
                + "pattern=\"[0-9]{6}\" maxlength=\"6\" required>\n"
                + "  <button type=\"submit\" id=\"submit\">Verify</button>\n</form>";
    }

    private static void page(Context ctx, int status, String title, String body, String paRes) {
        ctx.status(status).contentType("text/html; charset=utf-8");
        ctx.header("Cache-Control", "no-store");
        ctx.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
        ctx.header("X-Frame-Options", "SAMEORIGIN");
        ctx.result("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>" + title + " - Kulipa sandbox ACS</title>\n"
                + "<style>body{font-family:sans-serif;max-width:28em;margin:2em auto;padding:0 1em}"
                + "input,button{font-size:1.2em;margin:.3em 0;display:block}code{word-break:break-all}</style>\n"
                + "</head>\n<body" + (paRes == null ? "" : " data-pares=\"" + paRes + "\"") + ">\n<h1>" + title
                + "</h1>\n<p><small>Kulipa sandbox: simulated 3-D Secure (ACS) page</small></p>\n" + body
                + "\n</body>\n</html>\n");
    }
}
