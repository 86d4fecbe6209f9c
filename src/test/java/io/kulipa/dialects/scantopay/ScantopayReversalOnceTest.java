package io.kulipa.dialects.scantopay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.kulipa.dialects.scantopay.notifications.SweepingUnacknowledgedPurchases;
import io.kulipa.testing.ChildGateway;
import io.kulipa.testing.TestDatabase;
import io.kulipa.testing.TestGateway;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fail-safe reversal happens exactly once whatever happens to the nodes: a node killed
 * (SIGKILL) after sending the notification and before its acknowledgement, restarted on the same
 * database; two nodes that both run the sweep; and never when the merchant acknowledged in time.
 * "Once" is checked where the money is: one reversal payment, one credit at the issuer, the
 * merchant's wallet and the card back where they were, and the mirror transfer posted once.
 */
class ScantopayReversalOnceTest {

    static final String MSISDN = "27831234567";
    static final String LAST4 = "0002";
    static final String PASSWORD = "reversal-test-password";
    /** What the sandbox puts in the demo merchant's wallets at its first start. */
    static final BigDecimal SEEDED_WALLET = new BigDecimal("1000000");
    /** Short, so that the test does not wait 45 s; the sweep adds its grace and period. */
    static final Duration ACK_WINDOW = Duration.ofSeconds(3);
    /** After the window, the sweep's grace, two sweeps and a loaded machine: a duplicate would show. */
    static final Duration SETTLED = ACK_WINDOW.plus(SweepingUnacknowledgedPurchases.GRACE)
            .plus(SweepingUnacknowledgedPurchases.PERIOD.multipliedBy(3)).plusSeconds(2);

    /** A merchant's notification receiver: holds each request unanswered, refuses it, or answers 200. */
    enum Answer { HOLD, OK }

    private HttpServer receiver;
    private final AtomicInteger received = new AtomicInteger();
    private final List<AutoCloseable> nodes = new ArrayList<>();
    private ChildGateway child;

