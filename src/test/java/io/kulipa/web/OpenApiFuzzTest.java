package io.kulipa.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.kulipa.testing.GatewayExtension;
import io.kulipa.testing.TestGateway;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Malformed requests to every operation of every OpenAPI document the gateway lists on
 * {@code /docs}, generated from the documents with a seeded random (see {@link RequestGenerator}
 * and {@link Mutations}). No request may answer 5xx or go unanswered, no request that is refused
 * may leave a row behind, and the gateway must be healthy and take a deposit afterwards.
 *
 * <p>The seed is printed; {@code -Dkulipa.fuzz.seed=N} repeats a run or tries another, and
 * {@code -Dkulipa.fuzz.requests=N} and {@code -Dkulipa.fuzz.seconds=N} change the bounds;
 * {@code -Dkulipa.fuzz.verbose=true} prints the statuses each operation answered.
 */
class OpenApiFuzzTest {

    static final long DEFAULT_SEED = 20_261_202L;
    static final int DEFAULT_MAX_REQUESTS = 3_000;
    static final Duration DEFAULT_MAX_DURATION = Duration.ofSeconds(90);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** A request whose connection closes before an answer is sent this many times in all. */
    static final int MAX_ATTEMPTS = 2;
    static final int MAX_REPORTED_FAILURES = 60;
    static final int MAX_SHOWN_BODY_CHARS = 200;

    /**
     * Known 5xx answers left out of the assertion, each with its reason: an operation
     * ({@code METHOD /template}) and a phrase of the mutation's description. Empty means every
     * 5xx fails the test.
     */
    static final List<KnownDefect> KNOWN_5XX = List.of();

    record KnownDefect(String operation, String mutationContains, String why) {
        boolean matches(FuzzRequest r) {
            return operation.equals(r.operation.toString()) && r.mutation.contains(mutationContains);
        }
    }

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.withSettings(FuzzCredentials.SETTINGS);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(REQUEST_TIMEOUT).build();

    @Test
    void malformedRequestsToEveryDocumentedOperationAnswerWithoutServerErrorsOrWrites() throws Exception {
        long seed = Long.getLong("kulipa.fuzz.seed", DEFAULT_SEED);
        int maxRequests = Integer.getInteger("kulipa.fuzz.requests", DEFAULT_MAX_REQUESTS);
        Duration maxDuration = Duration.ofSeconds(Long.getLong("kulipa.fuzz.seconds", DEFAULT_MAX_DURATION.toSeconds()));
        System.out.println("OpenApiFuzzTest: seed " + seed + " (repeat with -Dkulipa.fuzz.seed=" + seed + "), at most "
                + maxRequests + " requests or " + maxDuration.toSeconds() + " s");

        List<ApiOperation> operations = documentedOperations();
        RequestGenerator generator = new RequestGenerator(new Random(seed), FuzzCredentials.of(gateway.get()));
        RowCensus census = new RowCensus(gateway.jdbi());
        System.out.println("OpenApiFuzzTest: counting the rows of " + census.count().keySet());

        List<String> failures = new ArrayList<>();
        List<String> excused = new ArrayList<>();
        List<String> resent = new ArrayList<>();
        Map<String, Integer> sent = new LinkedHashMap<>();
        Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        Map<String, Map<Integer, Integer>> byOperation = new LinkedHashMap<>();
        Map<String, Long> rows = census.count();
        long deadline = System.nanoTime() + maxDuration.toNanos();
        int n = 0;
        for (; n < maxRequests && System.nanoTime() < deadline; n++) {
            // Round robin, so that every operation is reached early whatever bound stops the run.
            ApiOperation op = operations.get(n % operations.size());
            FuzzRequest request = generator.next(op);
            Answer answer = send(request);
            sent.merge(op.toString(), 1, Integer::sum);
            statuses.merge(answer.status(), 1, Integer::sum);
            byOperation.computeIfAbsent(op.toString(), k -> new java.util.TreeMap<>()).merge(answer.status(), 1,
                    Integer::sum);
            Map<String, Long> now = census.count();
            Map<String, Long> grown = RowCensus.growth(rows, now);
            rows = now;
            if (answer.attempts() > 1) {
                resent.add(report(request, answer));
            }
            if (answer.status() >= 500 || answer.status() < 0) {
                KnownDefect known = KNOWN_5XX.stream().filter(k -> k.matches(request)).findFirst().orElse(null);
                (known == null ? failures : excused).add(report(request, answer));
            }
            if (!grown.isEmpty() && (answer.status() < 200 || answer.status() > 299)) {
                failures.add(request.describe() + " -> " + answer.status() + " but wrote rows " + grown);
            }
        }
        System.out.println("OpenApiFuzzTest: " + n + " requests to " + operations.size() + " operations, statuses "
                + statuses + (excused.isEmpty() ? "" : ", known 5xx left out: " + excused.size()));
        if (Boolean.getBoolean("kulipa.fuzz.verbose")) {
            byOperation.forEach((op, counts) -> System.out.println("  " + op + " " + counts));
        }
        excused.stream().limit(MAX_REPORTED_FAILURES).forEach(e -> System.out.println("  known: " + e));
        resent.stream().limit(MAX_REPORTED_FAILURES).forEach(e -> System.out.println("  sent twice: " + e));

        assertThat(sent.keySet()).as("every documented operation was fuzzed")
                .containsExactlyInAnyOrderElementsOf(operations.stream().map(ApiOperation::toString).collect(
                        Collectors.toCollection(java.util.LinkedHashSet::new)));
        assertThat(failures).as(failures.size() + " failing requests (seed " + seed + "):\n"
                + String.join("\n", failures.subList(0, Math.min(failures.size(), MAX_REPORTED_FAILURES))))
                .isEmpty();
        assertStillHealthy();
    }

