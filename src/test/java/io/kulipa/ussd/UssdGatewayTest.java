package io.kulipa.ussd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.kulipa.testing.GatewayExtension;
import io.kulipa.testing.TestGateway;
import io.kulipa.testing.TestUssdApplication;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The USSD session gateway against a small application of the tests' own: registration through
 * ops, sessions through the sandbox API, the protocol's fields as Africa's Talking sends them, and
 * every way an application or a customer can break a session.
 */
class UssdGatewayTest {

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.withSettings(Map.of(
            "KULIPA_USSD_SESSION_TIMEOUT", "2s", "KULIPA_USSD_CALLBACK_TIMEOUT", "1s"));
    static TestUssdApplication app;

    @BeforeAll
    static void startApp() {
        app = TestUssdApplication.start();
    }

    @AfterAll
    static void stopApp() {
        app.close();
    }

    @BeforeEach
    void clear() {
        app.clear();
    }

    /** A fresh code per test, so that tests share the gateway without sharing applications. */
    static String register(String path) {
        String code = "*" + ThreadLocalRandom.current().nextInt(100, 999) + "*"
                + ThreadLocalRandom.current().nextInt(100_000, 999_999) + "#";
        ops().body(Map.of("serviceCode", code, "callbackUrl", app.url(path), "name", "test " + path))
                .post("/ops/ussd/applications").then().statusCode(201)
                .body("serviceCode", equalTo(code)).body("callbackUrl", equalTo(app.url(path)));
        return code;
    }

    static io.restassured.specification.RequestSpecification ops() {
        return gateway.get().as(TestGateway.ADMIN_TOKEN);
    }

    static Response dial(String msisdn, String code) {
        return gateway.anonymous().body(Map.of("msisdn", msisdn, "serviceCode", code)).post("/sandbox/ussd/sessions");
    }

    static Response input(String sessionId, String input) {
        return gateway.anonymous().body(Map.of("input", input)).post("/sandbox/ussd/sessions/" + sessionId + "/input");
    }

    @Test
    void aMenuRunsToItsEndWithTheProtocolsFields() {
        String code = register("/menu");
        Response opened = dial("254712345678", code);
        opened.then().statusCode(201).body("state", equalTo("OPEN")).body("awaitingInput", equalTo(true))
                .body("screen", equalTo("Welcome\n1. Balance\n2. Send money")).body("networkCode", equalTo("63902"));
        String id = opened.path("sessionId");
        input(id, "2").then().statusCode(200).body("screen", equalTo("Enter number"));
        input(id, "256700000001").then().statusCode(200).body("screen", equalTo("Enter amount for 256700000001"));
        input(id, "1500").then().statusCode(200).body("state", equalTo("ENDED")).body("awaitingInput", equalTo(false))
                .body("screen", equalTo("Sent 1500 to 256700000001"));

        List<Map<String, String>> got = app.received();
        assertThat(got).extracting(m -> m.get("text")).containsExactly("", "2", "2*256700000001",
                "2*256700000001*1500");
        assertThat(got).allSatisfy(m -> {
            assertThat(m.get("sessionId")).isEqualTo(id);
            assertThat(m.get("serviceCode")).isEqualTo(code);
            assertThat(m.get("phoneNumber")).isEqualTo("+254712345678");
            assertThat(m.get("networkCode")).isEqualTo("63902");
            assertThat(m.get("_contentType")).startsWith("application/x-www-form-urlencoded");
        });
        input(id, "1").then().statusCode(409).body("state", equalTo("ENDED"))
                .body("errorMessage", containsString("dial again"));
        // A closed session keeps none of the customer's inputs.
        Integer kept = gateway.jdbi().withHandle(h -> h.createQuery(
                "SELECT cardinality(inputs) FROM ussd_session WHERE session_id = :id").bind("id", id)
                .mapTo(Integer.class).one());
        assertThat(kept).isZero();
    }