    @AfterEach
    void stop() throws Exception {
        if (child != null) {
            child.process().destroyForcibly();
        }
        for (AutoCloseable n : nodes.reversed()) {
            n.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    private String receive(Answer answer) throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.createContext("/notify", exchange -> {
            exchange.getRequestBody().readAllBytes();
            received.incrementAndGet();
            if (answer == Answer.HOLD) {
                try {
                    // Longer than the window and the sender's time-out: never an acknowledgement.
                    Thread.sleep(Duration.ofSeconds(30));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/notify";
    }

    private static Map<String, String> overrides(String notificationUrl) {
        Map<String, String> env = new HashMap<>();
        env.put("KULIPA_SCANTOPAY_ACK_WINDOW", ACK_WINDOW.toMillis() + "ms");
        env.put("KULIPA_BOOTSTRAP_SCANTOPAY_PASSWORD", PASSWORD);
        env.put("KULIPA_BOOTSTRAP_SCANTOPAY_NOTIFICATION_URL", notificationUrl);
        env.put("KULIPA_JOB_LEASE", "2s");
        env.put("KULIPA_BOOTSTRAP_WALLET_BALANCE", SEEDED_WALLET.toPlainString());
        return env;
    }

    private TestGateway node(String db, String notificationUrl) {
        TestGateway g = TestGateway.start(db, overrides(notificationUrl));
        nodes.add(g);
        return g;
    }

    private static RequestSpecification wig(int port) {
        return RestAssured.given().baseUri("http://127.0.0.1:" + port).auth().preemptive()
                .basic(ScantopayDialect.DEMO_USERNAME, PASSWORD).contentType("application/json");
    }

    private static String cardId(int port) {
        List<Map<String, Object>> cards = wig(port).get("/pluto/purchase/network/cards?msisdn=" + MSISDN).then()
                .statusCode(200).extract().path("cards");
        return cards.stream().filter(c -> LAST4.equals(c.get("last4"))).findFirst().orElseThrow().get("cardId")
                .toString();
    }

    private static BigDecimal cardBalance(int port) {
        List<Map<String, Object>> cards = wig(port).body(Map.of("msisdn", MSISDN))
                .post("/pluto/purchase/network/balance").then().statusCode(200).extract().path("cards");
        return new BigDecimal(cards.stream().filter(c -> LAST4.equals(c.get("last4"))).findFirst().orElseThrow()
                .get("balance").toString());
    }

    private static long buy(int port, String cardId, String reference) {
        return wig(port).body(Map.of("msisdn", MSISDN, "amount", new BigDecimal("10.00"), "merchantReference", reference,
                        "cardId", cardId)).post("/pluto/purchase/network").then().statusCode(200).extract().jsonPath()
                .getLong("transactionId");
    }

    private static String txState(int port, long txId) {
        return wig(port).get("/pluto/code/transaction/state/" + txId).then().statusCode(200).extract().path("txState");
    }

    private static long count(Jdbi jdbi, String sql, Object... args) {
        return jdbi.withHandle(h -> {
            var q = h.createQuery(sql);
            for (int i = 0; i < args.length; i++) {
                q.bind(i, args[i]);
            }
            return q.mapTo(Long.class).one();
        });
    }

    private static BigDecimal walletPosted(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("SELECT credits_posted - debits_posted FROM ledger_account "
                + "WHERE kind = 'MERCHANT_WALLET' AND currency = 'ZAR'").mapTo(BigDecimal.class).findOne()
                .orElse(BigDecimal.ZERO));
    }

    /** Each purchase was reversed once: one reversal payment, one issuer credit, one posted mirror. */
    private static void assertReversedOnce(Jdbi jdbi, int port, List<Long> txIds) {
        for (long txId : txIds) {
            String reversal = "reversal-" + txId;
            assertThat(count(jdbi, "SELECT count(*) FROM payment WHERE kind = 'REFUND' AND client_ref = ?", reversal))
                    .as("reversal payments of " + txId).isEqualTo(1);
            assertThat(count(jdbi, "SELECT count(*) FROM payment WHERE kind = 'REFUND' AND client_ref = ? "
                    + "AND state = 'COMPLETED'", reversal)).as("completed reversal of " + txId).isEqualTo(1);
            assertThat(count(jdbi, "SELECT count(*) FROM sim_card_authorisation a JOIN payment r "
                    + "ON a.reference = r.id::text WHERE r.client_ref = ? AND a.operation <> 'DEPOSIT' "
                    + "AND a.status = 'APPROVED'", reversal)).as("issuer credits of " + txId).isEqualTo(1);
            BigDecimal mirrored = jdbi.withHandle(h -> h.createQuery("SELECT coalesce(sum(t.amount), 0) FROM "
                            + "ledger_transfer t JOIN payment r ON t.payment_id = r.id WHERE r.client_ref = :c "
                            + "AND t.kind IN ('POSTED', 'POST_PENDING')").bind("c", reversal).mapTo(BigDecimal.class)
                    .one());
            assertThat(mirrored).as("mirror transfer of " + txId).isEqualByComparingTo("10.00");
            assertThat(txState(port, txId)).isEqualTo("END_REVERSED");
        }
    }

    @Test
    void aNodeKilledBetweenNotifyingAndTheAcknowledgementReversesOnceAfterItsRestart() throws Exception {
        String db = TestDatabase.newDatabase();
        String url = receive(Answer.HOLD);
        Map<String, String> env = TestGateway.settings(db);
        env.putAll(overrides(url));
        child = ChildGateway.spawn(env);
        String card = cardId(child.port());
        BigDecimal cardBefore = cardBalance(child.port());
        long txId = buy(child.port(), card, "killed-before-ack");
        // The notification is on the wire and its answer is held: the node dies right there.
        await().atMost(Duration.ofSeconds(20)).until(() -> received.get() >= 1);
        child.process().destroyForcibly();
        assertThat(child.process().waitFor(10, TimeUnit.SECONDS)).isTrue();

        TestGateway restarted = node(db, url);
        Jdbi jdbi = restarted.jdbi();
        await().atMost(Duration.ofSeconds(30)).until(() -> count(jdbi, "SELECT count(*) FROM payment WHERE kind = "
                + "'REFUND' AND client_ref = ? AND state = 'COMPLETED'", "reversal-" + txId) == 1);
        Thread.sleep(SETTLED.toMillis());
        assertReversedOnce(jdbi, restarted.port(), List.of(txId));
        assertThat(cardBalance(restarted.port())).isEqualByComparingTo(cardBefore);
        // The purchase's credit and its mirror: the wallet holds what the sandbox seeded, nothing more.
        assertThat(count(jdbi, "SELECT count(*) FROM ledger_transfer t JOIN payment p ON t.payment_id = p.id "
                + "WHERE p.client_ref = ? AND t.kind IN ('POSTED', 'POST_PENDING')", Long.toString(txId))).isEqualTo(1);
        assertThat(walletPosted(jdbi)).isEqualByComparingTo(SEEDED_WALLET);
    }

    @Test
    void twoNodesSweepingTheSameDatabaseReverseEachUnacknowledgedPurchaseOnce() throws Exception {
        String db = TestDatabase.newDatabase();
        String url = receive(Answer.HOLD);
        TestGateway a = node(db, url);
        TestGateway b = node(db, url);
        String card = cardId(a.port());
        BigDecimal cardBefore = cardBalance(a.port());
        BigDecimal walletBefore = walletPosted(a.jdbi());
        List<Long> txIds = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            txIds.add(buy(a.port(), card, "two-nodes-a-" + i));
            txIds.add(buy(b.port(), card, "two-nodes-b-" + i));
        }
        Jdbi jdbi = a.jdbi();
        await().atMost(Duration.ofSeconds(40)).until(() -> count(jdbi, "SELECT count(*) FROM payment WHERE kind = "
                + "'REFUND' AND client_ref LIKE 'reversal-%' AND state = 'COMPLETED'") == txIds.size());
        Thread.sleep(SETTLED.toMillis());
        assertReversedOnce(jdbi, b.port(), txIds);
        assertThat(cardBalance(b.port())).isEqualByComparingTo(cardBefore);
        assertThat(walletPosted(jdbi)).isEqualByComparingTo(walletBefore);
    }

    @Test
    void purchasesAcknowledgedInTimeAreNeverReversedByEitherNode() throws Exception {
        String db = TestDatabase.newDatabase();
        String url = receive(Answer.OK);
        TestGateway a = node(db, url);
        TestGateway b = node(db, url);
        String card = cardId(a.port());
        BigDecimal cardBefore = cardBalance(a.port());
        BigDecimal walletBefore = walletPosted(a.jdbi());
        List<Long> txIds = List.of(buy(a.port(), card, "acked-a"), buy(b.port(), card, "acked-b"));
        Jdbi jdbi = a.jdbi();
        await().atMost(Duration.ofSeconds(20)).until(() -> count(jdbi, "SELECT count(*) FROM callback_attempt "
                + "WHERE http_status = 200") >= txIds.size());
        Thread.sleep(SETTLED.toMillis());
        assertThat(count(jdbi, "SELECT count(*) FROM payment WHERE kind = 'REFUND'")).isZero();
        for (long txId : txIds) {
            assertThat(txState(b.port(), txId)).isEqualTo("SUCCESS");
        }
        assertThat(cardBalance(b.port())).isEqualByComparingTo(cardBefore.subtract(new BigDecimal("20.00")));
        assertThat(walletPosted(jdbi)).isEqualByComparingTo(walletBefore.add(new BigDecimal("20.00")));
    }
}
