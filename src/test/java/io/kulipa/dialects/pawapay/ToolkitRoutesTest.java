package io.kulipa.dialects.pawapay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.kulipa.web.Authenticator;
import io.kulipa.web.ops.AvailabilityOpsRoutes;
import io.kulipa.ledger.AccountRef;
import io.kulipa.ledger.Balance;
import io.kulipa.ledger.LedgerOp;
import io.kulipa.ledger.LedgerStore;
import io.kulipa.payments.Merchant;
import io.kulipa.payments.MerchantStore;
import io.kulipa.payments.OnboardingMerchant;
import io.kulipa.payments.PaymentKind;
import io.kulipa.providers.Availability;
import io.kulipa.providers.AvailabilityBoard;
import io.kulipa.providers.Catalog;
import io.kulipa.providers.Correspondent;
import io.kulipa.providers.Operation;
import io.kulipa.providers.Prediction;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pawaPay toolkit endpoints over real HTTP, on a Javalin server of their own with the
 * real catalog, availability board and prediction, an in-memory merchant directory and an
 * in-memory ledger. Shapes follow the samples of the spec.
 */
class ToolkitRoutesTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final Catalog CATALOG = Catalog.loadDefault();
    static final String TOKEN = "toolkit-test-token";
    static final String ALL_TOKEN = "toolkit-test-token-all";
    static final String ADMIN_TOKEN = "toolkit-test-admin-token";

    static InMemoryMerchants merchants;
    static InMemoryLedger ledger;
    static AvailabilityBoard board;
    static final Set<String> HEALTHY = ConcurrentHashMap.newKeySet();
    static Javalin app;
    static String base;
    static Merchant merchant;
    static Merchant everything;

    @BeforeAll
    static void start() {
        merchants = new InMemoryMerchants();
        OnboardingMerchant onboarding = new OnboardingMerchant(merchants);
        merchant = onboarding.onboard("Merchant Inc.", Set.of("MTN_MOMO_ZMB", "AIRTEL_OAPI_ZMB", "MTN_MOMO_GHA"),
                Map.of(), TOKEN).merchant();
        everything = onboarding.onboard("All Correspondents Ltd", Set.of(), Map.of(), ALL_TOKEN).merchant();
        ledger = new InMemoryLedger();
        board = new AvailabilityBoard(CATALOG, HEALTHY::contains, Clock.systemUTC());
        ToolkitRoutes routes = new ToolkitRoutes(new Authenticator(onboarding), CATALOG, board,
                new Prediction(CATALOG), ledger);
        AvailabilityOpsRoutes ops = new AvailabilityOpsRoutes(ADMIN_TOKEN, board);
        app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            routes.register(cfg.routes);
            ops.register(cfg.routes);
        }).start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + app.port();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.stop();
        }
    }

    @BeforeEach
    void reset() {
        // Every correspondent recovers (a HEALTHY probe is the only way back) and overrides go.
        CATALOG.correspondents().forEach(c -> HEALTHY.add(c.id()));
        board.probeDegraded();
        HEALTHY.clear();
        for (Correspondent c : CATALOG.correspondents()) {
            for (Operation op : Operation.values()) {
                board.clear(c.id(), op);
            }
        }
        ledger.wallets.clear();
    }

    // GET /availability

    @Test
    void availabilityNeedsNoTokenAndListsEveryCorrespondentGroupedByCountry() throws Exception {
        Answer a = get("/availability", null);
        assertThat(a.status).isEqualTo(200);
        assertThat(a.body.isArray()).isTrue();
        List<String> seen = new ArrayList<>();
        Set<String> countries = new HashSet<>();
        for (JsonNode country : a.body) {
            assertThat(names(country)).containsExactly("country", "correspondents");
            assertThat(countries.add(country.path("country").asText())).as("each country once").isTrue();
            for (JsonNode c : country.path("correspondents")) {
                assertThat(names(c)).containsExactly("correspondent", "operationTypes");
                String id = c.path("correspondent").asText();
                assertThat(CATALOG.correspondent(id).orElseThrow().country())
                        .isEqualTo(country.path("country").asText());
                seen.add(id);
                assertThat(c.path("operationTypes")).hasSize(2);
                for (JsonNode op : c.path("operationTypes")) {
                    assertThat(names(op)).containsExactly("operationType", "status");
                    assertThat(op.path("status").asText()).isEqualTo("OPERATIONAL");
                }
                assertThat(c.at("/operationTypes/0/operationType").asText()).isEqualTo("DEPOSIT");
                assertThat(c.at("/operationTypes/1/operationType").asText()).isEqualTo("PAYOUT");
            }
        }
        assertThat(seen).containsExactlyElementsOf(CATALOG.correspondents().stream().map(Correspondent::id).toList());
    }

    @Test
    void availabilityShowsOverridesAndTheMonitor() throws Exception {
        board.set("MTN_MOMO_ZMB", Operation.DEPOSIT, Availability.Status.CLOSED);
        board.set("VODAFONE_GHA", Operation.PAYOUT, Availability.Status.DELAYED);
        for (int i = 0; i < AvailabilityBoard.MIN_ATTEMPTS; i++) {
            board.observe("ZAMTEL_ZMB", Operation.DEPOSIT, true);
        }
        JsonNode body = get("/availability", null).body;
        assertThat(statuses(body, "ZMB", "MTN_MOMO_ZMB")).containsExactly("CLOSED", "OPERATIONAL");
        assertThat(statuses(body, "GHA", "VODAFONE_GHA")).containsExactly("OPERATIONAL", "DELAYED");
        assertThat(statuses(body, "ZMB", "ZAMTEL_ZMB")).containsExactly("CLOSED", "DELAYED");
        assertThat(statuses(body, "ZMB", "AIRTEL_OAPI_ZMB")).containsExactly("OPERATIONAL", "OPERATIONAL");

        HEALTHY.add("ZAMTEL_ZMB");
        board.probeDegraded();
        assertThat(statuses(get("/availability", null).body, "ZMB", "ZAMTEL_ZMB"))
                .containsExactly("OPERATIONAL", "OPERATIONAL");
    }

    // PUT /ops/availability/{correspondent}/{operationType}, seen through GET /availability

    @Test
    void opsOverridesShowInAvailabilityAndANullStatusClearsThem() throws Exception {
        Answer set = put("/ops/availability/MTN_MOMO_ZMB/PAYOUT", ADMIN_TOKEN, "{\"status\": \"DELAYED\"}");
        assertThat(set.status).isEqualTo(200);
        assertThat(set.body.path("correspondent").asText()).isEqualTo("MTN_MOMO_ZMB");
        assertThat(set.body.path("operationType").asText()).isEqualTo("PAYOUT");
        assertThat(set.body.path("status").asText()).isEqualTo("DELAYED");
        assertThat(set.body.path("override").asText()).isEqualTo("DELAYED");
        assertThat(statuses(get("/availability", null).body, "ZMB", "MTN_MOMO_ZMB"))
                .containsExactly("OPERATIONAL", "DELAYED");

        Answer cleared = put("/ops/availability/MTN_MOMO_ZMB/PAYOUT", ADMIN_TOKEN, "{\"status\": null}");
        assertThat(cleared.status).isEqualTo(200);
        assertThat(cleared.body.path("status").asText()).isEqualTo("OPERATIONAL");
        assertThat(cleared.body.path("override").isNull()).isTrue();
        assertThat(statuses(get("/availability", null).body, "ZMB", "MTN_MOMO_ZMB"))
                .containsExactly("OPERATIONAL", "OPERATIONAL");
    }

    @Test
    void anOpsOverrideOpensADegradedCorrespondent() throws Exception {
        for (int i = 0; i < AvailabilityBoard.MIN_ATTEMPTS; i++) {
            board.observe("TNM_MWI", Operation.DEPOSIT, true);
        }
        Answer set = put("/ops/availability/TNM_MWI/DEPOSIT", ADMIN_TOKEN, "{\"status\": \"OPERATIONAL\"}");
        assertThat(set.body.path("status").asText()).isEqualTo("OPERATIONAL");
        assertThat(set.body.path("degraded").asBoolean()).isTrue();
        assertThat(statuses(get("/availability", null).body, "MWI", "TNM_MWI")).containsExactly("OPERATIONAL", "DELAYED");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/ops/availability/NO_SUCH_MNO/DEPOSIT {\"status\":\"CLOSED\"} correspondent: ",
            "/ops/availability/MTN_MOMO_ZMB/WITHDRAWAL {\"status\":\"CLOSED\"} operationType: ",
            "/ops/availability/MTN_MOMO_ZMB/DEPOSIT {\"status\":\"BROKEN\"} status: ",
            "/ops/availability/MTN_MOMO_ZMB/DEPOSIT {\"status\":3} status: ",
            "/ops/availability/MTN_MOMO_ZMB/DEPOSIT {} status: ",
            "/ops/availability/MTN_MOMO_ZMB/DEPOSIT not-json status: "})
    void opsOverridesRefuseUnknownNamesNamingTheField(String call) throws Exception {
        String[] parts = call.split(" ", 3);
        Answer a = put(parts[0], ADMIN_TOKEN, parts[1]);
        assertThat(a.status).isEqualTo(400);
        assertThat(a.body.path("errorMessage").asText()).startsWith(parts[2]);
        assertThat(statuses(get("/availability", null).body, "ZMB", "MTN_MOMO_ZMB"))
                .containsExactly("OPERATIONAL", "OPERATIONAL");
    }

    @Test
    void opsOverridesNeedTheAdminToken() throws Exception {
        for (String token : new String[]{null, TOKEN, ADMIN_TOKEN + "x"}) {
            Answer a = put("/ops/availability/MTN_MOMO_ZMB/DEPOSIT", token, "{\"status\": \"CLOSED\"}");
            assertThat(a.status).isEqualTo(401);
            assertThat(a.body.path("errorMessage").asText()).contains("admin bearer token");
        }
        assertThat(statuses(get("/availability", null).body, "ZMB", "MTN_MOMO_ZMB"))
                .containsExactly("OPERATIONAL", "OPERATIONAL");
    }

    // GET /active-conf

    @Test
    void activeConfListsOnlyTheMerchantsCorrespondentsInTheSpecsShape() throws Exception {
        Answer a = get("/active-conf", TOKEN);
        assertThat(a.status).isEqualTo(200);
        assertThat(names(a.body)).containsExactly("merchantId", "merchantName", "countries");
        assertThat(a.body.path("merchantId").asText()).isEqualTo(merchant.id().toString());
        assertThat(a.body.path("merchantName").asText()).isEqualTo("Merchant Inc.");
        JsonNode countries = a.body.path("countries");
        assertThat(countries).hasSize(2);
        assertThat(countries.findValuesAsText("country")).containsExactly("GHA", "ZMB");
        for (JsonNode country : countries) {
            assertThat(names(country)).containsExactly("country", "correspondents");
        }
        assertThat(countries.get(0).path("correspondents").findValuesAsText("correspondent"))
                .containsExactly("MTN_MOMO_GHA");
        assertThat(countries.get(1).path("correspondents").findValuesAsText("correspondent"))
                .containsExactly("AIRTEL_OAPI_ZMB", "MTN_MOMO_ZMB");

        JsonNode mtn = countries.get(1).path("correspondents").get(1);
        assertThat(names(mtn)).containsExactly("correspondent", "currency", "ownerName", "operationTypes");
        assertThat(mtn.path("currency").asText()).isEqualTo("ZMW");
        assertThat(mtn.path("ownerName").asText()).isEqualTo("MTN");
        JsonNode ops = mtn.path("operationTypes");
        assertThat(ops.findValuesAsText("operationType")).containsExactly("DEPOSIT", "PAYOUT", "REFUND");
        for (JsonNode op : ops) {
            assertThat(names(op)).containsExactly("operationType", "minTransactionLimit", "maxTransactionLimit");
            assertThat(op.path("minTransactionLimit").isTextual()).isTrue();
            assertThat(op.path("minTransactionLimit").asText()).isEqualTo("1");
            assertThat(op.path("maxTransactionLimit").asText()).isEqualTo("20000");
        }
    }

    @Test
    void activeConfOfAMerchantWithEverythingEnabledListsTheWholeCatalog() throws Exception {
        JsonNode body = get("/active-conf", ALL_TOKEN).body;
        assertThat(body.path("merchantId").asText()).isEqualTo(everything.id().toString());
        List<String> listed = body.path("countries").findValuesAsText("correspondent");
        assertThat(listed).containsExactlyElementsOf(CATALOG.correspondents().stream().map(Correspondent::id).toList());
        JsonNode kenya = find(body.path("countries"), "country", "KEN");
        assertThat(kenya.at("/correspondents/0/ownerName").asText()).isEqualTo("MPesa");
        assertThat(kenya.at("/correspondents/0/operationTypes/0/maxTransactionLimit").asText()).isEqualTo("150000");
    }

    // POST /v1/predict-correspondent

    @Test
    void predictAnswersTheSpecsSample() throws Exception {
        Answer a = post("/v1/predict-correspondent", TOKEN, "{\"msisdn\": \"+260 763-456789\"}");
        assertThat(a.status).isEqualTo(200);
        assertThat(names(a.body)).containsExactly("country", "operator", "correspondent", "msisdn");
        assertThat(a.body).isEqualTo(JSON.readTree(
                "{\"country\":\"ZMB\",\"operator\":\"MTN\",\"correspondent\":\"MTN_MOMO_ZMB\",\"msisdn\":\"260763456789\"}"));
    }

    @Test
    void predictUsesTheCarrierDataBeyondTheCatalogPrefixes() throws Exception {
        Answer a = post("/v1/predict-correspondent", TOKEN, "{\"msisdn\": \"+254 712 345 678\"}");
        assertThat(a.status).isEqualTo(200);
        assertThat(a.body.path("correspondent").asText()).isEqualTo("MPESA_KEN");
        assertThat(a.body.path("operator").asText()).isEqualTo("MPesa");
        assertThat(a.body.path("country").asText()).isEqualTo("KEN");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"msisdn\": \"+1 202 555 0143\"}",    // no supported country
            "{\"msisdn\": \"26076345678\"}",        // too short for Zambia
            "{\"msisdn\": \"233281234567\"}",       // Expresso Ghana: no correspondent
            "{\"msisdn\": \"not a number\"}",
            "{\"msisdn\": \"\"}",
            "{\"msisdn\": null}",
            "{\"msisdn\": 260763456789}",
            "{}"})
    void predictRefusesWhatIsNoNumberOfAConfiguredCorrespondent(String body) throws Exception {
        Answer a = post("/v1/predict-correspondent", TOKEN, body);
        assertThat(a.status).isEqualTo(400);
        assertThat(names(a.body)).containsExactly("errorMessage");
        assertThat(a.body.path("errorMessage").asText()).startsWith("msisdn: ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "[]", "\"260763456789\"", "{\"msisdn\": \"260763456789\"} trailing",
            "{\"msisdn\": \"260763456789\", \"msisdn\": \"260763456789\"}"})
    void predictRefusesABodyThatIsNoJsonObject(String body) throws Exception {
        Answer a = post("/v1/predict-correspondent", TOKEN, body);
        assertThat(a.status).isEqualTo(400);
        assertThat(a.body.path("errorMessage").asText()).contains("JSON object");
    }

    // GET /v1/wallet-balances

    @Test
    void walletBalancesListTheMerchantsWalletsAsPlainAmounts() throws Exception {
        ledger.fund(merchant.id(), "ZMB", "ZMW", "21800.030", "2.00");
        ledger.fund(merchant.id(), "UGA", "UGX", "10800.00", "2");
        ledger.fund(everything.id(), "KEN", "KES", "5", "0");
        Answer a = get("/v1/wallet-balances", TOKEN);
        assertThat(a.status).isEqualTo(200);
        assertThat(a.body).isEqualTo(JSON.readTree("""
                {"balances": [
                  {"country": "ZMB", "balance": "21798.03", "currency": "ZMW", "mno": ""},
                  {"country": "UGA", "balance": "10798", "currency": "UGX", "mno": ""}]}"""));
        assertThat(names(a.body.at("/balances/0"))).containsExactly("country", "balance", "currency", "mno");
    }

    @Test
    void walletBalancesOfACountry() throws Exception {
        ledger.fund(merchant.id(), "ZMB", "ZMW", "21800.03", "2");
        ledger.fund(merchant.id(), "UGA", "UGX", "10800", "0");
        assertThat(get("/v1/wallet-balances/ZMB", TOKEN).body).isEqualTo(JSON.readTree(
                "{\"balances\": [{\"country\": \"ZMB\", \"balance\": \"21798.03\", \"currency\": \"ZMW\", \"mno\": \"\"}]}"));
        Answer none = get("/v1/wallet-balances/KEN", TOKEN);
        assertThat(none.status).isEqualTo(200);
        assertThat(none.body).isEqualTo(JSON.readTree("{\"balances\": []}"));
    }

    @Test
    void aMerchantWithNoWalletHasAnEmptyList() throws Exception {
        assertThat(get("/v1/wallet-balances", TOKEN).body).isEqualTo(JSON.readTree("{\"balances\": []}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"zmb", "ZM", "ZMBA", "Z1B", "ZmB"})
    void aMalformedCountryIsRefusedNamingTheField(String country) throws Exception {
        Answer a = get("/v1/wallet-balances/" + country, TOKEN);
        assertThat(a.status).isEqualTo(400);
        assertThat(a.body.path("errorMessage").asText()).startsWith("country: ");
    }

    // authentication

    @ParameterizedTest
    @ValueSource(strings = {"GET /active-conf", "POST /v1/predict-correspondent", "GET /v1/wallet-balances",
            "GET /v1/wallet-balances/ZMB", "GET /v1/wallet-balances/zmb"})
    void everyToolkitEndpointButAvailabilityNeedsAValidToken(String endpoint) throws Exception {
        String[] parts = endpoint.split(" ");
        for (String token : new String[]{null, "not-a-token", ""}) {
            Answer a = parts[0].equals("GET") ? get(parts[1], token) : post(parts[1], token, "{\"msisdn\":\"260763456789\"}");
            assertThat(a.status).as(endpoint + " with " + token).isEqualTo(401);
            assertThat(a.body).isEqualTo(JSON.readTree("""
                    {"status": "REJECTED", "rejectionReason": {"rejectionCode": "AUTHENTICATION_ERROR",
                     "rejectionMessage": "The bearer token is missing or not valid"}}"""));
        }
    }

    // helpers

    record Answer(int status, JsonNode body) {
    }

    static Answer get(String path, String token) throws IOException, InterruptedException {
        return send(request(path, token).GET().build());
    }

    static Answer post(String path, String token, String body) throws IOException, InterruptedException {
        return send(request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static Answer put(String path, String token, String body) throws IOException, InterruptedException {
        return send(request(path, token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    static Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
        return new Answer(r.statusCode(), JSON.readTree(r.body()));
    }

    static List<String> names(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode n : array) {
            if (n.path(field).asText().equals(value)) {
                return n;
            }
        }
        throw new AssertionError("no element with " + field + " = " + value + " in " + array);
    }

    static List<String> statuses(JsonNode availability, String country, String correspondent) {
        JsonNode c = find(find(availability, "country", country).path("correspondents"), "correspondent", correspondent);
        return c.path("operationTypes").findValuesAsText("status");
    }

    /** A merchant directory in memory: the look-up the authenticator needs, not a database. */
    static final class InMemoryMerchants implements MerchantStore {
        private final Map<String, UUID> byDigest = new ConcurrentHashMap<>();
        private final Map<UUID, Merchant> byId = new ConcurrentHashMap<>();

        @Override
        public Optional<Merchant> byTokenDigest(String tokenDigest) {
            return Optional.ofNullable(byDigest.get(tokenDigest)).map(byId::get);
        }

        @Override
        public Optional<Merchant> byId(UUID id) {
            return Optional.ofNullable(byId.get(id));
        }

        @Override
        public Optional<Merchant> byName(String name) {
            return byId.values().stream().filter(m -> m.name().equals(name)).findFirst();
        }

        @Override
        public void insert(Merchant merchant, String tokenDigest) {
            byId.put(merchant.id(), merchant);
            byDigest.put(tokenDigest, merchant.id());
        }

        @Override
        public void replaceToken(UUID merchantId, String tokenDigest) {
            byDigest.values().removeIf(merchantId::equals);
            byDigest.put(tokenDigest, merchantId);
        }

        @Override
        public void setCallbackUrl(UUID merchantId, PaymentKind kind, String url) {
            byId.computeIfPresent(merchantId, (id, m) -> {
                Map<PaymentKind, String> urls = new HashMap<>(m.callbackUrls());
                if (url == null) {
                    urls.remove(kind);
                } else {
                    urls.put(kind, url);
                }
                return new Merchant(m.id(), m.name(), m.correspondents(), urls);
            });
        }
    }

    /** Merchant wallets in memory, in the order they were funded; only reading is supported. */
    static final class InMemoryLedger implements LedgerStore {
        final List<Balance> wallets = new CopyOnWriteArrayList<>();

        /** A wallet that received {@code credited} and has {@code reserved} set aside for a payout. */
        void fund(UUID merchantId, String country, String currency, String credited, String reserved) {
            wallets.add(new Balance(AccountRef.merchantWallet(merchantId, country, currency),
                    new BigDecimal(reserved), BigDecimal.ZERO, BigDecimal.ZERO, new BigDecimal(credited)));
        }

        @Override
        public Optional<Balance> balance(String accountCode) {
            return wallets.stream().filter(b -> b.account().code().equals(accountCode)).findFirst();
        }

        @Override
        public List<Balance> merchantWallets(UUID merchantId) {
            return wallets.stream().filter(b -> merchantId.equals(b.account().merchantId())).toList();
        }

        @Override
        public Optional<UUID> openReservation(UUID paymentId) {
            return Optional.empty();
        }

        @Override
        public void apply(UUID paymentId, List<LedgerOp> ops) {
            throw new UnsupportedOperationException("the toolkit only reads the ledger");
        }

        @Override
        public List<String> verify() {
            return List.of();
        }
    }
}
