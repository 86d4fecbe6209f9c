package io.kulipa.testing;

import io.kulipa.Kulipa;
import io.kulipa.Settings;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * A whole Kulipa gateway for a test: real HTTP on a free port, its own database on the
 * shared test PostgreSQL, fast sandbox timings, and the demo merchant's token.
 */
public final class TestGateway implements AutoCloseable {

    public static final String DEMO_TOKEN = "test-demo-token";
    public static final String ADMIN_TOKEN = "test-admin-token";
    /** The fixed card vault key of every test gateway (KULIPA_CARD_KEY), 32 bytes in hex. */
    public static final String CARD_KEY = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    private final Kulipa kulipa;
    private final String dbUrl;

    private TestGateway(Kulipa kulipa, String dbUrl) {
        this.kulipa = kulipa;
        this.dbUrl = dbUrl;
    }

    /** Starts a gateway on a new database with the given extra KULIPA_* settings. */
    public static TestGateway start(Map<String, String> overrides) {
        return start(TestDatabase.newDatabase(), overrides);
    }

    public static TestGateway start() {
        return start(Map.of());
    }

    /** Starts a gateway on an existing database: a second node, or a restart. */
    public static TestGateway start(String dbUrl, Map<String, String> overrides) {
        Map<String, String> env = settings(dbUrl);
        env.putAll(overrides);
        return new TestGateway(Kulipa.start(Settings.from(env, new String[0])), dbUrl);
    }

    /** The settings a test gateway runs with, before overrides. */
    public static Map<String, String> settings(String dbUrl) {
        Map<String, String> env = new HashMap<>();
        try {
            env.put("KULIPA_DATA_DIR", Files.createTempDirectory("kulipa-test-data").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        env.put("KULIPA_PORT", "0");
        env.put("KULIPA_HOST", "127.0.0.1");
        env.put("KULIPA_DB_URL", dbUrl);
        env.put("KULIPA_BOOTSTRAP_TOKEN", DEMO_TOKEN);
        env.put("KULIPA_ADMIN_TOKEN", ADMIN_TOKEN);
        env.put("KULIPA_SANDBOX_APPROVAL_DELAY", "50ms");
        env.put("KULIPA_SANDBOX_APPROVAL_WINDOW", "5s");
        env.put("KULIPA_STATUS_CHECK_AFTER", "1s");
        env.put("KULIPA_JOB_LEASE", "3s");
        env.put("KULIPA_DB_POOL_SIZE", "20");
        env.put("KULIPA_CARD_KEY", CARD_KEY);
        return env;
    }

    public int port() {
        return kulipa.port();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public String dbUrl() {
        return dbUrl;
    }

    public Kulipa kulipa() {
        return kulipa;
    }

    public Jdbi jdbi() {
        return kulipa.database().jdbi();
    }

    /** A request to this gateway as the demo merchant. */
    public RequestSpecification merchant() {
        return as(DEMO_TOKEN);
    }

    public RequestSpecification as(String token) {
        return RestAssured.given().baseUri(baseUrl()).contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + token);
    }

    public RequestSpecification anonymous() {
        return RestAssured.given().baseUri(baseUrl()).contentType(ContentType.JSON);
    }

    public Response postDeposit(Map<String, Object> body) {
        return merchant().body(body).post("/deposits");
    }

    /** The current status of a deposit as GET /deposits/{id} shows it, or null when unknown. */
    public String depositStatus(String depositId) {
        return merchant().get("/deposits/" + depositId).then().statusCode(200).extract().path("[0].status");
    }

    /** A valid deposit body for the given payer on the given correspondent. */
    public static Map<String, Object> deposit(String correspondent, String currency, String msisdn, String amount) {
        Map<String, Object> body = new HashMap<>();
        body.put("depositId", UUID.randomUUID().toString());
        body.put("amount", amount);
        body.put("currency", currency);
        body.put("correspondent", correspondent);
        body.put("payer", Map.of("type", "MSISDN", "address", Map.of("value", msisdn)));
        body.put("customerTimestamp", "2020-02-21T17:32:28Z");
        body.put("statementDescription", "Note of 4 to 22 chars");
        return body;
    }

    /** A valid payout body to the given recipient on the given correspondent. */
    public static Map<String, Object> payout(String correspondent, String currency, String msisdn, String amount) {
        Map<String, Object> body = new HashMap<>();
        body.put("payoutId", UUID.randomUUID().toString());
        body.put("amount", amount);
        body.put("currency", currency);
        body.put("correspondent", correspondent);
        body.put("recipient", Map.of("type", "MSISDN", "address", Map.of("value", msisdn)));
        body.put("customerTimestamp", "2020-02-21T17:32:28Z");
        body.put("statementDescription", "Payout from Kulipa");
        return body;
    }

    /** A valid Zambian MTN deposit of 15 ZMW from an ordinary (non-test) number. */
    public static Map<String, Object> deposit() {
        return deposit("MTN_MOMO_ZMB", "ZMW", "260763000001", "15");
    }

    @Override
    public void close() {
        kulipa.close();
    }
}
