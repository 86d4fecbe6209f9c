package io.kulipa.dialects.momo.preapprovals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kulipa.dialects.momo.MomoUseCaseDb;
import io.kulipa.testing.MutableClock;
import io.kulipa.dialects.momo.MomoUseCaseDb.Row;
import io.kulipa.dialects.momo.OperatorApprovals;
import io.kulipa.dialects.momo.store.JdbiPreApprovalStore;
import io.kulipa.money.Amount;
import io.kulipa.payments.Merchant;
import io.kulipa.payments.PaymentKind;
import io.kulipa.payments.PaymentRequest;
import io.kulipa.providers.CustomerApprovals;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pre-approval use cases on a real PostgreSQL: requesting, the customer's decision (approve,
 * reject, expire, heard twice or lost), finding, and a later request to pay riding on it. Every
 * change leaves its row in momo_preapproval_event, and the history follows the table.
 */
class PreApprovalUseCasesTest {

    static final String CORRESPONDENT = "MTN_MOMO_ZMB";
    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    static MomoUseCaseDb db;
    static JdbiPreApprovalStore store;
    static OperatorApprovals operator;
    static RequestingPreApproval requesting;
    static RecordingPreApprovalDecision recording;
    static FindingPreApproval finding;
    static ApplyingPreApproval applying;

    @BeforeAll
    static void open() {
        db = new MomoUseCaseDb("preapprovals");
        store = new JdbiPreApprovalStore(db.jdbi(), db.callbackOutbox());
        operator = new OperatorApprovals();
        requesting = new RequestingPreApproval(store, operator, CLOCK);
        recording = new RecordingPreApprovalDecision(store, CLOCK);
        operator.listen(recording::record);
        finding = new FindingPreApproval(store, operator, recording);
        applying = new ApplyingPreApproval(store, CLOCK);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    static String msisdn() {
        return "26096" + (1_000_000 + ThreadLocalRandom.current().nextInt(8_999_999));
    }

    static RequestingPreApproval.NewPreApproval asked(MomoUseCaseDb.Merchant m, String msisdn, String callbackUrl) {
        return new RequestingPreApproval.NewPreApproval(UUID.randomUUID(), m.id(), m.name(), m.apiUser(),
                CORRESPONDENT, msisdn, "ZMW", "gym", Duration.ofDays(30), callbackUrl, "PUT");
    }

    static List<Row> history(UUID id) {
        return db.history("momo_preapproval_event", "preapproval_id", id);
    }

    static PaymentRequest deposit(MomoUseCaseDb.Merchant m, PaymentKind kind, String msisdn, String currency) {
        return new PaymentRequest(new Merchant(m.id(), m.name(), Set.of(CORRESPONDENT), Map.of()), kind,
                UUID.randomUUID().toString(), "momo", Amount.parse("15").orElseThrow(), currency, "ZMB", CORRESPONDENT,
                msisdn, null, null, null, List.of(), "fingerprint", null, null);
    }

    @Test
    void aRequestIsDurableWithItsCreationBeforeTheHandsetIsAskedAndOnlyOnce() {
        MomoUseCaseDb.Merchant m = db.merchant(CLOCK);
        RequestingPreApproval.NewPreApproval n = asked(m, msisdn(), null);

        assertThat(requesting.request(n)).isEqualTo(RequestingPreApproval.Result.ACCEPTED);
        assertThat(requesting.request(n)).isEqualTo(RequestingPreApproval.Result.DUPLICATE);

        PreApproval p = store.find(n.id()).orElseThrow();
        assertThat(p.status()).isEqualTo(PreApproval.Status.PENDING);
        assertThat(p.expiresAt()).isEqualTo(CLOCK.instant().plus(Duration.ofDays(30)));
        assertThat(history(n.id())).extracting(Row::from, Row::to, Row::event)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(null, "PENDING", "CREATED"));
        assertThat(operator.requests()).filteredOn(r -> r.reference().equals(n.id().toString())).hasSize(1)
                .first().satisfies(r -> {
                    assertThat(r.kind()).isEqualTo(CustomerApprovals.Kind.PREAPPROVAL);
                    assertThat(r.description()).contains(m.name(), "ZMW", "(gym)");
                });
    }

