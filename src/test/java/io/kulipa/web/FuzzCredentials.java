package io.kulipa.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kulipa.testing.MomoClient;
import io.kulipa.testing.TestGateway;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Map;

/**
 * The sandbox demo credentials, put on a fuzz request the way its operation's security
 * requirement asks, so that a mutation is judged by the handler and not only by the
 * authenticator. Schemes are told apart by definition and, where two dialects use one name
 * ({@code bearerAuth}), by document: pawaPay's is the demo merchant's token, MoMo's the product
 * token of the path's product, Jenga's the access token of its authenticate call. A scheme of a
 * document this class does not know gets the demo merchant's token, so that a new dialect is
 * fuzzed at once, if not yet past its authenticator.
 */
final class FuzzCredentials {

    static final String JENGA_API_KEY = "fuzz-jenga-api-key";
    static final String JENGA_MERCHANT_CODE = "4370251937";
    static final String JENGA_SECRET = "fuzz-jenga-consumer-secret";
    /** The demo wallet brand's manager password (Scan to Pay Remote API, Basic). */
    static final String STP_REMOTE_PASSWORD = "fuzz-stp-remote-password";
    /** The demo merchant's Scan to Pay WIG password (Basic, EXTERNAL and STK roles). */
    static final String STP_WIG_PASSWORD = "fuzz-stp-wig-password";
    /** The settings that fix the demo merchant's Jenga credentials. */
    static final Map<String, String> SETTINGS = Map.of(
            "KULIPA_BOOTSTRAP_JENGA_API_KEY", JENGA_API_KEY,
            "KULIPA_BOOTSTRAP_JENGA_MERCHANT_CODE", JENGA_MERCHANT_CODE,
            "KULIPA_BOOTSTRAP_JENGA_CONSUMER_SECRET", JENGA_SECRET,
            "KULIPA_BOOTSTRAP_STP_REMOTE_PASSWORD", FuzzCredentials.STP_REMOTE_PASSWORD,
            "KULIPA_BOOTSTRAP_SCANTOPAY_PASSWORD", FuzzCredentials.STP_WIG_PASSWORD);
    /** The file beside demo-merchant.json that holds the sandbox's Jenga signing key. */
    static final String JENGA_PRIVATE_KEY_FILE = "jenga-demo-private-key.pem";
    /** Stands for a Jenga signature to be computed over the request's final body. */
    static final String SIGN_LATER = "@@sign-later@@";
    static final String CALLBACK_URL = "http://127.0.0.1:9/callback";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MomoClient momo;
    private final String jengaToken;
    private final PrivateKey jengaKey;
    private final String merchantId;
    private final String baseUrl;
    /** A fuzzed ops request may have changed the demo merchant's Scan to Pay profile (password, mode, roles). */
    private boolean stpProfileTouched;

    private FuzzCredentials(MomoClient momo, String jengaToken, PrivateKey jengaKey, String merchantId, String baseUrl) {
        this.momo = momo;
        this.jengaToken = jengaToken;
        this.jengaKey = jengaKey;
        this.merchantId = merchantId;
        this.baseUrl = baseUrl;
    }

    static FuzzCredentials of(TestGateway gateway) {
        MomoClient momo = MomoClient.provision(gateway, "127.0.0.1");
        String jengaToken = RestAssured.given().baseUri(gateway.baseUrl()).contentType(ContentType.JSON)
                .header("Api-Key", JENGA_API_KEY)
                .body(Map.of("merchantCode", JENGA_MERCHANT_CODE, "consumerSecret", JENGA_SECRET))
                .post("/authentication/api/v3/authenticate/merchant").then().statusCode(200)
                .extract().path("accessToken");
        return new FuzzCredentials(momo, jengaToken, jengaKey(gateway), String.valueOf(gateway.kulipa().demoMerchantId()),
                gateway.baseUrl());
    }

    private static PrivateKey jengaKey(TestGateway gateway) {
        try {
            String base64 = Files.readString(gateway.kulipa().dataDir().resolve(JENGA_PRIVATE_KEY_FILE))
                    .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the sandbox's Jenga key", e);
        }
    }

