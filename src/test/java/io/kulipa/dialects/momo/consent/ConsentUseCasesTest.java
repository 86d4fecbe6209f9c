package io.kulipa.dialects.momo.consent;

import io.kulipa.payments.Secrets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kulipa.dialects.momo.MomoUseCaseDb;
import io.kulipa.testing.MutableClock;
import io.kulipa.dialects.momo.MomoUseCaseDb.Row;
import io.kulipa.dialects.momo.OperatorApprovals;
import io.kulipa.dialects.momo.credentials.AuthenticatingApiUser;
import io.kulipa.dialects.momo.credentials.CredentialRefusal;
import io.kulipa.dialects.momo.credentials.MomoProduct;
import io.kulipa.dialects.momo.store.JdbiConsentStore;
import io.kulipa.providers.CustomerApprovals;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The consent (CIBA) and KYC use cases on a real PostgreSQL: requesting a consent, the
 * customer's decision, redeeming it once for identity tokens, and reading the customer's
 * identity with them. Secrets reach the database only as digests; every change leaves its row in
 * momo_consent_event, and the history follows the table.
 */
class ConsentUseCasesTest {

    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    static final int CONCURRENT_REDEEMS = 8;
    static MomoUseCaseDb db;
    static JdbiConsentStore store;
    static OperatorApprovals operator;
    static RequestingConsent requesting;
    static RecordingConsentDecision recording;
    static RedeemingConsent redeeming;
    static ReadingCustomerIdentity reading;

    @BeforeAll
    static void open() {
        db = new MomoUseCaseDb("consent");
        store = new JdbiConsentStore(db.jdbi());
        operator = new OperatorApprovals();
        AuthenticatingApiUser users = new AuthenticatingApiUser(db.credentials());
        requesting = new RequestingConsent(store, operator, CLOCK);
        recording = new RecordingConsentDecision(store);
        operator.listen(recording::record);
        redeeming = new RedeemingConsent(users, store, operator, recording, CLOCK);
        reading = new ReadingCustomerIdentity(users, store, operator, CLOCK);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    static String msisdn() {
        return "23324" + (1_000_000 + ThreadLocalRandom.current().nextInt(8_999_999));
    }

    record Asked(MomoUseCaseDb.Merchant merchant, String msisdn, RequestingConsent.Requested requested, Consent consent) {
    }

    static Asked ask(MomoUseCaseDb.Merchant m) {
        String msisdn = msisdn();
        RequestingConsent.Requested r = requesting.request(new RequestingConsent.NewConsent(m.id(), m.name(),
                m.apiUser(), MomoProduct.COLLECTION, msisdn, "profile", "offline", null));
        Consent c = store.byAuthReq(Secrets.digest(r.authReqId())).orElseThrow();
        return new Asked(m, msisdn, r, c);
    }

    static RedeemingConsent.Result redeem(Asked a) {
        return redeeming.redeem(a.merchant().subscriptionKey(), MomoProduct.COLLECTION, a.merchant().apiUser().toString(),
                a.merchant().apiKey(), a.requested().authReqId());
    }

    static List<Row> history(UUID id) {
        return db.history("momo_consent_event", "consent_id", id);
    }

    static Consent.Status status(UUID id) {
        return store.find(id).orElseThrow().status();
    }

    @Test
    void aConsentIsRecordedWithItsCreationAndOnlyTheDigestOfItsAuthReqId() {
        Asked a = ask(db.merchant(CLOCK));

        assertThat(a.consent().status()).isEqualTo(Consent.Status.PENDING);
        assertThat(a.consent().msisdn()).isEqualTo(a.msisdn());
        assertThat(a.consent().expiresAt()).isEqualTo(CLOCK.instant().plus(OperatorApprovals.APPROVAL_WINDOW));
        assertThat(a.requested().interval()).isEqualTo(RequestingConsent.POLL_INTERVAL);
        assertThat(a.requested().expiresIn()).isEqualTo(OperatorApprovals.APPROVAL_WINDOW);
        assertThat(a.requested().toString()).doesNotContain(a.requested().authReqId());
        assertThat(db.count("SELECT count(*) FROM momo_consent WHERE auth_req_digest = :clear",
                Map.of("clear", a.requested().authReqId()))).isZero();
        assertThat(history(a.consent().id())).extracting(Row::from, Row::to, Row::event)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(null, "PENDING", "CREATED"));
        assertThat(operator.requests()).filteredOn(r -> r.reference().equals(a.consent().id().toString()))
                .singleElement().satisfies(r -> {
                    assertThat(r.kind()).isEqualTo(CustomerApprovals.Kind.CONSENT);
                    assertThat(r.msisdn()).isEqualTo(a.msisdn());
                    assertThat(r.description()).contains(a.merchant().name(), "date of birth");
                });
    }

