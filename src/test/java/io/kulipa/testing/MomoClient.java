package io.kulipa.testing;

import io.kulipa.dialects.momo.MomoDialect;
import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

/**
 * A MoMo client of a test gateway, set up the way MoMo's own client libraries do it: the demo
 * merchant's subscription key, a sandbox API user provisioned with a callback host, its API key
 * and an access token per product. Tests call {@link #product} for a request that carries all the
 * headers MoMo wants.
 */
public final class MomoClient {

    private final TestGateway gateway;
    private final String subscriptionKey;
    private final String apiUser;
    private final String apiKey;
    private final Map<String, String> tokens;

    private MomoClient(TestGateway gateway, String subscriptionKey, String apiUser, String apiKey,
                       Map<String, String> tokens) {
        this.gateway = gateway;
        this.subscriptionKey = subscriptionKey;
        this.apiUser = apiUser;
        this.apiKey = apiKey;
        this.tokens = tokens;
    }

    /** Provisions a new API user whose callbacks may go to {@code callbackHost}, and its tokens. */
    public static MomoClient provision(TestGateway gateway, String callbackHost) {
        String key = gateway.kulipa().dialect(MomoDialect.class).demoSubscriptionKey();
        String user = UUID.randomUUID().toString();
        base(gateway, key).header("X-Reference-Id", user).body(Map.of("providerCallbackHost", callbackHost))
                .post("/v1_0/apiuser").then().statusCode(201);
        String apiKey = base(gateway, key).post("/v1_0/apiuser/" + user + "/apikey").then().statusCode(201)
                .extract().path("apiKey");
        Map<String, String> tokens = new java.util.HashMap<>();
        for (String product : new String[] {"collection", "disbursement", "remittance"}) {
            tokens.put(product, base(gateway, key).header("Authorization", "Basic " + basic(user, apiKey))
                    .post("/" + product + "/token/").then().statusCode(200).extract().path("access_token"));
        }
        return new MomoClient(gateway, key, user, apiKey, Map.copyOf(tokens));
    }

    private static RequestSpecification base(TestGateway gateway, String key) {
        return given().baseUri(gateway.baseUrl()).contentType(ContentType.JSON).header("Ocp-Apim-Subscription-Key", key);
    }

    public static String basic(String user, String password) {
        return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A request with the subscription key only (provisioning calls). */
    public RequestSpecification keyOnly() {
        return base(gateway, subscriptionKey);
    }

    /** A request to one product ("collection", "disbursement", "remittance") in a target environment. */
    public RequestSpecification product(String product, String environment) {
        return keyOnly().header("Authorization", "Bearer " + token(product))
                .header("X-Target-Environment", environment);
    }

    public RequestSpecification collection() {
        return product("collection", "sandbox");
    }

    public RequestSpecification disbursement() {
        return product("disbursement", "sandbox");
    }

    public RequestSpecification remittance() {
        return product("remittance", "sandbox");
    }

    public String token(String product) {
        return tokens.get(product);
    }

    public String subscriptionKey() {
        return subscriptionKey;
    }

    public String apiUser() {
        return apiUser;
    }

    public String apiKey() {
        return apiKey;
    }

    /** The Basic credentials of this API user, for the token endpoints. */
    public String basicCredentials() {
        return "Basic " + basic(apiUser, apiKey);
    }

    /** A MoMo party object. */
    public static Map<String, String> msisdn(String number) {
        return Map.of("partyIdType", "MSISDN", "partyId", number);
    }
}
