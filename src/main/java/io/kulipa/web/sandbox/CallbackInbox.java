package io.kulipa.web.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.kulipa.web.Routes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A webhook receiver built into the sandbox, so that a new user can watch callbacks arrive
 * without running a server of their own: point a callback URL at
 * {@code /sandbox/callbacks/{name}} and read them back with GET. Kept in memory, bounded.
 */
public final class CallbackInbox implements Routes {

    private static final int MAX_INBOXES = 100;
    private static final int MAX_CALLBACKS_PER_INBOX = 500;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<String, Deque<Map<String, Object>>> inboxes = new LinkedHashMap<>();

    @Override
    public void register(RoutesConfig routes) {
        routes.post("/sandbox/callbacks/{name}", this::receive);
        routes.put("/sandbox/callbacks/{name}", this::receive);
        routes.get("/sandbox/callbacks/{name}", this::list);
    }

    private void receive(Context ctx) {
        String name = ctx.pathParam("name");
        if (!name.matches("^[A-Za-z0-9_-]{1,64}$")) {
            ctx.status(400).json(Map.of("errorMessage", "name: 1 to 64 letters, digits, '-' or '_'"));
            return;
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("receivedAt", Instant.now().toString());
        entry.put("method", ctx.method().name());
        // The header as sent: the servlet's content type checks the charset and throws for one the
        // JDK does not know.
        entry.put("contentType", ctx.header("Content-Type"));
        JsonNode body;
        try {
            body = MAPPER.readTree(ctx.bodyAsBytes());
        } catch (Exception e) {
            // The bytes as UTF-8, not ctx.body(), which decodes with the Content-Type's charset.
            body = MAPPER.getNodeFactory().textNode(new String(ctx.bodyAsBytes(), StandardCharsets.UTF_8));
        }
        entry.put("body", body);
        synchronized (inboxes) {
            if (!inboxes.containsKey(name) && inboxes.size() >= MAX_INBOXES) {
                inboxes.remove(inboxes.keySet().iterator().next());
            }
            Deque<Map<String, Object>> inbox = inboxes.computeIfAbsent(name, n -> new ArrayDeque<>());
            inbox.addFirst(entry);
            while (inbox.size() > MAX_CALLBACKS_PER_INBOX) {
                inbox.removeLast();
            }
        }
        ctx.status(200).json(Map.of("received", true));
    }

    private void list(Context ctx) {
        List<Map<String, Object>> copy;
        synchronized (inboxes) {
            copy = List.copyOf(inboxes.getOrDefault(ctx.pathParam("name"), new ArrayDeque<>()));
        }
        ctx.json(copy);
    }
}