    @Test
    void anApprovedConsentIsRedeemedOnceForTokensThatReadTheCustomersIdentity() {
        Asked a = ask(db.merchant(CLOCK));
        operator.profile(new CustomerApprovals.Profile(a.msisdn(), "Kwame", "Mensah", "MALE",
                LocalDate.of(1985, 2, 3), "en_GB"));

        assertThat(redeem(a)).isInstanceOf(RedeemingConsent.Result.Pending.class);
        operator.decide(a.consent().id().toString(), CustomerApprovals.Status.APPROVED, true);
        assertThat(status(a.consent().id())).isEqualTo(Consent.Status.APPROVED);

        RedeemingConsent.Result.Issued issued = (RedeemingConsent.Result.Issued) redeem(a);
        assertThat(issued.expiresIn()).isEqualTo(RedeemingConsent.ACCESS_TOKEN_LIFETIME);
        assertThat(issued.scope()).isEqualTo("profile");
        assertThat(issued.toString()).doesNotContain(issued.accessToken(), issued.refreshToken());
        assertThat(redeem(a)).isInstanceOf(RedeemingConsent.Result.InvalidGrant.class);

        assertThat(status(a.consent().id())).isEqualTo(Consent.Status.REDEEMED);
        List<Row> rows = history(a.consent().id());
        assertThat(rows).extracting(Row::to).containsExactly("PENDING", "APPROVED", "REDEEMED");
        MomoUseCaseDb.assertFollows(rows, Consent.Status.TABLE);
        // Two tokens were bought, and neither is kept in clear.
        assertThat(db.count("SELECT count(*) FROM momo_oauth2_token WHERE consent_id = :c AND kind IN "
                + "('ACCESS', 'REFRESH')", Map.of("c", a.consent().id()))).isEqualTo(2);
        assertThat(db.count("SELECT count(*) FROM momo_oauth2_token WHERE token_digest IN (:a, :r)",
                Map.of("a", issued.accessToken(), "r", issued.refreshToken()))).isZero();

        ReadingCustomerIdentity.Result.Found found = (ReadingCustomerIdentity.Result.Found) reading.withConsent(
                a.merchant().subscriptionKey(), MomoProduct.COLLECTION, issued.accessToken());
        assertThat(found.profile().name()).isEqualTo("Kwame Mensah");
        assertThat(found.scope()).isEqualTo("profile");
    }

    @Test
    void aDecisionLostOnTheWayIsAskedForWhenTheMerchantPolls() {
        Asked a = ask(db.merchant(CLOCK));
        operator.decide(a.consent().id().toString(), CustomerApprovals.Status.APPROVED, false);
        assertThat(status(a.consent().id())).isEqualTo(Consent.Status.PENDING);

        assertThat(redeem(a)).isInstanceOf(RedeemingConsent.Result.Issued.class);
        assertThat(history(a.consent().id())).extracting(Row::to).containsExactly("PENDING", "APPROVED", "REDEEMED");
    }

    @Test
    void rejectedAndExpiredConsentsAreFinalAndBuyNoToken() {
        Asked rejected = ask(db.merchant(CLOCK));
        Asked expired = ask(db.merchant(CLOCK));
        operator.decide(rejected.consent().id().toString(), CustomerApprovals.Status.REJECTED, true);
        operator.decide(expired.consent().id().toString(), CustomerApprovals.Status.EXPIRED, true);
        // A late approval of a final consent changes nothing.
        recording.record(new CustomerApprovals.Decision(rejected.consent().id().toString(),
                CustomerApprovals.Kind.CONSENT, CustomerApprovals.Status.APPROVED));

        assertThat(redeem(rejected)).isInstanceOf(RedeemingConsent.Result.Denied.class);
        assertThat(redeem(expired)).isInstanceOf(RedeemingConsent.Result.Expired.class);
        assertThat(history(rejected.consent().id())).extracting(Row::to).containsExactly("PENDING", "REJECTED");
        assertThat(history(expired.consent().id())).extracting(Row::to).containsExactly("PENDING", "EXPIRED");
        assertThat(db.count("SELECT count(*) FROM momo_oauth2_token WHERE consent_id IN (:r, :e)",
                Map.of("r", rejected.consent().id(), "e", expired.consent().id()))).isZero();
    }

