package io.kulipa.dialects.pawapay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.kulipa.testing.GatewayExtension;
import io.kulipa.testing.OrphanRows;
import io.kulipa.testing.TestGateway;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A depositId makes one payment, whatever is sent again with it, however many at once. */
class IdempotencyTest {

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.withDefaults();

    private long paymentRows(String depositId) {
        return gateway.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM payment WHERE client_ref = :r")
                .bind("r", depositId).mapTo(Long.class).one());
    }

    /**
     * The payment's job rows by kind once it is final. Its one SUBMIT job becomes its status check
     * when the operator answers, and that check its webhook when the outcome comes (issue 14,
     * ADR 25 and 27): a second SUBMIT would be left as a SUBMIT row, settled for nothing.
     */
    private Map<String, Long> jobKindsOnceFinal(String depositId) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        while (!"COMPLETED".equals(gateway.jdbi().withHandle(h -> h.createQuery(
                        "SELECT state FROM payment WHERE client_ref = :r").bind("r", depositId).mapTo(String.class).one()))
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Map<String, Long> kinds = new java.util.TreeMap<>();
        gateway.jdbi().useHandle(h -> h.createQuery("""
                        SELECT o.kind, count(*) AS n FROM outbox o JOIN payment p ON p.id = o.payment_id
                        WHERE p.client_ref = :r GROUP BY o.kind""")
                .bind("r", depositId).map((rs, ctx) -> Map.entry(rs.getString("kind"), rs.getLong("n")))
                .forEach(e -> kinds.put(e.getKey(), e.getValue())));
        return kinds;
    }

    @Test
    void fiftyConcurrentPostsOfOneDepositIdMakeExactlyOnePayment() throws Exception {
        Map<String, Object> body = TestGateway.deposit();
        String id = (String) body.get("depositId");
        List<Callable<String>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            calls.add(() -> gateway.postDeposit(body).then().statusCode(200).extract().path("status"));
        }
        List<String> statuses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(50)) {
            for (Future<String> f : pool.invokeAll(calls)) {
                statuses.add(f.get());
            }
        }
        assertThat(statuses).containsOnly("ACCEPTED", "DUPLICATE_IGNORED");
        assertThat(statuses.stream().filter("ACCEPTED"::equals).count()).isEqualTo(1);
        assertThat(paymentRows(id)).isEqualTo(1);
        Map<String, Long> kinds = jobKindsOnceFinal(id);
        assertThat(kinds).doesNotContainKey("SUBMIT").containsEntry("WEBHOOK", 1L);
        // A status check already claimed when the outcome came is closed beside the webhook's own row.
        assertThat(kinds.getOrDefault("CHECK", 0L)).isLessThanOrEqualTo(1L);
        assertThat(OrphanRows.in(gateway.jdbi())).isEmpty();
    }

    @Test
    void aRepeatWithAnotherBodyIsIgnoredAndRecordedOnTheOriginal() {
        Map<String, Object> body = TestGateway.deposit();
        String id = (String) body.get("depositId");
        String created = gateway.postDeposit(body).then().body("status", equalTo("ACCEPTED")).extract().path("created");

        gateway.postDeposit(body).then().statusCode(200).body("status", equalTo("DUPLICATE_IGNORED"))
                .body("created", equalTo(created));
        Map<String, Object> other = new java.util.HashMap<>(body);
        other.put("amount", "999");
        gateway.postDeposit(other).then().statusCode(200).body("status", equalTo("DUPLICATE_IGNORED"));
        Map<String, Object> invalid = new java.util.HashMap<>(body);
        invalid.put("amount", "not money");
        gateway.postDeposit(invalid).then().statusCode(200).body("status", equalTo("DUPLICATE_IGNORED"));

        gateway.merchant().get("/deposits/" + id).then().body("[0].requestedAmount", equalTo("15"));
        assertThat(paymentRows(id)).isEqualTo(1);
        List<String> events = gateway.jdbi().withHandle(h -> h.createQuery("""
                        SELECT e.event FROM payment_event e JOIN payment p ON p.id = e.payment_id
                        WHERE p.client_ref = :r ORDER BY e.id""").bind("r", id).mapTo(String.class).list());
        assertThat(events).contains("REPEAT_SAME_BODY_IGNORED");
        assertThat(events.stream().filter("REPEAT_DIFFERENT_BODY_IGNORED"::equals).count()).isEqualTo(2);
    }

    @Test
    void anotherMerchantCanNeitherSeeNorTouchTheDeposit() {
        String otherToken = gateway.as(TestGateway.ADMIN_TOKEN).body(Map.of("name", "Other Shop " + System.nanoTime()))
                .post("/ops/merchants").then().statusCode(201).extract().path("token");
        Map<String, Object> body = TestGateway.deposit();
        String id = (String) body.get("depositId");
        gateway.postDeposit(body).then().body("status", equalTo("ACCEPTED"));

        gateway.as(otherToken).get("/deposits/" + id).then().statusCode(200).body("size()", equalTo(0));
        gateway.as(otherToken).body(Map.of("depositId", id)).post("/deposits/resend-callback")
                .then().statusCode(200).body("status", equalTo("REJECTED"));
        // The same id is a new, separate deposit for the other merchant.
        gateway.as(otherToken).body(body).post("/deposits").then().body("status", equalTo("ACCEPTED"));
        assertThat(paymentRows(id)).isEqualTo(2);
        gateway.merchant().get("/deposits/" + id).then().body("size()", equalTo(1));
    }
}
