package io.kulipa;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.kulipa.ledger.AccountRef;
import io.kulipa.ledger.Balance;
import io.kulipa.store.JdbiLedgerStore;
import io.kulipa.testing.CallbackReceiverExtension;
import io.kulipa.testing.OrphanRows;
import io.kulipa.testing.TestDatabase;
import io.kulipa.testing.ChildGateway;
import io.kulipa.testing.TestGateway;
import io.restassured.path.json.JsonPath;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Payouts and refunds survive a SIGKILL: a gateway process is killed while its payouts and
 * refunds are with the simulated operator, a second process on the same database finishes
 * every one of them, and afterwards the ledger is sound, no reservation is left open, the
 * merchant's wallet holds exactly what the final payments say, and the operator moved the
 * money of each payout once.
 */
class PayoutCrashTest {

    private static final BigDecimal OPENING_BALANCE = new BigDecimal("1000000");
    private static final BigDecimal SIM_WALLET_OPENING = new BigDecimal("1000000");
    private static final Duration FINISH_WITHIN = Duration.ofSeconds(90);

    private static final String MTN = "MTN_MOMO_ZMB";
    private static final String AIRTEL = "AIRTEL_OAPI_ZMB";
    /** Payout test numbers of the sandbox and the failure each one ends with. */
    private static final Map<String, String> FAILING_NUMBERS = Map.of(
            "260763456079", "RECIPIENT_NOT_FOUND",
            "260763456119", "OTHER_ERROR",
            "260973456089", "RECIPIENT_NOT_FOUND");

    @RegisterExtension
    static final CallbackReceiverExtension receiver = CallbackReceiverExtension.answeringOk();

    /** A gateway in its own JVM, so that it can be killed for real, with the tail of its log. */
    private static ChildGateway spawn(String dbUrl) throws Exception {
        return ChildGateway.spawnSlow(dbUrl, receiver.url("/callbacks"));
    }

    /** What a payout or refund was sent as, and how the sandbox must finish it. */
    private record Sent(String kind, String id, String msisdn, BigDecimal amount, String expectedStatus,
                        String expectedFailure) {
    }

    @Test
    void payoutsAndRefundsCutOffByAKillAreFinishedOnceByTheNextProcess() throws Exception {
        String dbUrl = TestDatabase.newDatabase();
        Jdbi jdbi = Jdbi.create(dbUrl, "postgres", "");
        ChildGateway first = spawn(dbUrl);
        ChildGateway second = null;
        Map<String, Sent> sent = new LinkedHashMap<>();
        try {
            // Completed deposits, so that there is something to refund.
            List<String> deposits = new ArrayList<>();
            Map<String, String> payerOf = new HashMap<>();
            String[] depositAmounts = {"250", "120.50", "80", "999.99"};
            for (int i = 0; i < depositAmounts.length; i++) {
                String payer = "26076350" + String.format("%04d", i);
                Map<String, Object> body = TestGateway.deposit(MTN, "ZMW", payer, depositAmounts[i]);
                first.merchant().body(body).post("/deposits").then().statusCode(200);
                deposits.add((String) body.get("depositId"));
                payerOf.put((String) body.get("depositId"), payer);
            }
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                for (String d : deposits) {
                    assertThat(status(first, "/deposits/", d)).as("deposit " + d).isEqualTo("COMPLETED");
                }
            });

            // First wave: some of it finishes before the kill.
            for (int i = 0; i < 15; i++) {
                sendPayout(first, i, sent);
            }
            sendRefund(first, deposits.get(0), payerOf, "100", sent);
            sendRefund(first, deposits.get(2), payerOf, "30", sent);
            Thread.sleep(800);
            // Second wave: still with the operator (1.5 s to approve) when the process dies.
            for (int i = 15; i < 30; i++) {
                sendPayout(first, i, sent);
            }
            sendRefund(first, deposits.get(0), payerOf, "150", sent);
            sendRefund(first, deposits.get(1), payerOf, null, sent);
            sendRefund(first, deposits.get(3), payerOf, "500", sent);
            // More than is left of the deposit: refused at the door, never part of the count.
            String tooMuch = first.merchant().body(Map.of("refundId", UUID.randomUUID().toString(),
                    "depositId", deposits.get(3), "amount", "600")).post("/refunds").then().statusCode(200)
                    .extract().path("status");
            assertThat(tooMuch).as("a refund of more than is left of the deposit").isEqualTo("REJECTED");
            Thread.sleep(400);

