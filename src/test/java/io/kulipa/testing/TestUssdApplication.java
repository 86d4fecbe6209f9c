package io.kulipa.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A small USSD application of the tests' own, in Africa's Talking's protocol, on loopback:
 * {@code /menu} is a two-level menu (1 balance, 2 send money: number then amount); {@code /garbage},
 * {@code /error}, {@code /long}, {@code /slow} and {@code /loop} misbehave as they are named.
 * Every form it receives is kept, in order.
 */
public final class TestUssdApplication implements AutoCloseable {

    private final HttpServer server;
    private final List<Map<String, String>> received = new CopyOnWriteArrayList<>();

    private TestUssdApplication(HttpServer server) {
        this.server = server;
    }

    public static TestUssdApplication start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            TestUssdApplication app = new TestUssdApplication(server);
            server.createContext("/", app::handle);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return app;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<Map<String, String>> received() {
        return List.copyOf(received);
    }

    public void clear() {
        received.clear();
    }

    private void handle(HttpExchange x) throws IOException {
        Map<String, String> form = form(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        form.put("_contentType", String.valueOf(x.getRequestHeaders().getFirst("Content-Type")));
        received.add(form);
        String path = x.getRequestURI().getPath();
        int status = 200;
        String body = switch (path) {
            case "/menu" -> menu(form.getOrDefault("text", ""));
            case "/garbage" -> "<html>Welcome</html>";
            case "/error" -> {
                status = 500;
                yield "CON oops";
            }
            case "/long" -> "CON " + "x".repeat(200);
            case "/slow" -> {
                sleep(3_000);
                yield "END too late";
            }
            case "/loop" -> "CON step " + form.getOrDefault("text", "").split("\\*").length;
            default -> {
                status = 404;
                yield "no such app";
            }
        };
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "text/plain");
        x.sendResponseHeaders(status, bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }

    private static String menu(String text) {
        String[] in = text.isEmpty() ? new String[0] : text.split("\\*", -1);
        if (in.length == 0) {
            return "CON Welcome\n1. Balance\n2. Send money";
        }
        if (in[0].equals("1")) {
            return "END Your balance is 42.00";
        }
        if (!in[0].equals("2")) {
            return "END Invalid choice";
        }
        return switch (in.length) {
            case 1 -> "CON Enter number";
            case 2 -> "CON Enter amount for " + in[1];
            default -> "END Sent " + in[2] + " to " + in[1];
        };
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
