package io.kulipa.dialects.momo.credentials;

import io.kulipa.payments.Secrets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kulipa.payments.OnboardingMerchant;
import io.kulipa.store.Database;
import io.kulipa.store.JdbiMerchantStore;
import io.kulipa.dialects.momo.store.JdbiMomoCredentialStore;
import io.kulipa.testing.MutableClock;
import io.kulipa.testing.TestDatabase;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The MoMo credential use cases on a real PostgreSQL: provisioning API users and keys, issuing
 * tokens, and letting product calls through only with the right key, token, merchant and
 * product. Secrets never reach the database in clear.
 */
class MomoCredentialUseCasesTest {

    static Database db;
    static JdbiMomoCredentialStore store;
    static OnboardingMerchant onboarding;
    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    static ProvisioningApiUser provisioning;
    static IssuingAccessToken issuing;
    static AuthenticatingMomoCall authenticating;
    static GrantingSubscriptionKeys granting;

    @BeforeAll
    static void open() throws Exception {
        db = Database.open(new Database.Settings(TestDatabase.newDatabase(), "postgres", "",
                Files.createTempDirectory("kulipa-momo-credentials"), 4));
        store = new JdbiMomoCredentialStore(db.jdbi());
        onboarding = new OnboardingMerchant(new JdbiMerchantStore(db.jdbi()));
        provisioning = new ProvisioningApiUser(store, CLOCK);
        issuing = new IssuingAccessToken(store, CLOCK);
        authenticating = new AuthenticatingMomoCall(store, CLOCK);
        granting = new GrantingSubscriptionKeys(store);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    /** A merchant with one subscription key for all three products, an API user and its key. */
    record Setup(UUID merchantId, String subscriptionKey, UUID apiUser, String apiKey) {
    }

    static UUID merchant() {
        return onboarding.onboard("Momo merchant " + UUID.randomUUID(), Set.of(), Map.of(), null).merchant().id();
    }

    static Setup setup() {
        UUID merchant = merchant();
        String key = granting.grantAll(merchant, null);
        UUID user = UUID.randomUUID();
        assertThat(provisioning.create(merchant, user, "webhook.site"))
                .isInstanceOf(ProvisioningApiUser.Created.Done.class);
        String apiKey = provisioning.createApiKey(merchant, user).orElseThrow();
        return new Setup(merchant, key, user, apiKey);
    }

    static String token(Setup s, MomoProduct product) {
        return ((IssuingAccessToken.Result.Issued) issuing.issue(s.subscriptionKey(), product, s.apiUser().toString(),
                s.apiKey())).accessToken();
    }

    @Test
    void aUserIsCreatedUnderTheMerchantOfTheSubscriptionKeyAndSeenOnlyByIt() {
        Setup s = setup();
        assertThat(provisioning.merchantOf(s.subscriptionKey())).contains(s.merchantId());
        assertThat(provisioning.find(s.merchantId(), s.apiUser())).get()
                .satisfies(u -> assertThat(u.providerCallbackHost().host()).isEqualTo("webhook.site"))
                .satisfies(u -> assertThat(u.createdAt()).isEqualTo(CLOCK.instant()));
        UUID other = merchant();
        assertThat(provisioning.find(other, s.apiUser())).isEmpty();
        assertThat(provisioning.createApiKey(other, s.apiUser())).isEmpty();
        assertThat(provisioning.find(s.merchantId(), UUID.randomUUID())).isEmpty();
    }

    @Test
    void aReusedReferenceIdIsAlreadyExistsAndChangesNothing() {
        Setup s = setup();
        assertThat(provisioning.create(s.merchantId(), s.apiUser(), "other.example"))
                .isEqualTo(new ProvisioningApiUser.Created.AlreadyExists(s.apiUser()));
        // Another merchant cannot take the id either.
        assertThat(provisioning.create(merchant(), s.apiUser(), "other.example"))
                .isInstanceOf(ProvisioningApiUser.Created.AlreadyExists.class);
        assertThat(provisioning.find(s.merchantId(), s.apiUser()).orElseThrow().providerCallbackHost().host())
                .isEqualTo("webhook.site");
    }

    @Test
    void theCallbackHostMayBeABareHostOrAUrl() {
        UUID merchant = merchant();
        Map<String, String> given = Map.of(
                "webhook.site", "webhook.site",
                "https://Webhook.Site/abc/def?x=1", "webhook.site",
                "http://shop.example.com:8443/momo/callback", "shop.example.com",
                "shop.example.com:8443", "shop.example.com",
                "api.example.org/callbacks", "api.example.org",
                "localhost", "localhost",
                "10.1.2.3", "10.1.2.3");
        given.forEach((text, host) -> {
            UUID id = UUID.randomUUID();
            assertThat(provisioning.create(merchant, id, text)).isInstanceOf(ProvisioningApiUser.Created.Done.class);
            CallbackHost stored = provisioning.find(merchant, id).orElseThrow().providerCallbackHost();
            assertThat(stored.host()).as(text).isEqualTo(host);
        });
        for (String bad : List.of("", "   ", "https://", "not a host", "http://exa mple.com", "-bad-.com",
                "x".repeat(CallbackHost.MAX_INPUT_CHARS + 1))) {
            assertThat(provisioning.create(merchant, UUID.randomUUID(), bad)).as(bad)
                    .isInstanceOf(ProvisioningApiUser.Created.InvalidCallbackHost.class);
        }
        CallbackHost host = CallbackHost.parse("webhook.site").orElseThrow();
        assertThat(host.matches("https://webhook.site/cb/1")).isTrue();
        assertThat(host.matches("https://WEBHOOK.site:443/cb")).isTrue();
        assertThat(host.matches("https://evil.example/webhook.site")).isFalse();
        assertThat(host.matches("https://webhook.site.evil.example/")).isFalse();
    }

    @Test
    void aTokenIsIssuedForEachProductAndLetsItsCallsThrough() {
        Setup s = setup();
        for (MomoProduct product : MomoProduct.values()) {
            IssuingAccessToken.Result result = issuing.issue(s.subscriptionKey(), product, s.apiUser().toString(),
                    s.apiKey());
            assertThat(result).isInstanceOf(IssuingAccessToken.Result.Issued.class);
            IssuingAccessToken.Result.Issued issued = (IssuingAccessToken.Result.Issued) result;
            assertThat(issued.expiresIn()).isEqualTo(Duration.ofSeconds(3600));
            assertThat(issued.expiresAt()).isEqualTo(CLOCK.instant().plusSeconds(3600));
            assertThat(issued.toString()).doesNotContain(issued.accessToken());
            assertThat(authenticating.authenticate(s.subscriptionKey(), issued.accessToken(), product))
                    .isEqualTo(new AuthenticatingMomoCall.Result.Authenticated(
                            new AuthenticatingMomoCall.Caller(s.merchantId(), s.apiUser(), product)));
        }
    }

    @Test
    void wrongCredentialsGetNoToken() {
        Setup s = setup();
        Setup other = setup();
        String user = s.apiUser().toString();
        assertThat(issuing.issue(s.subscriptionKey(), MomoProduct.COLLECTION, user, "wrong"))
                .isEqualTo(refusedToken(CredentialRefusal.BAD_CREDENTIALS));
        assertThat(issuing.issue(s.subscriptionKey(), MomoProduct.COLLECTION, user, ""))
                .isEqualTo(refusedToken(CredentialRefusal.BAD_CREDENTIALS));
        assertThat(issuing.issue(s.subscriptionKey(), MomoProduct.COLLECTION, "not-a-uuid", s.apiKey()))
                .isEqualTo(refusedToken(CredentialRefusal.BAD_CREDENTIALS));
        assertThat(issuing.issue(s.subscriptionKey(), MomoProduct.COLLECTION, UUID.randomUUID().toString(),
                s.apiKey())).isEqualTo(refusedToken(CredentialRefusal.BAD_CREDENTIALS));
        // Another merchant's user, with its own right key, under this merchant's subscription key.
        assertThat(issuing.issue(s.subscriptionKey(), MomoProduct.COLLECTION, other.apiUser().toString(),
                other.apiKey())).isEqualTo(refusedToken(CredentialRefusal.BAD_CREDENTIALS));
        assertThat(issuing.issue("no-such-key", MomoProduct.COLLECTION, user, s.apiKey()))
                .isEqualTo(refusedToken(CredentialRefusal.UNKNOWN_SUBSCRIPTION_KEY));
        assertThat(issuing.issue(null, MomoProduct.COLLECTION, user, s.apiKey()))
                .isEqualTo(refusedToken(CredentialRefusal.MISSING_SUBSCRIPTION_KEY));
        // A user without an API key yet.
        UUID bare = UUID.randomUUID();
        provisioning.create(s.merchantId(), bare, "webhook.site");
        assertThat(issuing.issue(s.subscriptionKey(), MomoProduct.COLLECTION, bare.toString(), ""))
                .isEqualTo(refusedToken(CredentialRefusal.BAD_CREDENTIALS));
    }

    @Test
    void aKeyOfAnotherProductIsTheWrongProduct() {
        UUID merchant = merchant();
        String collectionKey = granting.grant(merchant, MomoProduct.COLLECTION, null);
        String disbursementKey = granting.grant(merchant, MomoProduct.DISBURSEMENT, null);
        UUID user = UUID.randomUUID();
        provisioning.create(merchant, user, "webhook.site");
        String apiKey = provisioning.createApiKey(merchant, user).orElseThrow();
        assertThat(issuing.issue(disbursementKey, MomoProduct.COLLECTION, user.toString(), apiKey))
                .isEqualTo(refusedToken(CredentialRefusal.WRONG_PRODUCT));
        String collectionToken = ((IssuingAccessToken.Result.Issued) issuing.issue(collectionKey,
                MomoProduct.COLLECTION, user.toString(), apiKey)).accessToken();
        assertThat(authenticating.authenticate(disbursementKey, collectionToken, MomoProduct.COLLECTION))
                .isEqualTo(refusedCall(CredentialRefusal.WRONG_PRODUCT));
        // The collection token with the right disbursement key is still a token of another product.
        assertThat(authenticating.authenticate(disbursementKey, collectionToken, MomoProduct.DISBURSEMENT))
                .isEqualTo(refusedCall(CredentialRefusal.FOREIGN_TOKEN));
        assertThat(issuing.issue(collectionKey, MomoProduct.REMITTANCE, user.toString(), apiKey))
                .isEqualTo(refusedToken(CredentialRefusal.WRONG_PRODUCT));
    }

    @Test
    void aTokenExpiresAfterItsLifetime() {
        Setup s = setup();
        String token = token(s, MomoProduct.COLLECTION);
        CLOCK.advance(IssuingAccessToken.TOKEN_LIFETIME.minusSeconds(1));
        assertThat(authenticating.authenticate(s.subscriptionKey(), token, MomoProduct.COLLECTION))
                .isInstanceOf(AuthenticatingMomoCall.Result.Authenticated.class);
        CLOCK.advance(Duration.ofSeconds(1));
        assertThat(authenticating.authenticate(s.subscriptionKey(), token, MomoProduct.COLLECTION))
                .isEqualTo(refusedCall(CredentialRefusal.EXPIRED_TOKEN));
        // The next token of the user clears the expired one away.
        CLOCK.advance(Duration.ofSeconds(1));
        String fresh = token(s, MomoProduct.COLLECTION);
        assertThat(authenticating.authenticate(s.subscriptionKey(), token, MomoProduct.COLLECTION))
                .isEqualTo(refusedCall(CredentialRefusal.UNKNOWN_TOKEN));
        assertThat(authenticating.authenticate(s.subscriptionKey(), fresh, MomoProduct.COLLECTION))
                .isInstanceOf(AuthenticatingMomoCall.Result.Authenticated.class);
    }

    @Test
    void aTokenOfAnotherMerchantOrProductIsForeign() {
        Setup s = setup();
        Setup other = setup();
        String otherToken = token(other, MomoProduct.COLLECTION);
        assertThat(authenticating.authenticate(s.subscriptionKey(), otherToken, MomoProduct.COLLECTION))
                .isEqualTo(refusedCall(CredentialRefusal.FOREIGN_TOKEN));
        String collection = token(s, MomoProduct.COLLECTION);
        assertThat(authenticating.authenticate(s.subscriptionKey(), collection, MomoProduct.REMITTANCE))
                .isEqualTo(refusedCall(CredentialRefusal.FOREIGN_TOKEN));
        assertThat(authenticating.authenticate(s.subscriptionKey(), "made-up", MomoProduct.COLLECTION))
                .isEqualTo(refusedCall(CredentialRefusal.UNKNOWN_TOKEN));
        assertThat(authenticating.authenticate(s.subscriptionKey(), " ", MomoProduct.COLLECTION))
                .isEqualTo(refusedCall(CredentialRefusal.MISSING_TOKEN));
        assertThat(authenticating.authenticate("made-up", collection, MomoProduct.COLLECTION))
                .isEqualTo(refusedCall(CredentialRefusal.UNKNOWN_SUBSCRIPTION_KEY));
        assertThat(authenticating.authenticate("", collection, MomoProduct.COLLECTION))
                .isEqualTo(refusedCall(CredentialRefusal.MISSING_SUBSCRIPTION_KEY));
    }

    @Test
    void aNewApiKeyReplacesTheOld() {
        Setup s = setup();
        String newer = provisioning.createApiKey(s.merchantId(), s.apiUser()).orElseThrow();
        assertThat(newer).matches("[0-9a-f]{32}").isNotEqualTo(s.apiKey());
        assertThat(issuing.issue(s.subscriptionKey(), MomoProduct.COLLECTION, s.apiUser().toString(), s.apiKey()))
                .isEqualTo(refusedToken(CredentialRefusal.BAD_CREDENTIALS));
        assertThat(issuing.issue(s.subscriptionKey(), MomoProduct.COLLECTION, s.apiUser().toString(), newer))
                .isInstanceOf(IssuingAccessToken.Result.Issued.class);
    }

    @Test
    void subscriptionKeysAreGivenFixedOrNewAndReplaceTheOldOnes() {
        UUID merchant = merchant();
        String generated = granting.grantAll(merchant, null);
        assertThat(generated).matches("[0-9a-f]{32}");
        String fixed = "fixed-momo-key-" + UUID.randomUUID();
        assertThat(granting.grantAll(merchant, " " + fixed + " ")).isEqualTo(fixed);
        for (MomoProduct product : MomoProduct.values()) {
            assertThat(granting.holds(merchant, product, fixed)).isTrue();
            assertThat(granting.holds(merchant, product, generated)).isFalse();
        }
        assertThat(granting.merchantOf(generated)).isEmpty();
        // Giving the same key again is harmless; another merchant cannot have it.
        assertThat(granting.grantAll(merchant, fixed)).isEqualTo(fixed);
        UUID other = merchant();
        assertThatThrownBy(() -> granting.grantAll(other, fixed)).isInstanceOf(IllegalArgumentException.class);
        assertThat(granting.merchantOf(fixed)).contains(merchant);
        assertThatThrownBy(() -> granting.grantAll(other, "  ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noSecretIsStoredInClear() {
        Setup s = setup();
        String token = token(s, MomoProduct.DISBURSEMENT);
        String everything = db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT string_agg(t::text, ' ') FROM (
                            SELECT row_to_json(k)::text AS t FROM momo_subscription_key k
                            UNION ALL SELECT row_to_json(u)::text FROM momo_api_user u
                            UNION ALL SELECT row_to_json(a)::text FROM momo_api_key a
                            UNION ALL SELECT row_to_json(x)::text FROM momo_access_token x) all_rows""")
                .mapTo(String.class).one());
        assertThat(everything).contains(Secrets.digest(token))
                .doesNotContain(s.subscriptionKey()).doesNotContain(s.apiKey()).doesNotContain(token);
    }

    private static IssuingAccessToken.Result refusedToken(CredentialRefusal why) {
        return new IssuingAccessToken.Result.Refused(why);
    }

    private static AuthenticatingMomoCall.Result refusedCall(CredentialRefusal why) {
        return new AuthenticatingMomoCall.Result.Refused(why);
    }
}
