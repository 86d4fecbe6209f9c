package io.kulipa.testing;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A whole gateway in a JVM of its own, so that a test can kill it for real (SIGKILL). */
public record ChildGateway(Process process, int port, Deque<String> output) {

    private static final Pattern LISTENING = Pattern.compile("Kulipa is listening on port (\\d+)");
    private static final int OUTPUT_LINES_KEPT = 200;
    private static final int START_TIMEOUT_SECONDS = 60;

    /**
     * A gateway for crash tests: customers take 1.5 s to approve, so that work is in flight when
     * the test kills it, and a 2 s job lease, so that the next process takes over quickly.
     */
    public static ChildGateway spawnSlow(String dbUrl, String callbackUrl) throws Exception {
        Map<String, String> env = TestGateway.settings(dbUrl);
        env.put("KULIPA_BOOTSTRAP_CALLBACK_URL", callbackUrl);
        env.put("KULIPA_SANDBOX_APPROVAL_DELAY", "1500ms");
        env.put("KULIPA_JOB_LEASE", "2s");
        return spawn(env);
    }

    /** Starts {@code io.kulipa.Kulipa} with these KULIPA_* variables and waits until it listens. */
    public static ChildGateway spawn(Map<String, String> env) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-cp", classpath, "io.kulipa.Kulipa")
                .redirectErrorStream(true);
        pb.environment().putAll(env);
        Process process = pb.start();
        Deque<String> output = new ConcurrentLinkedDeque<>();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    output.addLast(line);
                    while (output.size() > OUTPUT_LINES_KEPT) {
                        output.pollFirst();
                    }
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (Exception e) {
                port.completeExceptionally(e);
            }
            port.completeExceptionally(new IllegalStateException("gateway exited before listening:\n"
                    + String.join("\n", output)));
        });
        try {
            return new ChildGateway(process, port.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS), output);
        } catch (Exception e) {
            // A gateway that never said it listens is not left running behind a failed test
            // (one such orphan kept a core busy for minutes on a shared machine).
            process.destroyForcibly();
            throw e;
        }
    }

    /** A request to this gateway as the demo merchant. */
    public RequestSpecification merchant() {
        return RestAssured.given().baseUri("http://127.0.0.1:" + port).contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + TestGateway.DEMO_TOKEN);
    }

    /** The last lines the gateway printed, for failure messages. */
    public String tail() {
        return String.join("\n", output);
    }
}
