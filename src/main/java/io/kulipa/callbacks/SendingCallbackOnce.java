package io.kulipa.callbacks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Sends a callback once, with no retry (MoMo's way), through the same SSRF guard as every
 * webhook, and records the attempt whatever came of it.
 */
public final class SendingCallbackOnce {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final int ERROR_MAX_CHARS = 500;

    private final UrlGuard guard;
    private final CallbackAttempts attempts;
    private final HttpClient http;

    public SendingCallbackOnce(UrlGuard guard, CallbackAttempts attempts) {
        this.guard = guard;
        this.attempts = attempts;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** What one attempt came to: the HTTP status, or the error (a refusal of the URL included). */
    public record Attempt(Integer httpStatus, String error, long durationMillis) {
    }

    /** Sends once and records the attempt in the shared callback record. @param method PUT or POST */
    public void send(String subject, String subjectId, String url, String method, String jsonBody) {
        Attempt a = attempt(url, method, jsonBody);
        attempts.record(subject, subjectId, url, method, a.httpStatus(), a.error(), a.durationMillis());
    }

    /** Sends once through the guard and says what came of it; the caller records it where it keeps attempts. */
    public Attempt attempt(String url, String method, String jsonBody) {
        long started = System.nanoTime();
        Integer status = null;
        String error = null;
        Optional<String> refused = guard.refusal(url);
        if (refused.isPresent()) {
            error = refused.get();
        } else {
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT)
                        .header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(jsonBody)).build();
                status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (java.io.IOException | IllegalArgumentException e) {
                error = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                error = "interrupted";
            }
        }
        if (error != null && error.length() > ERROR_MAX_CHARS) {
            error = error.substring(0, ERROR_MAX_CHARS);
        }
        return new Attempt(status, error, refused.isPresent() ? 0 : (System.nanoTime() - started) / 1_000_000);
    }
}