    @Test
    void aValidityOutOfRangeIsRefusedAndNothingIsWritten() {
        MomoUseCaseDb.Merchant m = db.merchant(CLOCK);
        for (Duration validity : List.of(Duration.ZERO, Duration.ofSeconds(-1),
                RequestingPreApproval.VALIDITY_MAX.plusSeconds(1))) {
            RequestingPreApproval.NewPreApproval n = new RequestingPreApproval.NewPreApproval(UUID.randomUUID(),
                    m.id(), m.name(), m.apiUser(), CORRESPONDENT, msisdn(), "ZMW", null, validity, null, null);
            assertThatThrownBy(() -> requesting.request(n)).isInstanceOf(IllegalArgumentException.class);
            assertThat(store.find(n.id())).isEmpty();
            assertThat(history(n.id())).isEmpty();
        }
    }

    @Test
    void anApprovalIsRecordedOnceAndCalledBackOnceEvenWhenHeardTwice() {
        MomoUseCaseDb.Merchant m = db.merchant(CLOCK);
        RequestingPreApproval.NewPreApproval n = asked(m, msisdn(), "https://merchant.example/preapprovals");
        requesting.request(n);

        operator.decide(n.id().toString(), CustomerApprovals.Status.APPROVED, true);
        // The same decision again, as a status look-up would hear it: nothing more happens.
        assertThat(recording.record(new CustomerApprovals.Decision(n.id().toString(),
                CustomerApprovals.Kind.PREAPPROVAL, CustomerApprovals.Status.APPROVED))).isEmpty();

        PreApproval p = store.find(n.id()).orElseThrow();
        assertThat(p.status()).isEqualTo(PreApproval.Status.SUCCESSFUL);
        assertThat(p.reason()).isNull();
        assertThat(p.finishedAt()).isEqualTo(CLOCK.instant());
        List<Row> rows = history(n.id());
        assertThat(rows).extracting(Row::to).containsExactly("PENDING", "SUCCESSFUL");
        MomoUseCaseDb.assertFollows(rows, PreApproval.Status.TABLE);
        // One callback, committed with the decision however often it was heard; it renders the
        // pre-approval as it is when sent, SUCCESSFUL.
        assertThat(db.callbacks(PreApproval.CALLBACK_SUBJECT, n.id())).hasSize(1);
    }

    @Test
    void aRejectionAndAnExpiryFailItWithTheirReasonAndNoCallbackWithoutAUrl() {
        MomoUseCaseDb.Merchant m = db.merchant(CLOCK);
        RequestingPreApproval.NewPreApproval rejected = asked(m, msisdn(), null);
        RequestingPreApproval.NewPreApproval expired = asked(m, msisdn(), null);
        requesting.request(rejected);
        requesting.request(expired);

        operator.decide(rejected.id().toString(), CustomerApprovals.Status.REJECTED, true);
        operator.decide(expired.id().toString(), CustomerApprovals.Status.EXPIRED, true);

        assertThat(store.find(rejected.id()).orElseThrow()).extracting(PreApproval::status, PreApproval::reason)
                .containsExactly(PreApproval.Status.FAILED, "PAYMENT_NOT_APPROVED");
        assertThat(store.find(expired.id()).orElseThrow()).extracting(PreApproval::status, PreApproval::reason)
                .containsExactly(PreApproval.Status.FAILED, "APPROVAL_EXPIRED");
        for (UUID id : List.of(rejected.id(), expired.id())) {
            assertThat(history(id)).extracting(Row::to).containsExactly("PENDING", "FAILED");
            MomoUseCaseDb.assertFollows(history(id), PreApproval.Status.TABLE);
        }
        assertThat(history(expired.id()).getLast().detail()).isEqualTo("APPROVAL_EXPIRED");
        assertThat(db.callbacks(PreApproval.CALLBACK_SUBJECT, rejected.id())).isEmpty();
        assertThat(db.callbacks(PreApproval.CALLBACK_SUBJECT, expired.id())).isEmpty();
    }

    @Test
    void decisionsThatAreNotFinalOrNameNoPreApprovalChangeNothing() {
        MomoUseCaseDb.Merchant m = db.merchant(CLOCK);
        RequestingPreApproval.NewPreApproval n = asked(m, msisdn(), null);
        requesting.request(n);

        assertThat(recording.record(new CustomerApprovals.Decision(n.id().toString(),
                CustomerApprovals.Kind.PREAPPROVAL, CustomerApprovals.Status.AWAITING_APPROVAL))).isEmpty();
        assertThat(recording.record(new CustomerApprovals.Decision(n.id().toString(),
                CustomerApprovals.Kind.CONSENT, CustomerApprovals.Status.APPROVED))).isEmpty();
        assertThat(recording.record(new CustomerApprovals.Decision("not-a-uuid",
                CustomerApprovals.Kind.PREAPPROVAL, CustomerApprovals.Status.APPROVED))).isEmpty();
        assertThat(recording.record(new CustomerApprovals.Decision(UUID.randomUUID().toString(),
                CustomerApprovals.Kind.PREAPPROVAL, CustomerApprovals.Status.APPROVED))).isEmpty();

        assertThat(store.find(n.id()).orElseThrow().status()).isEqualTo(PreApproval.Status.PENDING);
        assertThat(history(n.id())).hasSize(1);
    }

