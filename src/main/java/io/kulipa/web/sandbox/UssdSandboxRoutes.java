package io.kulipa.web.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.kulipa.money.Msisdn;
import io.kulipa.ussd.RunningUssdSession;
import io.kulipa.ussd.UssdSession;
import io.kulipa.web.Routes;
import io.kulipa.web.ToolRequests;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Dialling USSD codes on a virtual handset, for the phone page, scripts and tests:
 * {@code POST /sandbox/ussd/sessions} with {@code {"msisdn", "serviceCode"}} opens a session and
 * shows the application's first screen; {@code POST .../{sessionId}/input} with {@code {"input"}}
 * answers it; {@code DELETE .../{sessionId}} hangs up. The customer's inputs are never shown back.
 */
public final class UssdSandboxRoutes implements Routes {

    /** The phone's history lists at most this many sessions. */
    public static final int HISTORY_MAX = 20;

    private final RunningUssdSession sessions;

    public UssdSandboxRoutes(RunningUssdSession sessions) {
        this.sessions = sessions;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post("/sandbox/ussd/sessions", this::dial);
        routes.get("/sandbox/ussd/sessions", this::history);
        routes.get("/sandbox/ussd/sessions/{sessionId}", ctx -> sessions.find(ctx.pathParam("sessionId"))
                .ifPresentOrElse(s -> ctx.json(view(s)), () -> ctx.status(404).json(Map.of("errorMessage",
                        "sessionId: no USSD session has this id"))));
        routes.post("/sandbox/ussd/sessions/{sessionId}/input", this::input);
        routes.delete("/sandbox/ussd/sessions/{sessionId}", ctx -> answer(ctx,
                sessions.hangUp(ctx.pathParam("sessionId")), 200));
    }

    private void dial(Context ctx) {
        Optional<JsonNode> read = ToolRequests.body(ctx);
        if (read.isEmpty()) {
            return;
        }
        JsonNode body = read.get();
        for (String field : new String[] {"msisdn", "serviceCode"}) {
            if (!body.path(field).isTextual()) {
                ctx.status(400).json(Map.of("errorMessage", field + ": is required as a string"));
                return;
            }
        }
        answer(ctx, sessions.dial(body.get("msisdn").asText(), body.get("serviceCode").asText()), 201);
    }

    private void input(Context ctx) {
        Optional<JsonNode> read = ToolRequests.body(ctx);
        if (read.isEmpty()) {
            return;
        }
        JsonNode input = read.get().get("input");
        if (input == null || !input.isTextual()) {
            ctx.status(400).json(Map.of("errorMessage", "input: is required as a string"));
            return;
        }
        answer(ctx, sessions.respond(ctx.pathParam("sessionId"), input.asText()), 200);
    }

    private void history(Context ctx) {
        String msisdn = ctx.queryParam("msisdn");
        if (!Msisdn.isWellFormed(msisdn)) {
            ctx.status(400).json(Map.of("errorMessage",
                    "msisdn: is required, digits only with the country code, no '+' and no leading 0"));
            return;
        }
        ctx.json(Map.of("sessions", sessions.sessionsOf(msisdn, HISTORY_MAX).stream().map(this::view).toList()));
    }

    private void answer(Context ctx, RunningUssdSession.Outcome o, int shownStatus) {
        switch (o.kind()) {
            case SHOWN -> ctx.status(shownStatus).json(view(o.session()));
            case BAD_REQUEST -> ctx.status(400).json(Map.of("errorMessage", o.message()));
            case NO_APPLICATION, NO_SUCH_SESSION -> ctx.status(404).json(Map.of("errorMessage", o.message()));
            case BUSY -> ctx.status(409).json(Map.of("errorMessage", o.message()));
            case CLOSED -> {
                Map<String, Object> out = new LinkedHashMap<>(view(o.session()));
                out.put("errorMessage", o.message());
                ctx.status(409).json(out);
            }
        }
    }

    private Map<String, Object> view(UssdSession s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sessionId", s.id());
        out.put("serviceCode", s.serviceCode());
        out.put("msisdn", s.msisdn());
        out.put("networkCode", s.networkCode());
        out.put("state", s.state().name());
        out.put("awaitingInput", s.state() == UssdSession.State.OPEN);
        out.put("screen", s.screen());
        out.put("error", s.error());
        out.put("steps", s.steps());
        out.put("created", s.created().toString());
        out.put("updated", s.updated().toString());
        if (s.state() == UssdSession.State.OPEN) {
            out.put("expiresAt", s.updated().plus(sessions.timing().sessionTimeout()).toString());
        }
        return out;
    }
}
