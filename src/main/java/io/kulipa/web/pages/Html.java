package io.kulipa.web.pages;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;

/**
 * What every server-rendered page shares: escaping, the document around a page's body, JSON for
 * the page's script, and the headers that keep a page to itself (no framing, no third-party
 * anything, no referrer that would carry a token in the URL, never cached).
 */
public final class Html {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The only sources a page uses: its own scripts and styles from {@code /assets/}. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private Html() {
    }

    /** Text for an element or an attribute value in quotes. */
    public static String esc(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A value as JSON that may stand inside a {@code <script type="application/json">} element. */
    public static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value).replace("<", "\\u003c").replace(">", "\\u003e")
                    .replace("&", "\\u0026").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a page's JSON", e);
        }
    }

    /** A whole document: {@code title}, the page's class on body, its body HTML and its script (or null). */
    public static String document(String title, String bodyClass, String body, String script) {
        return "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>" + esc(title) + "</title>\n"
                + "<link rel=\"stylesheet\" href=\"/assets/kulipa.css\">\n</head>\n"
                + "<body class=\"" + esc(bodyClass) + "\">\n" + body + "\n"
                + (script == null ? "" : "<script src=\"/assets/" + esc(script) + "\"></script>\n")
                + "</body>\n</html>\n";
    }

    /** Sends a page with the headers every page has. */
    public static void send(Context ctx, int status, String document) {
        headers(ctx);
        ctx.status(status).html(document);
    }

    /** The headers of every page and of every call a page's script makes. */
    public static void headers(Context ctx) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Cache-Control", "no-store");
    }

    /** A short page that says one thing, with an optional link (href, label). */
    public static String message(String title, String text, String href, String label) {
        String link = href == null ? "" : "<p><a class=\"button\" href=\"" + esc(href) + "\">" + esc(label) + "</a></p>";
        return document(title, "page", "<main class=\"card\">\n<h1>" + esc(title) + "</h1>\n<p>" + esc(text) + "</p>\n"
                + link + "\n</main>", null);
    }
}
