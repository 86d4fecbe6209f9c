package io.kulipa.callbacks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;

/** Sends one callback request through the {@link UrlGuard} (SSRF), with bounded waits and no redirects. */
public final class CallbackSender {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final int ERROR_MAX_CHARS = 500;

    private final UrlGuard guard;
    private final HttpClient http;

    public CallbackSender(UrlGuard guard) {
        this.guard = guard;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    }

    /**
     * What one request came to.
     *
     * @param httpStatus null when no HTTP answer came back
     * @param refused    the guard refused the URL, so nothing was sent and a retry would not help
     */
    public record Answer(Integer httpStatus, String error, long durationMillis, boolean refused) {
    }

    public Answer send(String url, String method, String jsonBody) {
        Optional<String> refusal = guard.refusal(url);
        if (refusal.isPresent()) {
            return new Answer(null, refusal.get(), 0, true);
        }
        long started = System.nanoTime();
        Integer status = null;
        String error = null;
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(jsonBody)).build();
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } catch (Exception e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        if (error != null && error.length() > ERROR_MAX_CHARS) {
            error = error.substring(0, ERROR_MAX_CHARS);
        }
        return new Answer(status, error, (System.nanoTime() - started) / 1_000_000, false);
    }
}