    @Test
    void theStoreRefusesAMoveTheTableDoesNotAllow() {
        MomoUseCaseDb.Merchant m = db.merchant(CLOCK);
        RequestingPreApproval.NewPreApproval n = asked(m, msisdn(), null);
        requesting.request(n);

        assertThatThrownBy(() -> store.finish(n.id(), PreApproval.Status.PENDING, null, CLOCK.instant()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PENDING -> PENDING");
        operator.decide(n.id().toString(), CustomerApprovals.Status.APPROVED, true);
        // A final pre-approval stays as it is: a late contrary decision writes nothing.
        assertThat(store.finish(n.id(), PreApproval.Status.FAILED, "EXPIRED", CLOCK.instant())).isEmpty();
        assertThat(store.find(n.id()).orElseThrow().status()).isEqualTo(PreApproval.Status.SUCCESSFUL);
        assertThat(history(n.id())).hasSize(2);
    }

    @Test
    void findingAPendingOneAsksTheOperatorSoALostDecisionStillShows() {
        MomoUseCaseDb.Merchant m = db.merchant(CLOCK);
        MomoUseCaseDb.Merchant other = db.merchant(CLOCK);
        RequestingPreApproval.NewPreApproval n = asked(m, msisdn(), null);
        requesting.request(n);

        assertThat(finding.find(m.id(), n.id()).orElseThrow().status()).isEqualTo(PreApproval.Status.PENDING);
        operator.decide(n.id().toString(), CustomerApprovals.Status.APPROVED, false);
        assertThat(store.find(n.id()).orElseThrow().status()).isEqualTo(PreApproval.Status.PENDING);

        assertThat(finding.find(m.id(), n.id()).orElseThrow().status()).isEqualTo(PreApproval.Status.SUCCESSFUL);
        assertThat(finding.find(other.id(), n.id())).isEmpty();
        assertThat(finding.find(m.id(), UUID.randomUUID())).isEmpty();
        assertThat(history(n.id())).extracting(Row::to).containsExactly("PENDING", "SUCCESSFUL");
    }

    @Test
    void anApprovedPreApprovalCoversALaterRequestToPayOfTheSamePayerUntilItExpires() {
        MomoUseCaseDb.Merchant m = db.merchant(CLOCK);
        MomoUseCaseDb.Merchant other = db.merchant(CLOCK);
        String payer = msisdn();
        RequestingPreApproval.NewPreApproval n = asked(m, payer, null);
        requesting.request(n);

        PaymentRequest beforeApproval = deposit(m, PaymentKind.DEPOSIT, payer, "ZMW");
        assertThat(applying.apply(beforeApproval)).isSameAs(beforeApproval);
        operator.decide(n.id().toString(), CustomerApprovals.Status.APPROVED, true);

        PaymentRequest covered = applying.apply(deposit(m, PaymentKind.DEPOSIT, payer, "ZMW"));
        assertThat(covered.preAuthorisationCode()).isEqualTo(n.id().toString());
        assertThat(covered.amount().value()).isEqualByComparingTo("15");
        for (PaymentRequest notCovered : List.of(deposit(m, PaymentKind.DEPOSIT, msisdn(), "ZMW"),
                deposit(m, PaymentKind.DEPOSIT, payer, "EUR"), deposit(other, PaymentKind.DEPOSIT, payer, "ZMW"),
                deposit(m, PaymentKind.PAYOUT, payer, "ZMW"))) {
            assertThat(applying.apply(notCovered)).isSameAs(notCovered);
        }

        CLOCK.advance(Duration.ofDays(30));
        PaymentRequest afterExpiry = deposit(m, PaymentKind.DEPOSIT, payer, "ZMW");
        assertThat(applying.apply(afterExpiry)).isSameAs(afterExpiry);
        // Expiry is read with the clock; it is not a move, so the history has nothing to add.
        assertThat(history(n.id())).extracting(Row::to).containsExactly("PENDING", "SUCCESSFUL");
    }
}
