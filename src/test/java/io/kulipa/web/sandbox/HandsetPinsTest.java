package io.kulipa.web.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.kulipa.store.JdbiSimulatorStore;
import io.kulipa.testing.GatewayExtension;
import io.kulipa.testing.TestGateway;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 13, defect 9: the simulated operators keep no PIN in clear, and wrong PINs still lock. */
class HandsetPinsTest {

    private static final String CHOSEN_PIN = "8642";
    private static final String OPENING_PIN = "1234";

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.withSettings(
            Map.of("KULIPA_SANDBOX_APPROVAL", "manual", "KULIPA_SANDBOX_APPROVAL_WINDOW", "20s"));

    private String deposit(String msisdn) {
        Map<String, Object> body = TestGateway.deposit("MTN_MOMO_ZMB", "ZMW", msisdn, "10");
        gateway.postDeposit(body).then().body("status", equalTo("ACCEPTED"));
        return (String) body.get("depositId");
    }

    private String approvePath(String msisdn) {
        List<Map<String, Object>> prompts = await().atMost(Duration.ofSeconds(5)).until(() -> gateway.anonymous()
                .get("/sandbox/handsets/" + msisdn + "/prompts").then().statusCode(200).extract().jsonPath()
                .<Map<String, Object>>getList("$"), l -> l.size() == 1);
        return "/sandbox/handsets/" + msisdn + "/prompts/" + prompts.getFirst().get("reference") + "/approve";
    }

    private void approve(String path, String pin, int status) {
        gateway.anonymous().body(Map.of("pin", pin)).post(path).then().statusCode(status);
    }

    @Test
    void aChosenPinIsKeptAsAHashAndWrongPinsStillLock() {
        String chooser = "260763200001";
        gateway.anonymous().body(Map.of("pin", CHOSEN_PIN)).put("/sandbox/handsets/" + chooser + "/wallet")
                .then().statusCode(200);
        String paid = deposit(chooser);
        String path = approvePath(chooser);
        approve(path, OPENING_PIN, 403);
        approve(path, CHOSEN_PIN, 200);
        await().atMost(Duration.ofSeconds(5)).until(() -> "COMPLETED".equals(gateway.depositStatus(paid)));

        String opener = "260763200002";
        String opened = deposit(opener);
        approve(approvePath(opener), OPENING_PIN, 200);
        await().atMost(Duration.ofSeconds(5)).until(() -> "COMPLETED".equals(gateway.depositStatus(opened)));

        String locked = deposit(chooser);
        String lockedPath = approvePath(chooser);
        approve(lockedPath, "0000", 403);
        approve(lockedPath, OPENING_PIN, 403);
        gateway.anonymous().body(Map.of("pin", "1111")).post(lockedPath).then().statusCode(403)
                .body("errorMessage", containsString("too many"));
        await().atMost(Duration.ofSeconds(5)).until(() -> "FAILED".equals(gateway.depositStatus(locked)));

        assertThat(rowsHolding(CHOSEN_PIN)).isEmpty();
        assertThat(rowsHolding(OPENING_PIN)).isEmpty();
        String hash = gateway.jdbi().withHandle(h -> h.createQuery("SELECT pin_hash FROM sim_wallet WHERE msisdn = :m")
                .bind("m", chooser).mapTo(String.class).one());
        assertThat(hash).startsWith("pbkdf2-sha256$");
    }

    @Test
    void clearPinsOfBeforeV14AreHashedAtStartOrWhenFirstRead() {
        String legacy = "260763200011";
        String legacyOpening = "260763200012";
        String readFirst = "260763200013";
        gateway.jdbi().useHandle(h -> h.createUpdate("INSERT INTO sim_wallet (msisdn, currency, balance, pin) "
                + "VALUES ('" + legacy + "', 'ZMW', 100, '" + CHOSEN_PIN + "'), ('" + legacyOpening + "', 'ZMW', 100, '"
                + OPENING_PIN + "'), ('" + readFirst + "', 'ZMW', 100, '5791')").execute());

        gateway.anonymous().get("/sandbox/handsets/" + readFirst).then().statusCode(200);
        int hashedRows = gateway.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM sim_wallet WHERE msisdn = :m "
                + "AND pin IS NULL AND pin_hash LIKE 'pbkdf2-sha256$%'").bind("m", readFirst).mapTo(Integer.class).one());
        assertThat(hashedRows).as("converted on first read").isOne();

        int converted = new JdbiSimulatorStore(gateway.jdbi()).hashClearPins(OPENING_PIN, 100);
        assertThat(converted).isEqualTo(2);
        assertThat(rowsHolding(CHOSEN_PIN)).isEmpty();
        assertThat(rowsHolding(OPENING_PIN)).isEmpty();

        String id = deposit(legacy);
        approve(approvePath(legacy), OPENING_PIN, 403);
        approve(approvePath(legacy), CHOSEN_PIN, 200);
        await().atMost(Duration.ofSeconds(5)).until(() -> "COMPLETED".equals(gateway.depositStatus(id)));
        String other = deposit(legacyOpening);
        approve(approvePath(legacyOpening), OPENING_PIN, 200);
        await().atMost(Duration.ofSeconds(5)).until(() -> "COMPLETED".equals(gateway.depositStatus(other)));
    }

    /** Every column of every simulator table whose value is the PIN: table.column=count. */
    private List<String> rowsHolding(String pin) {
        return gateway.jdbi().withHandle(h -> {
            List<Map<String, Object>> columns = h.createQuery("SELECT table_name, column_name FROM information_schema.columns "
                    + "WHERE table_schema = current_schema() AND table_name LIKE 'sim\\_%'").mapToMap().list();
            assertThat(columns).isNotEmpty();
            return columns.stream().filter(c -> h.createQuery("SELECT count(*) FROM " + c.get("table_name")
                            + " WHERE " + c.get("column_name") + "::text = :pin")
                    .bind("pin", pin).mapTo(Integer.class).one() > 0)
                    .map(c -> c.get("table_name") + "." + c.get("column_name")).toList();
        });
    }
}
