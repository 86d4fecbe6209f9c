package io.kulipa.web.sandbox.demo;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.kulipa.ussd.RegisteringUssdApplication;
import io.kulipa.ussd.RunningUssdSession;
import io.kulipa.ussd.UssdSession;
import io.kulipa.web.Routes;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in demo USSD application, served and registered in the sandbox: its callback
 * endpoint ({@link #PATH}, Africa's Talking's form POST answered with {@code CON }/{@code END }
 * text) runs {@link DemoUssdApplication} over the WIG API of this gateway, called over HTTP with
 * the demo merchant's Scan to Pay credentials ({@link HttpWigApi}); {@link #start} registers it on
 * {@link #SERVICE_CODE} once the server listens.
 *
 * <p>The endpoint answers only steps of the gateway's own sessions on the demo's code (the
 * session open, its number and its inputs those of the call), so that nobody can pay with a
 * customer's card by posting a form to it.
 */
public final class DemoUssd implements Routes {

    private static final Logger LOG = LoggerFactory.getLogger(DemoUssd.class);
    /**
     * The demo's service code. Not {@code *120*777#}, the code the guides use for a merchant's
     * own application, so that following them never finds the code taken.
     */
    public static final String SERVICE_CODE = "*120*100#";
    /** The demo's callback endpoint on this gateway. */
    public static final String PATH = "/sandbox/ussd/demo";
    /** The application's name; an application of this name and merchant on the code is the demo's own. */
    public static final String NAME = "Kulipa demo (Scan to Pay)";

    /** No field of the gateway's is longer: {@code text} holds at most 30 inputs of 182 characters and their separators. */
    static final int FIELD_MAX_CHARS = RunningUssdSession.STEPS_MAX * (RunningUssdSession.INPUT_MAX_CHARS + 1);
    /** The most of a step's form that is read: every field at its longest, each character %-escaped as UTF-8. */
    static final int BODY_MAX_BYTES = 64 * 1024;

    private final RunningUssdSession sessions;
    private final RegisteringUssdApplication registering;
    private volatile DemoUssdApplication application;
    private volatile UUID applicationId;

    public DemoUssd(RunningUssdSession sessions, RegisteringUssdApplication registering) {
        this.sessions = sessions;
        this.registering = registering;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post(PATH, this::step);
    }

    /**
     * Serves the demo over the WIG API at {@code gateway}{@code /pluto} as the merchant of these
     * Scan to Pay credentials and registers it on its code, or points the demo's registration
     * of an earlier start at this gateway. Answers the banner line.
     *
     * @param gateway this gateway's base URL as the gateway itself reaches it, such as {@code http://127.0.0.1:8080}
     */
    public String start(URI gateway, String username, String password, UUID merchantId) {
        String base = gateway.toString().replaceAll("/+$", "");
        RegisteringUssdApplication.Result r = registering.registerOrRepoint(SERVICE_CODE, base + PATH, NAME, merchantId);
        return switch (r) {
            case RegisteringUssdApplication.Result.Registered ok -> {
                application = new DemoUssdApplication(new HttpWigApi(URI.create(base + "/pluto"), username, password));
                applicationId = ok.application().id();
                LOG.info("the demo USSD application answers {} at {}", SERVICE_CODE, base + PATH);
                yield "dial " + SERVICE_CODE + " on a phone, such as /sandbox/phone/27831234567 (its test cards pay)";
            }
            case RegisteringUssdApplication.Result.CodeTaken taken -> {
                LOG.warn("the demo USSD application is not registered: {}", taken.message());
                yield "not registered: " + SERVICE_CODE + " belongs to another application";
            }
            case RegisteringUssdApplication.Result.Refused refused -> {
                LOG.warn("the demo USSD application is not registered: {}", refused.message());
                yield "not registered: " + refused.message();
            }
        };
    }

    private void step(Context ctx) {
        ctx.contentType("text/plain; charset=utf-8");
        DemoUssdApplication app = application;
        if (app == null) {
            ctx.status(503).result("END The demo USSD application is not running on this gateway.");
            return;
        }
        Map<String, String> form = form(ctx.bodyAsBytes());
        String sessionId = form.get("sessionId");
        String phoneNumber = form.get("phoneNumber");
        String text = form.getOrDefault("text", "");
        if (sessionId == null || phoneNumber == null) {
            ctx.status(400).result("END sessionId and phoneNumber are required (Africa's Talking's form fields).");
            return;
        }
        Optional<UssdSession> session = sessions.find(sessionId);
        if (session.isEmpty() || !ours(session.get(), phoneNumber, text)) {
            ctx.status(403).result("END This demo answers only the steps of the gateway's own sessions on "
                    + SERVICE_CODE + ".");
            return;
        }
        ctx.result(app.answer(sessionId, phoneNumber, text));
    }

    /**
     * The fields of a form body, read as UTF-8 whatever charset the request names (Africa's
     * Talking sends UTF-8); the first of a repeated field wins; a field that does not decode, or
     * is longer than {@link #FIELD_MAX_CHARS}, is left out.
     */
    static Map<String, String> form(byte[] body) {
        Map<String, String> out = new HashMap<>();
        if (body.length > BODY_MAX_BYTES) {
            return out;
        }
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                if (value.length() <= FIELD_MAX_CHARS) {
                    out.putIfAbsent(name, value);
                }
            } catch (IllegalArgumentException e) {
                // a malformed %-escape: not one of the gateway's fields
            }
        }
        return out;
    }

    /** Whether the call is the step the gateway is making now: the session open, on the demo, with these inputs. */
    private boolean ours(UssdSession s, String phoneNumber, String text) {
        return s.state() == UssdSession.State.OPEN && s.applicationId().equals(applicationId)
                && phoneNumber.equals("+" + s.msisdn()) && String.join("*", s.inputs()).equals(text);
    }
}
