package io.kulipa.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.kulipa.testing.GatewayExtension;
import io.kulipa.testing.MomoClient;
import io.kulipa.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * Bad input leaves no value in the logs (issue 13): flows with refused bodies, wrong tokens,
 * racing inserts and failing statements run against a whole gateway, and the captured log,
 * messages and exceptions alike, is searched for every MSISDN, token, name and metadata value
 * that was sent.
 */
class NoValuesInLogsTest {

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.withDefaults();
    static final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    static Logger root;
    static Logger kulipa;
    static Level kulipaLevel;

    @BeforeAll
    static void capture() {
        root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        // Kulipa's own lines down to DEBUG; the libraries' at the level they run with.
        kulipa = (Logger) LoggerFactory.getLogger("io.kulipa");
        kulipaLevel = kulipa.getLevel();
        kulipa.setLevel(Level.DEBUG);
        captured.start();
        root.addAppender(captured);
    }

    @AfterAll
    static void release() {
        root.detachAppender(captured);
        kulipa.setLevel(kulipaLevel);
    }

    static String digits(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(ThreadLocalRandom.current().nextInt(10));
        }
        return b.toString();
    }

    @Test
    void badInputLeavesNoValueInTheLog() throws Exception {
        String msisdn = "260763" + digits(6);
        String momoPayer = "4673" + digits(8);
        String pii = "pii" + digits(12);
        String token = "kulipa_" + digits(20);
        String name = "Secret Shop " + digits(10);
        String foreignPayer = "255" + digits(9);
        List<String> secrets = List.of(msisdn, momoPayer, pii, token, name, foreignPayer);

        String deposit = "{\"depositId\": \"" + UUID.randomUUID() + "\", \"amount\": \"15\", \"currency\": \"ZMW\", "
                + "\"correspondent\": \"MTN_MOMO_ZMB\", \"payer\": {\"type\": \"MSISDN\", \"address\": {\"value\": \""
                + msisdn + "\"}}, \"customerTimestamp\": \"2020-02-21T17:32:28Z\", \"statementDescription\": "
                + "\"Note of 4 to 22\", \"metadata\": [{\"fieldName\": \"id\", \"fieldValue\": \"" + pii
                + "\\u0000\", \"isPII\": true}]}";
        gateway.merchant().body(deposit.getBytes(StandardCharsets.UTF_8)).post("/deposits").then().statusCode(400);
        gateway.merchant().body(deposit.replace("\\u0000", "\\ud800").getBytes(StandardCharsets.UTF_8))
                .post("/deposits").then().statusCode(400);
        gateway.as(token).body(deposit.replace("\\u0000", "")).post("/deposits").then().statusCode(401);
        // A well-formed deposit the core refuses (a payer of another country) is logged as rejected.
        gateway.merchant().body(deposit.replace("\\u0000", "").replace(msisdn, foreignPayer)).post("/deposits")
                .then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("REJECTED"));

        MomoClient momo = MomoClient.provision(gateway.get(), "127.0.0.1");
        String requestToPay = "{\"amount\": 1e309, \"currency\": \"EUR\", \"externalId\": \"" + pii + "\", \"payer\": "
                + "{\"partyIdType\": \"MSISDN\", \"partyId\": \"" + momoPayer + "\"}, \"payerMessage\": \"a\\u0000b\"}";
        momo.collection().header("X-Reference-Id", UUID.randomUUID().toString())
                .body(requestToPay.getBytes(StandardCharsets.UTF_8)).post("/collection/v1_0/requesttopay")
                .then().statusCode(400);

        List<Callable<Integer>> race = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            race.add(() -> gateway.as(TestGateway.ADMIN_TOKEN).body(Map.of("name", name)).post("/ops/merchants")
                    .then().extract().statusCode());
        }
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            threads.invokeAll(race);
        }

        failingStatements(name, msisdn);

        assertThat(captured.list).isNotEmpty();
        for (ILoggingEvent event : captured.list) {
            String text = event.getFormattedMessage() + throwableText(event.getThrowableProxy());
            for (String secret : secrets) {
                assertThat(text).as("log line of %s", event.getLoggerName()).doesNotContain(secret);
            }
        }
    }

    /**
     * Statements that fail on the gateway's own JDBI: the exceptions may be logged or rethrown
     * anywhere, so their messages, through every cause, must carry none of the bound values.
     */
    private static void failingStatements(String name, String msisdn) {
        List<RuntimeException> failures = new ArrayList<>();
        String insert = "INSERT INTO merchant (id, name, token_digest) VALUES (:id, :name, :digest)";
        try {
            gateway.jdbi().useHandle(h -> h.createUpdate(insert).bind("id", UUID.randomUUID()).bind("name", name)
                    .bind("digest", msisdn).execute());
        } catch (RuntimeException e) {
            failures.add(e);
        }
        try {
            gateway.jdbi().useHandle(h -> h.createUpdate(insert).bind("id", UUID.randomUUID())
                    .bind("name", name + "\u0000").bind("digest", msisdn).execute());
        } catch (RuntimeException e) {
            failures.add(e);
        }
        assertThat(failures).hasSize(2);
        for (RuntimeException failure : failures) {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(name).doesNotContain(msisdn);
            }
            assertThat(Failures.describe(failure)).startsWith("UnableToExecuteStatementException <- PSQLException");
        }
    }

    private static String throwableText(IThrowableProxy proxy) {
        StringBuilder b = new StringBuilder();
        for (IThrowableProxy p = proxy; p != null; p = p.getCause()) {
            b.append(' ').append(p.getClassName()).append(": ").append(p.getMessage());
        }
        return b.toString();
    }
}