            first.process().destroyForcibly();
            assertThat(first.process().waitFor(10, TimeUnit.SECONDS)).as("killed gateway exited").isTrue();
            long unfinishedAtKill = count(jdbi, """
                    SELECT count(*) FROM payment WHERE kind IN ('PAYOUT', 'REFUND')
                    AND state NOT IN ('COMPLETED', 'FAILED')""");
            assertThat(unfinishedAtKill).as("payouts and refunds still in flight when the gateway was killed")
                    .isPositive();

            second = spawn(dbUrl);
            ChildGateway next = second;
            await().atMost(FINISH_WITHIN).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                for (Sent s : sent.values()) {
                    JsonPath p = next.merchant().get("/" + s.kind() + "s/" + s.id()).then().statusCode(200)
                            .extract().jsonPath();
                    assertThat(p.getString("[0].status")).as(s.kind() + " " + s.id() + " to " + s.msisdn())
                            .isEqualTo(s.expectedStatus());
                    if (s.expectedFailure() != null) {
                        assertThat(p.getString("[0].failureReason.failureCode")).as(s.kind() + " " + s.id())
                                .isEqualTo(s.expectedFailure());
                    }
                }
                Map<String, Set<String>> called = callbackStatuses();
                for (Sent s : sent.values()) {
                    assertThat(called.getOrDefault(s.id(), Set.of())).as("callbacks for " + s.kind() + " " + s.id())
                            .contains(s.expectedStatus());
                }
            });
        } catch (AssertionError | Exception e) {
            throw new AssertionError(e.getMessage() + "\n--- first gateway, last lines ---\n" + first.tail()
                    + (second == null ? "" : "\n--- second gateway, last lines ---\n" + second.tail()), e);
        } finally {
            first.process().destroyForcibly();
            if (second != null) {
                second.process().destroy();
                second.process().waitFor(20, TimeUnit.SECONDS);
            }
        }
        assertTheBooks(jdbi, sent);
    }

    private void assertTheBooks(Jdbi jdbi, Map<String, Sent> sent) {
        JdbiLedgerStore ledger = new JdbiLedgerStore(jdbi);
        assertThat(ledger.verify()).as("JdbiLedgerStore.verify()").isEmpty();
        assertThat(OrphanRows.in(jdbi)).as("OrphanRows").isEmpty();

        List<UUID> paymentIds = jdbi.withHandle(h -> h.createQuery(
                "SELECT id FROM payment WHERE kind IN ('PAYOUT', 'REFUND')").mapTo(UUID.class).list());
        assertThat(paymentIds).as("payouts and refunds in the database").hasSize(sent.size());
        for (UUID id : paymentIds) {
            assertThat(ledger.openReservation(id)).as("open reservation of final payment " + id).isEmpty();
        }
        assertThat(strings(jdbi, """
                SELECT p.kind || ' ' || p.client_ref || ' ' || p.state FROM ledger_transfer t
                JOIN payment p ON p.id = t.payment_id
                WHERE t.kind = 'PENDING' AND NOT EXISTS (SELECT 1 FROM ledger_transfer r WHERE r.pending_id = t.id)"""))
                .as("reservations left open").isEmpty();
        // Each payout and refund: one reservation, resolved once, the way its final state says.
        assertThat(strings(jdbi, """
                SELECT p.kind || ' ' || p.client_ref || ' ' || p.state || ': '
                       || string_agg(t.kind, ',' ORDER BY t.created_at)
                FROM payment p LEFT JOIN ledger_transfer t ON t.payment_id = p.id
                WHERE p.kind IN ('PAYOUT', 'REFUND')
                GROUP BY p.id, p.kind, p.client_ref, p.state
                HAVING count(*) FILTER (WHERE t.kind = 'PENDING') <> 1
                    OR count(*) FILTER (WHERE t.kind = CASE p.state WHEN 'COMPLETED' THEN 'POST_PENDING'
                                                                   ELSE 'VOID_PENDING' END) <> 1
                    OR count(t.id) <> 2"""))
                .as("payouts and refunds whose ledger transfers do not match their final state").isEmpty();
        assertThat(strings(jdbi, """
                SELECT p.kind || ' ' || p.client_ref || ' has ' || count(e.id) || ' final state changes'
                FROM payment p LEFT JOIN payment_event e ON e.payment_id = p.id
                     AND e.to_state IN ('COMPLETED', 'FAILED') AND e.from_state IS DISTINCT FROM e.to_state
                GROUP BY p.id, p.kind, p.client_ref HAVING count(e.id) <> 1""")).as("final state changes").isEmpty();

        // The wallet holds the opening balance, plus what completed deposits brought, less what
        // completed payouts and refunds took: nothing twice, nothing lost, nothing still reserved.
        UUID merchant = jdbi.withHandle(h -> h.createQuery("SELECT id FROM merchant WHERE name = 'Demo Merchant'")
                .mapTo(UUID.class).one());
        BigDecimal expected = jdbi.withHandle(h -> h.createQuery("""
                        SELECT :opening
                               + coalesce(sum(coalesce(processed_amount, amount)) FILTER (WHERE kind = 'DEPOSIT'), 0)
                               - coalesce(sum(amount) FILTER (WHERE kind IN ('PAYOUT', 'REFUND')), 0)
                        FROM payment WHERE merchant_id = :m AND country = 'ZMB' AND state = 'COMPLETED'""")
                .bind("opening", OPENING_BALANCE).bind("m", merchant).mapTo(BigDecimal.class).one());
        Balance wallet = ledger.balance(AccountRef.merchantWallet(merchant, "ZMB", "ZMW").code()).orElseThrow();
        assertThat(wallet.posted()).as("posted balance of the ZMW wallet").isEqualByComparingTo(expected);
        assertThat(wallet.reserved()).as("still reserved in the ZMW wallet").isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(wallet.available()).as("available balance of the ZMW wallet").isEqualByComparingTo(expected);
        BigDecimal completedOut = sent.values().stream().filter(s -> s.expectedStatus().equals("COMPLETED"))
                .map(Sent::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(completedOut).as("test precondition: some payouts and refunds completed").isPositive();

        // The operator's side: one transaction per payout and refund, in the same final state,
        // and each recipient credited exactly once.
        assertThat(strings(jdbi, """
                SELECT p.kind || ' ' || p.client_ref || ' has ' || count(s.reference) || ' operator transactions'
                FROM payment p LEFT JOIN sim_transaction s ON s.reference = p.id::text
                WHERE p.kind IN ('PAYOUT', 'REFUND')
                GROUP BY p.id, p.kind, p.client_ref HAVING count(s.reference) <> 1""")).as("operator transactions")
                .isEmpty();
        assertThat(strings(jdbi, """
                SELECT p.kind || ' ' || p.client_ref || ' is ' || p.state || ' but the operator says ' || s.status
                FROM payment p JOIN sim_transaction s ON s.reference = p.id::text
                WHERE p.kind IN ('PAYOUT', 'REFUND') AND s.status <> p.state""")).as("operator and gateway disagree")
                .isEmpty();
        Map<String, BigDecimal> simWallets = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT msisdn, balance FROM sim_wallet")
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getBigDecimal(2)))
                .forEach(e -> simWallets.put(e.getKey(), e.getValue())));
        for (Sent s : sent.values()) {
            if (s.kind().equals("payout") && s.expectedFailure() == null) {
                assertThat(simWallets.get(s.msisdn())).as("wallet of payout recipient " + s.msisdn())
                        .isEqualByComparingTo(SIM_WALLET_OPENING.add(s.amount()));
            }
        }
        Map<String, BigDecimal> refundedTo = new HashMap<>();
        sent.values().stream().filter(s -> s.kind().equals("refund"))
                .forEach(s -> refundedTo.merge(s.msisdn(), s.amount(), BigDecimal::add));
        Map<String, BigDecimal> paidBy = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT msisdn, amount FROM payment WHERE kind = 'DEPOSIT'")
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getBigDecimal(2)))
                .forEach(e -> paidBy.merge(e.getKey(), e.getValue(), BigDecimal::add)));
        refundedTo.forEach((payer, refunded) -> assertThat(simWallets.get(payer)).as("wallet of refunded payer " + payer)
                .isEqualByComparingTo(SIM_WALLET_OPENING.subtract(paidBy.get(payer)).add(refunded)));
    }

    private static void sendPayout(ChildGateway gateway, int i, Map<String, Sent> sent) {
        String correspondent = i % 2 == 0 ? MTN : AIRTEL;
        String msisdn;
        if (i % 5 == 0) {
            msisdn = "260763456079";
            correspondent = MTN;
        } else if (i % 7 == 3) {
            msisdn = "260763456119";
            correspondent = MTN;
        } else if (i % 6 == 4) {
            msisdn = "260973456089";
            correspondent = AIRTEL;
        } else {
            msisdn = (correspondent.equals(MTN) ? "26076351" : "26097351") + String.format("%04d", i);
        }
        BigDecimal amount = new BigDecimal(10 + i).add(new BigDecimal("0.25"));
        Map<String, Object> body = TestGateway.payout(correspondent, "ZMW", msisdn, amount.toPlainString());
        body.put("statementDescription", "Payout before a crash");
        String id = (String) body.get("payoutId");
        String status = gateway.merchant().body(body).post("/payouts").then().statusCode(200).extract().path("status");
        assertThat(status).as("payout " + i + " to " + msisdn).isEqualTo("ACCEPTED");
        String failure = FAILING_NUMBERS.get(msisdn);
        sent.put(id, new Sent("payout", id, msisdn, amount, failure == null ? "COMPLETED" : "FAILED", failure));
    }

    private static void sendRefund(ChildGateway gateway, String depositId, Map<String, String> payerOf, String amount,
                                   Map<String, Sent> sent) {
        String id = UUID.randomUUID().toString();
        Map<String, Object> body = new HashMap<>();
        body.put("refundId", id);
        body.put("depositId", depositId);
        if (amount != null) {
            body.put("amount", amount);
        }
        String status = gateway.merchant().body(body).post("/refunds").then().statusCode(200).extract().path("status");
        assertThat(status).as("refund of " + depositId).isEqualTo("ACCEPTED");
        BigDecimal value = new BigDecimal(amount != null ? amount : gateway.merchant().get("/refunds/" + id).then()
                .statusCode(200).extract().<String>path("[0].amount"));
        sent.put(id, new Sent("refund", id, payerOf.get(depositId), value, "COMPLETED", null));
    }

    private static String status(ChildGateway gateway, String path, String id) {
        return gateway.merchant().get(path + id).then().statusCode(200).extract().path("[0].status");
    }

    /** Every status each payment was called back with, by the merchant's id of the payment. */
    private static Map<String, Set<String>> callbackStatuses() {
        Map<String, Set<String>> byId = new HashMap<>();
        for (LoggedRequest r : receiver.findAll(postRequestedFor(urlEqualTo("/callbacks")))) {
            JsonPath body = JsonPath.from(r.getBodyAsString());
            for (String field : List.of("payoutId", "refundId", "depositId")) {
                String id = body.getString(field);
                if (id != null) {
                    byId.computeIfAbsent(id, k -> new HashSet<>()).add(body.getString("status"));
                }
            }
        }
        return byId;
    }

    private static long count(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private static List<String> strings(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(String.class).list());
    }
}