    @Test
    void dialingAheadSendsTheExtraGroupsAsTheFirstInputs() {
        String code = register("/menu");
        String ahead = code.substring(0, code.length() - 1) + "*1#";
        dial("256770000002", ahead).then().statusCode(201).body("state", equalTo("ENDED"))
                .body("screen", equalTo("Your balance is 42.00")).body("serviceCode", equalTo(code));
        assertThat(app.received()).extracting(m -> m.get("text")).containsExactly("1");
        assertThat(app.received().getFirst().get("networkCode")).isEqualTo("64110");
    }

    @Test
    void applicationsThatMisbehaveFailTheSessionWithTheReason() {
        dial("256700000003", register("/garbage")).then().statusCode(201).body("state", equalTo("FAILED"))
                .body("error", containsString("neither 'CON ' nor 'END '")).body("error", containsString("<html>"));
        dial("256700000003", register("/error")).then().statusCode(201).body("state", equalTo("FAILED"))
                .body("error", containsString("HTTP 500"));
        dial("256700000003", register("/long")).then().statusCode(201).body("state", equalTo("FAILED"))
                .body("error", containsString("200 characters")).body("error", containsString("182"));
        dial("256700000003", register("/slow")).then().statusCode(201).body("state", equalTo("FAILED"))
                .body("error", containsString("no answer within 1000 ms"));
    }

