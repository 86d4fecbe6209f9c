package io.kulipa;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.kulipa.dialects.momo.invoices.CancellingInvoice;
import io.kulipa.dialects.momo.preapprovals.RecordingPreApprovalDecision;
import io.kulipa.dialects.momo.store.JdbiInvoiceStore;
import io.kulipa.dialects.momo.store.JdbiPreApprovalStore;
import io.kulipa.dialects.momo.store.JdbiVoucherStore;
import io.kulipa.dialects.momo.vouchers.CancellingVoucher;
import io.kulipa.dialects.momo.vouchers.VoucherOutcome;
import io.kulipa.outbox.WorkHandOff;
import io.kulipa.providers.CustomerApprovals;
import io.kulipa.store.CallbackOutbox;
import io.kulipa.testing.CallbackReceiver;
import io.kulipa.testing.MomoClient;
import io.kulipa.testing.TestDatabase;
import io.kulipa.testing.TestGateway;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A callback that is not a payment's (a MoMo pre-approval's, invoice's or voucher's) is committed
 * with the change that makes it due, so a crash between that commit and the send loses none: the
 * changes below are committed by a node that dies at once (its jobs leased to it, never handed to
 * a worker, its gateway stopped), and the next gateway on the same database delivers each
 * callback once, when the dead node's lease runs out.
 */
class CallbackRecoveryTest {

    private static final Duration DEAD_NODE_LEASE = Duration.ofSeconds(2);
    private static final String PAYER = "46733123821";

    static WireMockServer receiver;

    @BeforeAll
    static void start() {
        receiver = CallbackReceiver.start();
    }

    @AfterAll
    static void stop() {
        receiver.stop();
    }

    /** What the first gateway was asked for before it stopped. */
    private record Asked(String preApproval, String invoice, String invoiceExternalId, String voucher) {
    }