    /** The operations of every document the docs page lists; that list includes every dialect's. */
    private List<ApiOperation> documentedOperations() throws IOException, InterruptedException {
        String page = get("/docs/index.html");
        List<String> documents = ApiDocuments.listed(page);
        assertThat(documents).as("documents on /docs").contains("pawapay-v1.yaml", "kulipa-sandbox-ops.yaml");
        List<ApiOperation> operations = new ArrayList<>();
        for (String name : documents) {
            List<ApiOperation> ops = ApiDocuments.operations(name, get("/openapi/" + name));
            assertThat(ops).as(name).isNotEmpty();
            operations.addAll(ops);
        }
        System.out.println("OpenApiFuzzTest: " + documents.size() + " documents " + documents + ", "
                + operations.size() + " operations");
        return operations;
    }

    private String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                .timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    /** A status, or -1 with a reason when the gateway did not answer; and how many sends it took. */
    record Answer(int status, String body, int attempts) {
    }

    private Answer send(FuzzRequest request) throws InterruptedException {
        byte[] body = request.bodyBytes();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + request.target()))
                .timeout(REQUEST_TIMEOUT)
                .method(request.operation.method(), body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        request.headers.forEach(b::header);
        if (request.contentType != null && body != null) {
            b.header("Content-Type", request.contentType);
        }
        HttpRequest built = b.build();
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<byte[]> response = http.send(built, HttpResponse.BodyHandlers.ofByteArray());
                return new Answer(response.statusCode(), new String(response.body(), StandardCharsets.UTF_8), attempt);
            } catch (HttpTimeoutException e) {
                return new Answer(-1, "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s", attempt);
            } catch (IOException e) {
                // The gateway closes a connection after refusing some requests (a body above the cap,
                // a path Jetty will not route), and the client may have been about to reuse it: the
                // request is sent once more, and only a second failure counts as no answer.
                if (attempt >= MAX_ATTEMPTS) {
                    return new Answer(-1, "connection closed " + attempt + " times: " + e.getClass().getSimpleName(),
                            attempt);
                }
            }
        }
    }

    private static String report(FuzzRequest request, Answer answer) {
        String body = answer.body().replace("\n", " ");
        return request.describe() + " -> " + answer.status() + " "
                + (body.length() > MAX_SHOWN_BODY_CHARS ? body.substring(0, MAX_SHOWN_BODY_CHARS) : body);
    }

    private void assertStillHealthy() throws IOException, InterruptedException {
        get("/health");
        // A documented request may have closed the correspondent or put its operator in an outage
        // on purpose; both are reset so that the deposit tests the gateway, not the fuzz's knobs.
        gateway.as(TestGateway.ADMIN_TOKEN).body("{\"status\": null}").put("/ops/availability/MTN_MOMO_ZMB/DEPOSIT")
                .then().statusCode(200);
        gateway.anonymous().body("{\"outage\": false, \"loseCallbacks\": false}").put("/sandbox/operators/MTN_MOMO_ZMB")
                .then().statusCode(200);
        gateway.postDeposit(TestGateway.deposit()).then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("ACCEPTED"));
    }

}