    @Test
    void anApplicationThatIsDownFailsTheSession() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String code = "*77*" + ThreadLocalRandom.current().nextInt(100_000, 999_999) + "#";
        ops().body(Map.of("serviceCode", code, "callbackUrl", "http://127.0.0.1:" + closedPort + "/ussd"))
                .post("/ops/ussd/applications").then().statusCode(201);
        dial("256700000004", code).then().statusCode(201).body("state", equalTo("FAILED"))
                .body("error", containsString("did not answer"));
    }

    @Test
    void aSessionTimesOutAndAHangUpClosesIt() throws Exception {
        String code = register("/menu");
        String id = dial("256700000005", code).then().statusCode(201).extract().path("sessionId");
        Thread.sleep(2_300);
        gateway.anonymous().get("/sandbox/ussd/sessions/" + id).then().statusCode(200)
                .body("state", equalTo("TIMED_OUT"));
        input(id, "1").then().statusCode(409).body("state", equalTo("TIMED_OUT"))
                .body("error", containsString("time-out of 2 s"));
        assertThat(app.received()).hasSize(1);

        String other = dial("256700000005", code).then().statusCode(201).extract().path("sessionId");
        gateway.anonymous().delete("/sandbox/ussd/sessions/" + other).then().statusCode(200)
                .body("state", equalTo("HUNG_UP"));
        input(other, "1").then().statusCode(409).body("state", equalTo("HUNG_UP"));
    }

    @Test
    void dialingAgainLeavesThePreviousSession() {
        String code = register("/menu");
        String first = dial("256700000006", code).path("sessionId");
        String second = dial("256700000006", code).path("sessionId");
        assertThat(second).isNotEqualTo(first);
        gateway.anonymous().get("/sandbox/ussd/sessions/" + first).then().body("state", equalTo("HUNG_UP"));
        gateway.anonymous().get("/sandbox/ussd/sessions?msisdn=256700000006").then().statusCode(200)
                .body("sessions[0].sessionId", equalTo(second)).body("sessions[0].state", equalTo("OPEN"));
    }

    @Test
    void aSessionHasABoundedNumberOfSteps() {
        String code = register("/loop");
        String id = dial("256700000007", code).path("sessionId");
        for (int i = 1; i < RunningUssdSession.STEPS_MAX; i++) {
            input(id, "1").then().statusCode(200).body("state", equalTo("OPEN"));
        }
        input(id, "1").then().statusCode(409).body("state", equalTo("FAILED"))
                .body("error", containsString("bound of " + RunningUssdSession.STEPS_MAX + " steps"));
        assertThat(app.received()).hasSize(RunningUssdSession.STEPS_MAX);
    }

    @Test
    void twoInputsAtOnceSendOnlyOne() throws Exception {
        String menu = register("/menu");
        String id = dial("256700000008", menu).path("sessionId");
        app.clear();
        var pool = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            answers.add(pool.submit((Callable<Integer>) () -> input(id, "2").statusCode()));
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> f : answers) {
            statuses.add(f.get());
        }
        pool.close();
        assertThat(statuses).contains(200);
        assertThat(statuses).allMatch(s -> s == 200 || s == 409);
        assertThat(app.received()).hasSize((int) statuses.stream().filter(s -> s == 200).count());
        assertThat(app.received()).allMatch(m -> m.get("text").split("\\*").length <= 8);
    }

    @Test
    void badRequestsAreRefusedNamingTheField() {
        String code = register("/menu");
        dial("0712", code).then().statusCode(400).body("errorMessage", containsString("msisdn"));
        dial("256700000009", "120#").then().statusCode(400).body("errorMessage", containsString("serviceCode"));
        dial("256700000009", "*999*1*2*3*4*5#").then().statusCode(404)
                .body("errorMessage", containsString("no USSD application"));
        gateway.anonymous().body("{\"msisdn\": 1}").post("/sandbox/ussd/sessions").then().statusCode(400)
                .body("errorMessage", containsString("msisdn"));
        String id = dial("256700000009", code).path("sessionId");
        input(id, "x".repeat(183)).then().statusCode(400).body("errorMessage", containsString("input"));
        gateway.anonymous().body("{}").post("/sandbox/ussd/sessions/" + id + "/input").then().statusCode(400)
                .body("errorMessage", containsString("input"));
        input("nope", "1").then().statusCode(404).body("errorMessage", containsString("sessionId"));
    }

    @Test
    void registrationIsGuardedAndChecked() {
        String code = register("/menu");
        ops().body(Map.of("serviceCode", code, "callbackUrl", app.url("/menu")))
                .post("/ops/ussd/applications").then().statusCode(409).body("errorMessage", containsString(code));
        ops().body(Map.of("serviceCode", "*1*2*3*4*5#", "callbackUrl", app.url("/menu")))
                .post("/ops/ussd/applications").then().statusCode(400)
                .body("errorMessage", containsString("serviceCode"));
        ops().body(Map.of("serviceCode", "*55#", "callbackUrl", "http://10.1.2.3/ussd"))
                .post("/ops/ussd/applications").then().statusCode(400)
                .body("errorMessage", containsString("callbackUrl")).body("errorMessage", containsString("10.0.0.0/8"));
        ops().body(Map.of("serviceCode", "*55#", "callbackUrl", "ftp://example.com/"))
                .post("/ops/ussd/applications").then().statusCode(400)
                .body("errorMessage", containsString("callbackUrl"));
        ops().body(Map.of("serviceCode", "*55#", "callbackUrl", app.url("/menu"),
                "merchantId", "00000000-0000-0000-0000-000000000000"))
                .post("/ops/ussd/applications").then().statusCode(400).body("errorMessage", containsString("merchantId"));
        gateway.anonymous().body(Map.of("serviceCode", "*56#", "callbackUrl", app.url("/menu")))
                .post("/ops/ussd/applications").then().statusCode(401);

        String id = ops().get("/ops/ussd/applications").then().statusCode(200).extract()
                .path("applications.find { it.serviceCode == '" + code + "' }.applicationId");
        ops().get("/ops/ussd/applications/" + id).then().statusCode(200).body("serviceCode", equalTo(code));
        String session = dial("256700000010", code).path("sessionId");
        ops().delete("/ops/ussd/applications/" + id).then().statusCode(204);
        ops().delete("/ops/ussd/applications/" + id).then().statusCode(404);
        ops().get("/ops/ussd/applications/not-a-uuid").then().statusCode(400);
        dial("256700000010", code).then().statusCode(404);
        gateway.anonymous().get("/sandbox/ussd/sessions/" + session).then().statusCode(404);
    }
}