    @Test
    void callbacksCommittedByANodeThatDiedBeforeSendingThemAreDeliveredByTheNextGateway() {
        String dbUrl = TestDatabase.newDatabase();
        Asked asked;
        try (TestGateway first = TestGateway.start(dbUrl, Map.of("KULIPA_SANDBOX_APPROVAL", "manual"))) {
            asked = ask(MomoClient.provision(first, "127.0.0.1"));
        }
        // The dying node's own connection, set up as a gateway sets up its own.
        Jdbi jdbi = Jdbi.create(dbUrl, "postgres", "").installPlugin(new PostgresPlugin());
        UUID merchant = jdbi.withHandle(h -> h.createQuery("SELECT id FROM merchant WHERE name = 'Demo Merchant'")
                .mapTo(UUID.class).one());
        CallbackOutbox dying = new CallbackOutbox("node-that-died", DEAD_NODE_LEASE, WorkHandOff.NONE);
        Clock clock = Clock.systemUTC();

        assertThat(new RecordingPreApprovalDecision(new JdbiPreApprovalStore(jdbi, dying), clock)
                .record(new CustomerApprovals.Decision(asked.preApproval(), CustomerApprovals.Kind.PREAPPROVAL,
                        CustomerApprovals.Status.APPROVED))).isPresent();
        assertThat(new CancellingInvoice(new JdbiInvoiceStore(jdbi, dying), clock).cancel(merchant,
                UUID.fromString(asked.invoice()), UUID.randomUUID(), asked.invoiceExternalId(), null))
                .isInstanceOf(CancellingInvoice.Result.Cancelled.class);
        Map<String, Object> voucher = jdbi.withHandle(h -> h.createQuery(
                        "SELECT token, correspondent FROM momo_voucher WHERE reference_id = :r")
                .bind("r", asked.voucher()).mapToMap().one());
        assertThat(new CancellingVoucher(new JdbiVoucherStore(jdbi, dying), clock).cancel(new CancellingVoucher.Request(
                merchant, (String) voucher.get("token"), (String) voucher.get("correspondent"), null)))
                .isInstanceOf(VoucherOutcome.Done.class);
        // Committed and never sent: the node died holding the three callbacks.
        assertThat(strings(jdbi, """
                SELECT subject_kind FROM outbox WHERE kind = 'WEBHOOK' AND state = 'PENDING'
                    AND lease_owner = 'node-that-died' ORDER BY subject_kind"""))
                .containsExactly("momo-invoice", "momo-preapproval", "momo-voucher");
        assertThat(receiver.findAll(anyRequestedFor(anyUrl()))).isEmpty();

        try (TestGateway ignored = TestGateway.start(dbUrl, Map.of())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.findAll(anyRequestedFor(anyUrl())).size() >= 3);
            receiver.verify(1, postRequestedFor(urlEqualTo("/preapproval"))
                    .withRequestBody(matchingJsonPath("$.status", WireMock.equalTo("SUCCESSFUL"))));
            receiver.verify(1, postRequestedFor(urlEqualTo("/invoice"))
                    .withRequestBody(matchingJsonPath("$.status", WireMock.equalTo("CANCELLED")))
                    .withRequestBody(matchingJsonPath("$.referenceId", WireMock.equalTo(asked.invoice()))));
            receiver.verify(1, postRequestedFor(urlEqualTo("/voucher"))
                    .withRequestBody(matchingJsonPath("$.status", WireMock.equalTo("CANCELLED")))
                    .withRequestBody(matchingJsonPath("$.referenceId", WireMock.equalTo(asked.voucher()))));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(strings(jdbi, """
                            SELECT a.subject_kind || ' ' || a.http_status FROM callback_attempt a
                            JOIN outbox o ON o.id = a.outbox_id AND o.state = 'DONE'
                            ORDER BY a.subject_kind"""))
                    .containsExactly("momo-invoice 200", "momo-preapproval 200", "momo-voucher 200"));
        }
        assertThat(receiver.findAll(anyRequestedFor(anyUrl()))).as("each callback once").hasSize(3);
    }

    private static List<String> strings(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(String.class).list());
    }

    /** A pre-approval waiting for the payer, an open invoice and a voucher, each with a callback URL. */
    private static Asked ask(MomoClient momo) {
        String preApproval = UUID.randomUUID().toString();
        momo.collection().header("X-Reference-Id", preApproval)
                .header("X-Callback-Url", CallbackReceiver.url(receiver, "/preapproval"))
                .body(Map.of("payer", MomoClient.msisdn(PAYER), "payerCurrency", "EUR", "payerMessage", "Magazine",
                        "validityTime", 3600))
                .post("/collection/v2_0/preapproval").then().statusCode(202);
        String invoice = UUID.randomUUID().toString();
        String externalId = "INV-" + invoice.substring(0, 8);
        Map<String, Object> body = new HashMap<>();
        body.put("externalId", externalId);
        body.put("amount", "3");
        body.put("currency", "EUR");
        body.put("validityDuration", "3600");
        body.put("intendedPayer", MomoClient.msisdn(PAYER));
        body.put("payee", MomoClient.msisdn("46733123999"));
        body.put("description", "Water bill");
        momo.collection().header("X-Reference-Id", invoice)
                .header("X-Callback-Url", CallbackReceiver.url(receiver, "/invoice"))
                .body(body).post("/collection/v2_0/invoice").then().statusCode(202);
        String voucher = UUID.randomUUID().toString();
        momo.disbursement().header("X-Reference-Id", voucher)
                .header("X-Callback-Url", CallbackReceiver.url(receiver, "/voucher"))
                .body(Map.of("externalId", "ext-1", "receiver", Map.of("msisdn", "46733123822", "firstName", "Ama",
                        "surname", "Mensah"), "money", Map.of("amount", "2", "currency", "EUR"), "message", "fees"))
                .post("/disbursement/v2_0/voucher").then().statusCode(202);
        return new Asked(preApproval, invoice, externalId, voucher);
    }
}