    @Test
    void onlyTheApiUserThatAskedRedeemsAndWithItsOwnKey() {
        Asked a = ask(db.merchant(CLOCK));
        MomoUseCaseDb.Merchant other = db.merchant(CLOCK);
        operator.decide(a.consent().id().toString(), CustomerApprovals.Status.APPROVED, true);

        assertThat(redeeming.redeem(other.subscriptionKey(), MomoProduct.COLLECTION, other.apiUser().toString(),
                other.apiKey(), a.requested().authReqId())).isInstanceOf(RedeemingConsent.Result.InvalidGrant.class);
        assertThat(redeeming.redeem(a.merchant().subscriptionKey(), MomoProduct.DISBURSEMENT,
                a.merchant().apiUser().toString(), a.merchant().apiKey(), a.requested().authReqId()))
                .isInstanceOf(RedeemingConsent.Result.InvalidGrant.class);
        assertThat(redeeming.redeem(a.merchant().subscriptionKey(), MomoProduct.COLLECTION,
                a.merchant().apiUser().toString(), "wrong key", a.requested().authReqId()))
                .isInstanceOf(RedeemingConsent.Result.Refused.class);
        assertThat(redeeming.redeem(a.merchant().subscriptionKey(), MomoProduct.COLLECTION,
                a.merchant().apiUser().toString(), a.merchant().apiKey(), " "))
                .isInstanceOf(RedeemingConsent.Result.InvalidGrant.class);
        assertThat(status(a.consent().id())).isEqualTo(Consent.Status.APPROVED);
    }

    @Test
    void ofConcurrentRedeemsOfOneConsentExactlyOneGetsTokens() throws Exception {
        Asked a = ask(db.merchant(CLOCK));
        operator.decide(a.consent().id().toString(), CustomerApprovals.Status.APPROVED, true);

        List<RedeemingConsent.Result> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT_REDEEMS)) {
            List<Callable<RedeemingConsent.Result>> calls = new ArrayList<>();
            for (int i = 0; i < CONCURRENT_REDEEMS; i++) {
                calls.add(() -> redeem(a));
            }
            for (Future<RedeemingConsent.Result> f : pool.invokeAll(calls)) {
                results.add(f.get());
            }
        }

        assertThat(results).filteredOn(r -> r instanceof RedeemingConsent.Result.Issued).hasSize(1);
        assertThat(results).filteredOn(r -> r instanceof RedeemingConsent.Result.InvalidGrant)
                .hasSize(CONCURRENT_REDEEMS - 1);
        assertThat(db.count("SELECT count(*) FROM momo_oauth2_token WHERE consent_id = :c",
                Map.of("c", a.consent().id()))).isEqualTo(2);
        assertThat(history(a.consent().id())).extracting(Row::to).containsExactly("PENDING", "APPROVED", "REDEEMED");
    }

    @Test
    void identityIsReadOnlyWithALiveAccessTokenOfTheSameMerchant() {
        Asked a = ask(db.merchant(CLOCK));
        MomoUseCaseDb.Merchant other = db.merchant(CLOCK);
        operator.decide(a.consent().id().toString(), CustomerApprovals.Status.APPROVED, true);
        RedeemingConsent.Result.Issued issued = (RedeemingConsent.Result.Issued) redeem(a);
        String key = a.merchant().subscriptionKey();

        assertThat(refusal(reading.withConsent(key, MomoProduct.COLLECTION, null)))
                .isEqualTo(CredentialRefusal.MISSING_TOKEN);
        assertThat(refusal(reading.withConsent(key, MomoProduct.COLLECTION, issued.refreshToken())))
                .isEqualTo(CredentialRefusal.UNKNOWN_TOKEN);
        assertThat(refusal(reading.withConsent(other.subscriptionKey(), MomoProduct.COLLECTION, issued.accessToken())))
                .isEqualTo(CredentialRefusal.FOREIGN_TOKEN);
        assertThat(reading.withConsent("no such key", MomoProduct.COLLECTION, issued.accessToken()))
                .isInstanceOf(ReadingCustomerIdentity.Result.Refused.class);
        assertThat(reading.withConsent(key, MomoProduct.COLLECTION, " " + issued.accessToken() + " "))
                .isInstanceOf(ReadingCustomerIdentity.Result.Found.class);

        CLOCK.advance(RedeemingConsent.ACCESS_TOKEN_LIFETIME);
        assertThat(refusal(reading.withConsent(key, MomoProduct.COLLECTION, issued.accessToken())))
                .isEqualTo(CredentialRefusal.EXPIRED_TOKEN);
        assertThat(reading.basic(a.msisdn()).msisdn()).isEqualTo(a.msisdn());
    }

    @Test
    void theStoreRefusesAMoveTheTableDoesNotAllowAndAMoveFromTheWrongStatus() {
        Asked a = ask(db.merchant(CLOCK));

        assertThatThrownBy(() -> store.move(a.consent().id(), Consent.Status.PENDING, Consent.Status.REDEEMED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PENDING -> REDEEMED");
        assertThatThrownBy(() -> store.move(a.consent().id(), Consent.Status.REDEEMED, Consent.Status.APPROVED))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.move(a.consent().id(), Consent.Status.APPROVED, Consent.Status.REDEEMED)).isFalse();
        assertThat(store.redeem(a.consent().id(), Map.of())).isFalse();
        assertThat(history(a.consent().id())).hasSize(1);
        assertThat(status(a.consent().id())).isEqualTo(Consent.Status.PENDING);
    }

    private static CredentialRefusal refusal(ReadingCustomerIdentity.Result r) {
        return ((ReadingCustomerIdentity.Result.Refused) r).why();
    }
}
