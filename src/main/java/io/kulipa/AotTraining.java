package io.kulipa;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The build's training run for the JVM's ahead-of-time cache (ADR 26). {@code mvn package} runs
 * {@code AotTraining <jar> <cache>} after the jar is shaded: it starts a second JVM with the
 * launcher's flags (those of {@code jvm.options}) and {@code -XX:AOTCacheOutput=<cache>}, which
 * starts the sandbox on a throw-away data directory, sends it what a client sends (deposits and
 * payouts in pawaPay's format, their status reads, webhooks to a local receiver), stops it, and at
 * its exit the JVM writes the cache: the classes that run loaded and linked, and its method
 * profiles. {@code ./kulipa} then starts with {@code -XX:AOTCache=<cache>}, so the first start of
 * a newly built jar no longer loads every class from the jar (and the first start on a machine
 * finds the embedded PostgreSQL's cluster template that the training made).
 *
 * <p>A failed training leaves no cache and does not fail the build: the launcher then falls back to
 * the class-data archive its first run makes (ADR 22), a slower start and nothing else.
 */
public final class AotTraining {

    /** Deposits the training sends; enough for the request path's methods to be profiled. */
    static final int DEPOSITS = 300;
    static final int PAYOUTS = 50;
    private static final String TOKEN = "aot-training-token";
    private static final Duration TRAINING_LIMIT = Duration.ofMinutes(5);

    private AotTraining() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--run")) {
            System.exit(run(Path.of(args[1])));
        }
        if (args.length != 2) {
            System.err.println("usage: AotTraining <jar> <cache>   (or --run <data directory>, the trained JVM)");
            System.exit(2);
        }
        Path jar = Path.of(args[0]);
        Path cache = Path.of(args[1]);
        Files.deleteIfExists(cache);
        Path data = cache.resolveSibling("aot-training");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(launcherFlags(Path.of("jvm.options")));
        command.add("-XX:AOTCacheOutput=" + cache);
        command.add("-Xlog:aot=error");
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(List.of("-cp", jar.toString(), AotTraining.class.getName(), "--run", data.toString()));
        long started = System.nanoTime();
        int exit;
        try {
            deleteTree(data);
            Process p = new ProcessBuilder(command).inheritIO().start();
            if (!p.waitFor(TRAINING_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                exit = -1;
            } else {
                exit = p.exitValue();
            }
        } finally {
            deleteTree(data);
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        if (exit == 0 && Files.isRegularFile(cache)) {
            System.out.printf("kulipa: AOT cache %s written in %d ms (%d MB)%n", cache, ms, Files.size(cache) >> 20);
        } else {
            Files.deleteIfExists(cache);
            System.out.printf("kulipa: WARNING: the AOT training run failed (exit %d after %d ms); no cache, "
                    + "./kulipa starts without it (slower)%n", exit, ms);
        }
    }

    /**
     * The flags {@code ./kulipa} gives the JVM from {@code jvm.options} (one per line, '#' starts a
     * comment), without the class-data archive's: the cache must be made under the collector and
     * heap it will run with.
     */
    static List<String> launcherFlags(Path options) throws IOException {
        List<String> flags = new ArrayList<>();
        if (!Files.isRegularFile(options)) {
            flags.addAll(List.of("-Xms256m", "-Xmx256m", "-XX:+UseSerialGC"));
            return flags;
        }
        for (String line : Files.readAllLines(options)) {
            int hash = line.indexOf('#');
            String flag = (hash < 0 ? line : line.substring(0, hash)).strip();
            if (!flag.isEmpty() && !flag.contains("SharedArchive") && !flag.contains("AOTCache")) {
                flags.add(flag);
            }
        }
        return flags;
    }

    /** The trained JVM: starts the sandbox, exercises it, stops it. 0 when every step answered as expected. */
    static int run(Path data) throws Exception {
        try (Receiver receiver = Receiver.start()) {
            Map<String, String> env = new HashMap<>();
            env.put("KULIPA_DATA_DIR", data.toString());
            env.put("KULIPA_PORT", "0");
            env.put("KULIPA_HOST", "127.0.0.1");
            env.put("KULIPA_BOOTSTRAP_TOKEN", TOKEN);
            env.put("KULIPA_BOOTSTRAP_CALLBACK_URL", receiver.url());
            env.put("KULIPA_BOOTSTRAP_WALLET_BALANCE", "1000000");
            env.put("KULIPA_SANDBOX_APPROVAL_DELAY", "20ms");
            env.put("KULIPA_DB_POOL_SIZE", "8");
            try (Kulipa kulipa = Kulipa.start(Settings.from(env, new String[0]))) {
                Exercise e = exercise(kulipa.port(), TOKEN, receiver);
                System.out.printf("kulipa: AOT training: %d deposits and %d payouts final, %d webhooks%n",
                        e.deposits(), e.payouts(), e.webhooks());
                return e.deposits() == DEPOSITS && e.payouts() == PAYOUTS ? 0 : 1;
            }
        }
    }

    record Exercise(int deposits, int payouts, int webhooks) {
    }

    /**
     * What the training sends a started gateway on {@code port}: health and document reads, then
     * deposits and payouts in pawaPay's format from the bootstrap merchant, read back until final
     * (for at most 60 s), and their webhooks awaited at {@code receiver}. Returns how many of each
     * became final and the webhooks received by then.
     */
    static Exercise exercise(int port, String token, Receiver receiver) throws Exception {
        expect(request(port, token, "GET", "/health", null), 200, "/health");
        List<String> deposits = new ArrayList<>();
        List<String> payouts = new ArrayList<>();
        for (int i = 0; i < DEPOSITS + PAYOUTS; i++) {
            String id = UUID.randomUUID().toString();
            String msisdn = String.format("2607630%05d", i);
            boolean payout = i >= DEPOSITS;
            String body = payout
                    ? "{\"payoutId\":\"" + id + "\",\"amount\":\"10\",\"currency\":\"ZMW\",\"correspondent\":\"MTN_MOMO_ZMB\","
                            + "\"recipient\":{\"type\":\"MSISDN\",\"address\":{\"value\":\"" + msisdn + "\"}},"
                            + "\"customerTimestamp\":\"2020-02-21T17:32:28Z\",\"statementDescription\":\"Training payout\"}"
                    : "{\"depositId\":\"" + id + "\",\"amount\":\"15\",\"currency\":\"ZMW\",\"correspondent\":\"MTN_MOMO_ZMB\","
                            + "\"payer\":{\"type\":\"MSISDN\",\"address\":{\"value\":\"" + msisdn + "\"}},"
                            + "\"customerTimestamp\":\"2020-02-21T17:32:28Z\",\"statementDescription\":\"Training deposit\"}";
            String path = payout ? "/payouts" : "/deposits";
            expect(request(port, token, "POST", path, body), 200, path);
            (payout ? payouts : deposits).add(id);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int finalDeposits = finals(port, token, "/deposits/", deposits, deadline);
        int finalPayouts = finals(port, token, "/payouts/", payouts, deadline);
        while (receiver.count() < finalDeposits + finalPayouts && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        expect(request(port, token, "GET", "/availability", null), 200, "/availability");
        expect(request(port, token, "GET", "/active-conf", null), 200, "/active-conf");
        return new Exercise(finalDeposits, finalPayouts, receiver.count());
    }

    private static int finals(int port, String token, String prefix, List<String> ids, long deadline) throws Exception {
        int finished = 0;
        for (String id : ids) {
            while (true) {
                Answer a = request(port, token, "GET", prefix + id, null);
                if (a.status() == 200 && (a.body().contains("\"COMPLETED\"") || a.body().contains("\"FAILED\""))) {
                    finished++;
                    break;
                }
                if (System.nanoTime() > deadline) {
                    return finished;
                }
                Thread.sleep(20);
            }
        }
        return finished;
    }

    record Answer(int status, String body) {
    }

    private static void expect(Answer a, int status, String what) {
        if (a.status() != status) {
            throw new IllegalStateException(what + " answered " + a.status() + ": " + a.body());
        }
    }

    /** One HTTP/1.1 request on its own connection (no client library: its classes would join the cache). */
    static Answer request(int port, String token, String method, String path, String body) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(30_000);
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + "Authorization: Bearer " + token + "\r\n"
                    + (body == null ? "" : "Content-Type: application/json\r\nContent-Length: " + content.length + "\r\n")
                    + "\r\n";
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int space = answer.indexOf(' ');
            if (!answer.startsWith("HTTP/1.1 ") || space < 0 || answer.length() < space + 4) {
                throw new IOException(method + " " + path + ": not an HTTP answer");
            }
            int status = Integer.parseInt(answer.substring(space + 1, space + 4));
            int split = answer.indexOf("\r\n\r\n");
            return new Answer(status, split < 0 ? "" : answer.substring(split + 4));
        }
    }

    /** The merchant's webhook receiver on a free loopback port: answers 200 to every request, counting them. */
    static final class Receiver implements AutoCloseable {
        private final ServerSocket server;
        private final AtomicInteger received = new AtomicInteger();

        private Receiver(ServerSocket server) {
            this.server = server;
        }

        static Receiver start() throws IOException {
            Receiver r = new Receiver(new ServerSocket(0, 64, InetAddress.getLoopbackAddress()));
            Thread.ofVirtual().start(r::accept);
            return r;
        }

        String url() {
            return "http://127.0.0.1:" + server.getLocalPort() + "/webhooks";
        }

        int count() {
            return received.get();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> answer(s));
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void answer(Socket s) {
            try (s) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                String head;
                while ((head = readHead(in)) != null) {
                    int length = 0;
                    for (String line : head.split("\r\n")) {
                        if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                            length = Integer.parseInt(line.substring(15).strip());
                        }
                    }
                    in.readNBytes(length);
                    received.incrementAndGet();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            } catch (IOException | RuntimeException gone) {
                // the gateway closed its pooled connection
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            head.append((char) c);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                return head.toString();
            }
        }
        return null;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
