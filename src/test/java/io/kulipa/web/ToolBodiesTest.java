package io.kulipa.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.startsWith;

import io.kulipa.testing.GatewayExtension;
import io.kulipa.testing.TestGateway;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Kulipa's own tools (sandbox and ops) refuse a body they cannot read with 400 before they
 * change anything (issue 13, defect 4), and a merchant's name is the database's to keep unique
 * (defect 3).
 */
class ToolBodiesTest {

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.withDefaults();

    /** Bodies no tool can use: each must be refused with 400 and change nothing. */
    static List<byte[]> garbage() {
        List<byte[]> bodies = new ArrayList<>();
        for (String text : List.of("abc", "{", "null", "[1]", "\"x\"", "{\"a\":1} x")) {
            bodies.add(text.getBytes(StandardCharsets.UTF_8));
        }
        bodies.add(("[".repeat(10_000) + "]".repeat(10_000)).getBytes(StandardCharsets.UTF_8));
        bodies.add(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
        bodies.add("{\"outage\": \"a\\u0000b\"}".getBytes(StandardCharsets.UTF_8));
        return bodies;
    }

    private static RequestSpecification raw(byte[] body) {
        return gateway.anonymous().body(body);
    }

    @Test
    void operatorKnobsRefuseGarbage() {
        String path = "/sandbox/operators/MTN_MOMO_ZMB";
        for (byte[] body : garbage()) {
            raw(body).put(path).then().statusCode(400).body("errorMessage", org.hamcrest.Matchers.notNullValue());
        }
        gateway.anonymous().get(path).then().statusCode(200)
                .body("outage", org.hamcrest.Matchers.equalTo(false));
    }

    @Test
    void walletPutRefusesGarbageAndCreatesNoWallet() {
        String msisdn = "260763" + (100_000 + (int) (System.nanoTime() % 800_000));
        for (byte[] body : garbage()) {
            raw(body).put("/sandbox/handsets/" + msisdn + "/wallet").then().statusCode(400);
        }
        assertThat(count("SELECT count(*) FROM sim_wallet WHERE msisdn = ?", msisdn)).isZero();
    }

    @Test
    void callbackUrlsPutRefusesGarbageAndChangesNothing() {
        String path = "/ops/merchants/" + gateway.kulipa().demoMerchantId() + "/callbacks";
        Map<String, Object> before = gateway.as(TestGateway.ADMIN_TOKEN)
                .get("/ops/merchants/" + gateway.kulipa().demoMerchantId()).then().statusCode(200)
                .extract().jsonPath().getMap("callbackUrls");
        for (byte[] body : garbage()) {
            gateway.as(TestGateway.ADMIN_TOKEN).body(body).put(path).then().statusCode(400);
        }
        assertThat(gateway.as(TestGateway.ADMIN_TOKEN).get("/ops/merchants/" + gateway.kulipa().demoMerchantId())
                .then().extract().jsonPath().getMap("callbackUrls")).isEqualTo(before);
    }

    @Test
    void aBodyAboveTheLimitIsRefusedWhetherItsLengthIsDeclaredOrNot() {
        String path = "/sandbox/operators/MTN_MOMO_ZMB";
        byte[] tenMegabytes = tooBig(10 * 1024 * 1024);
        byte[] justOver = tooBig(JsonBody.MAX_BODY_BYTES + 1);
        Runnable[] sends = {
            () -> assertRefused(raw(tenMegabytes).put(path).then().extract().statusCode()),
            () -> assertRefused(raw(justOver).put(path).then().extract().statusCode()),
            // An InputStream body goes out chunked, with no Content-Length to trust.
            () -> assertRefused(gateway.anonymous().body(new java.io.ByteArrayInputStream(justOver)).put(path)
                    .then().extract().statusCode()),
        };
        for (Runnable send : sends) {
            try {
                send.run();
            } catch (Exception e) {
                // The server may answer and close before the client has sent everything.
                Throwable root = e;
                while (root.getCause() != null) {
                    root = root.getCause();
                }
                assertThat(root).isInstanceOf(java.net.SocketException.class);
            }
        }
        gateway.anonymous().get(path).then().statusCode(200).body("outage", org.hamcrest.Matchers.equalTo(false));
    }

    /** {"outage": true, "pad": "xxx..."} of the given size: accepted, it would change the knobs. */
    private static byte[] tooBig(int bytes) {
        byte[] body = new byte[bytes];
        java.util.Arrays.fill(body, (byte) 'x');
        byte[] head = "{\"outage\": true, \"pad\": \"".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(head, 0, body, 0, head.length);
        body[bytes - 2] = '"';
        body[bytes - 1] = '}';
        return body;
    }

    private static void assertRefused(int status) {
        assertThat(status).isIn(400, 413);
    }

    @Test
    void tenConcurrentMerchantsOfOneNameMakeOneAndNineConflicts() throws Exception {
        String name = "Race Co " + System.nanoTime();
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            calls.add(() -> gateway.as(TestGateway.ADMIN_TOKEN).body(Map.of("name", name)).post("/ops/merchants")
                    .then().extract().statusCode());
        }
        List<Integer> statuses = new ArrayList<>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Integer> f : threads.invokeAll(calls)) {
                statuses.add(f.get());
            }
        }
        assertThat(statuses).containsOnly(201, 409);
        assertThat(statuses.stream().filter(s -> s == 201).count()).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM merchant WHERE name = ?", name)).isEqualTo(1);
    }

    @Test
    void aNameWithALoneSurrogateIsRefusedNotStoredAsAQuestionMark() {
        String before = String.valueOf(count("SELECT count(*) FROM merchant", null));
        gateway.as(TestGateway.ADMIN_TOKEN).contentType(ContentType.JSON)
                .body("{\"name\": \"Surrogate \\ud800 Ltd\"}".getBytes(StandardCharsets.UTF_8))
                .post("/ops/merchants").then().statusCode(400).body("errorMessage", startsWith("name: "));
        assertThat(String.valueOf(count("SELECT count(*) FROM merchant", null))).isEqualTo(before);
        assertThat(count("SELECT count(*) FROM merchant WHERE name LIKE 'Surrogate %'", null)).isZero();
    }

    static long count(String sql, String argument) {
        return gateway.jdbi().withHandle(h -> {
            var query = h.createQuery(sql);
            if (argument != null) {
                query.bind(0, argument);
            }
            return query.mapTo(Long.class).one();
        });
    }
}