    /** Puts the headers of the operation's security requirement on the request. */
    void apply(FuzzRequest request) {
        ApiOperation op = request.operation;
        for (String name : op.security()) {
            JsonNode scheme = op.scheme(name).orElse(null);
            if (scheme == null) {
                continue;
            }
            if (scheme.path("type").asText().equals("apiKey") && scheme.path("in").asText().equals("header")) {
                request.headers.put(scheme.path("name").asText(), momo.subscriptionKey());
            } else if (scheme.path("scheme").asText().equalsIgnoreCase("basic")) {
                request.headers.put("Authorization", momo.basicCredentials());
            } else if (scheme.path("scheme").asText().equalsIgnoreCase("bearer")) {
                request.headers.put("Authorization", "Bearer " + bearer(op, name));
            }
        }
        if (op.document().startsWith("scantopay-remote") && !op.security().isEmpty()
                && !op.security().contains("adminBearer")) {
            request.headers.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (io.kulipa.dialects.scantopay.remote.ScanToPayRemoteDialect.DEMO_USERNAME + ":" + STP_REMOTE_PASSWORD)
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        if (op.document().startsWith("scantopay-wig") && op.path().startsWith("/ops/")) {
            stpProfileTouched = true;
        }
        if (op.document().startsWith("scantopay-wig") && op.security().contains("basicAuth")) {
            restoreStpProfile();
            request.headers.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (io.kulipa.dialects.scantopay.ScantopayDialect.DEMO_USERNAME + ":" + STP_WIG_PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
    }

    /**
     * Puts the demo merchant's Scan to Pay profile back (Basic, both roles, not suspended, no
     * notification URL) after a fuzzed ops request that may have changed it, so that the WIG
     * operations are judged by their handlers and not refused at the door with 401.
     */
    private void restoreStpProfile() {
        if (!stpProfileTouched) {
            return;
        }
        String ops = "/ops/scantopay/merchants/" + merchantId;
        RestAssured.given().baseUri(baseUrl).contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + TestGateway.ADMIN_TOKEN)
                .body(Map.of("username", io.kulipa.dialects.scantopay.ScantopayDialect.DEMO_USERNAME, "authMode", "BASIC",
                        "password", STP_WIG_PASSWORD, "roles", java.util.List.of("EXTERNAL", "STK"), "suspended", false))
                .put(ops + "/profile").then().statusCode(200);
        RestAssured.given().baseUri(baseUrl).contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + TestGateway.ADMIN_TOKEN)
                .body("{\"url\": null}").put(ops + "/notification").then().statusCode(200);
        stpProfileTouched = false;
    }

    private String bearer(ApiOperation op, String scheme) {
        if (scheme.equals("adminBearer")) {
            return TestGateway.ADMIN_TOKEN;
        }
        if (op.document().startsWith("momo-")) {
            // There is no consent token without a customer's approval; the product token stands in.
            String product = op.path().split("/")[1];
            String token = momo.token(product);
            return token == null ? momo.token("collection") : token;
        }
        if (op.document().startsWith("jenga")) {
            return jengaToken;
        }
        return TestGateway.DEMO_TOKEN;
    }

    /**
     * A path value that names something this gateway has, or null: the ops routes' merchant is
     * the demo merchant, so that their handlers are reached and not only their 404.
     */
    String pathValue(String name) {
        return name.equals("merchantId") ? merchantId : null;
    }

    /** A plausible value for a header parameter the dialects define, or null when this class knows none. */
    static String header(String name, java.util.Random random) {
        return switch (name) {
            case "X-Reference-Id" -> SchemaValues.uuid(random);
            case "X-Target-Environment" -> "sandbox";
            case "X-Callback-Url" -> CALLBACK_URL;
            case "Api-Key" -> JENGA_API_KEY;
            case "Signature" -> SIGN_LATER;
            default -> null;
        };
    }

    /** Replaces {@link #SIGN_LATER} with Jenga's signature over the body's signed fields, as its guide says. */
    void sign(FuzzRequest request, byte[] body) {
        if (!SIGN_LATER.equals(request.headers.get("Signature"))) {
            return;
        }
        String text;
        try {
            JsonNode tree = JSON.readTree(body == null ? new byte[0] : body);
            JsonNode m = tree.path("merchant");
            JsonNode p = tree.path("payment");
            text = m.path("accountNumber").asText("") + p.path("ref").asText("") + p.path("mobileNumber").asText("")
                    + p.path("telco").asText("") + p.path("amount").asText("") + p.path("currency").asText("");
        } catch (Exception notJson) {
            // A body that is not JSON signs as its bytes: the gateway must refuse it either way.
            text = new String(body == null ? new byte[0] : body, StandardCharsets.ISO_8859_1);
        }
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(jengaKey);
            s.update(text.getBytes(StandardCharsets.UTF_8));
            request.headers.put("Signature", Base64.getEncoder().encodeToString(s.sign()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
