package io.kulipa.dialects.jenga;

import io.kulipa.testing.TestGateway;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Jenga merchant's client for tests, written from Jenga's guides: it authenticates with its
 * Api-Key, merchant code and consumer secret, and signs each push with the demo private key that
 * the sandbox wrote beside demo-merchant.json.
 */
final class JengaClient {

    static final String API_KEY = "test-jenga-api-key";
    static final String MERCHANT_CODE = "4370251937";
    static final String SECRET = "test-jenga-consumer-secret";
    static final String ACCOUNT = JengaDialect.DEMO_ACCOUNT_NUMBER;
    /** The settings that fix the demo merchant's Jenga credentials. */
    static final Map<String, String> SETTINGS = Map.of(
            "KULIPA_BOOTSTRAP_JENGA_API_KEY", API_KEY,
            "KULIPA_BOOTSTRAP_JENGA_MERCHANT_CODE", MERCHANT_CODE,
            "KULIPA_BOOTSTRAP_JENGA_CONSUMER_SECRET", SECRET);
    private static final AtomicLong REFS = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    private final TestGateway gateway;
    private final PrivateKey key;
    private String token;

    JengaClient(TestGateway gateway) {
        this(gateway, demoKey(gateway));
    }

    JengaClient(TestGateway gateway, PrivateKey key) {
        this.gateway = gateway;
        this.key = key;
    }

    static PrivateKey demoKey(TestGateway gateway) {
        try {
            Path file = gateway.kulipa().dataDir().resolve(DemoKeyPair.PRIVATE_KEY_FILE);
            String base64 = Files.readString(file).replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "")
                    .replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair otherKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String sign(PrivateKey key, String text) {
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(key);
            s.update(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    Response authenticate(String apiKey, String code, String secret) {
        return RestAssured.given().baseUri(gateway.baseUrl()).contentType(ContentType.JSON).header("Api-Key", apiKey)
                .body(Map.of("merchantCode", code, "consumerSecret", secret))
                .post("/authentication/api/v3/authenticate/merchant");
    }

    String token() {
        if (token == null) {
            token = authenticate(API_KEY, MERCHANT_CODE, SECRET).then().statusCode(200).extract().path("accessToken");
        }
        return token;
    }

    /** A fresh alphanumeric reference of 12 characters. */
    static String ref() {
        return "KLP" + String.format("%09d", REFS.incrementAndGet() % 1_000_000_000L);
    }

    /** The spec's example request, with a reference, number and callback URL of the test's choosing. */
    static Map<String, Object> body(String ref, String mobile, String amount, String callbackUrl) {
        Map<String, Object> merchant = new LinkedHashMap<>();
        merchant.put("accountNumber", ACCOUNT);
        merchant.put("countryCode", "KE");
        merchant.put("name", "Sportify Ltd");
        Map<String, Object> payment = new LinkedHashMap<>();
        payment.put("ref", ref);
        payment.put("amount", amount);
        payment.put("currency", "KES");
        payment.put("telco", "Equitel");
        payment.put("mobileNumber", mobile);
        payment.put("date", "2024-08-13");
        payment.put("callBackUrl", callbackUrl);
        payment.put("pushType", "STK");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("merchant", merchant);
        body.put("payment", payment);
        return body;
    }

    @SuppressWarnings("unchecked")
    static String signedText(Map<String, Object> body) {
        Map<String, Object> m = (Map<String, Object>) body.get("merchant");
        Map<String, Object> p = (Map<String, Object>) body.get("payment");
        // A field the body leaves out signs as nothing, as Jenga's guide concatenates what is sent.
        return text(m.get("accountNumber")) + text(p.get("ref")) + text(p.get("mobileNumber")) + text(p.get("telco"))
                + text(p.get("amount")) + text(p.get("currency"));
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    /** Pushes the body signed as Jenga's guide says. */
    Response push(Map<String, Object> body) {
        return push(body, sign(key, signedText(body)));
    }

    Response push(Map<String, Object> body, String signature) {
        var request = RestAssured.given().baseUri(gateway.baseUrl()).contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + token());
        if (signature != null) {
            request.header("Signature", signature);
        }
        return request.body(body).post("/v3-apis/payment-api/v3.0/stkussdpush/initiate");
    }

    Response status(String ref) {
        return RestAssured.given().baseUri(gateway.baseUrl()).header("Authorization", "Bearer " + token())
                .get("/v3-apis/payment-api/v3.0/stkussdpush/" + ref + "/status");
    }

    Response resend(String ref) {
        return RestAssured.given().baseUri(gateway.baseUrl()).header("Authorization", "Bearer " + token())
                .post("/v3-apis/payment-api/v3.0/stkussdpush/" + ref + "/callback");
    }
}
