package io.kulipa.signatures;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.kulipa.testing.CallbackReceiverExtension;
import io.kulipa.testing.GatewayExtension;
import io.kulipa.testing.TestGateway;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Signed requests and signed callbacks as pawaPay has them (RFC 9421 with an RFC 9530
 * Content-Digest). Everything this test signs or verifies it does with the JDK's
 * {@link Signature} and a signature base it writes out itself, not with Kulipa's
 * {@link HttpSignatures}, so that a mistake shared by both sides cannot pass.
 */
class SignedMessagesTest {

    @RegisterExtension
    static final CallbackReceiverExtension receiver = CallbackReceiverExtension.answeringOk();
    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.withSettings(() -> Map.of(
            "KULIPA_BOOTSTRAP_CALLBACK_URL", receiver.url("/callbacks")));

    private static final List<String> REQUEST_COMPONENTS = List.of("@method", "@authority", "@path",
            "content-digest");

    @AfterEach
    void unsignedAgain() {
        ops().body("{\"onlySignedRequests\": false, \"signCallbacks\": false, \"publicKey\": null}")
                .put(path()).then().statusCode(200);
    }

    // Ops endpoints

    @Test
    void opsShowKulipasCallbackKeyAndRefuseKeysThatFitNoAcceptedAlgorithm() throws Exception {
        JsonPath shown = ops().get(path()).then().statusCode(200).extract().jsonPath();
        assertThat(shown.getString("callbackAlgorithm")).isEqualTo("ecdsa-p256-sha256");
        assertThat(shown.getString("callbackKeyId")).startsWith("kulipa-");
        PublicKey callbackKey = publicKey("EC", shown.getString("callbackPublicKey"));
        assertThat(callbackKey.getAlgorithm()).isEqualTo("EC");
        assertThat(ops().get(path()).then().extract().<String>path("callbackPublicKey"))
                .as("the same key on every read").isEqualTo(shown.getString("callbackPublicKey"));

        assertThat(ops().body("{\"onlySignedRequests\": true}").put(path()).then().statusCode(400)
                .extract().<String>path("errorMessage")).startsWith("onlySignedRequests:");
        KeyPairGenerator small = KeyPairGenerator.getInstance("RSA");
        small.initialize(1024);
        assertThat(ops().body(Map.of("publicKey", pem(small.generateKeyPair().getPublic()))).put(path())
                .then().statusCode(400).extract().<String>path("errorMessage")).startsWith("publicKey:");
        ops().body(Map.of("publicKey", "not a key")).put(path()).then().statusCode(400);
        ops().body("{\"signCallbacks\": \"yes\"}").put(path()).then().statusCode(400);
        ops().body("{\"other\": true}").put(path()).then().statusCode(400);
        RestAssured.given().baseUri(gateway.baseUrl()).get(path()).then().statusCode(401);
    }

    // Signed requests

    @Test
    void onceOnlySignedRequestsAreAcceptedAnUnsignedDepositIsRefusedAndASignedOneAccepted() throws Exception {
        KeyPair merchant = ec("secp256r1");
        requireSigned(merchant.getPublic());

        Map<String, Object> unsigned = TestGateway.deposit();
        Response refused = gateway.merchant().body(unsigned).post("/deposits");
        assertSignatureError(refused);
        assertThat(storedDeposit((String) unsigned.get("depositId"))).as("nothing written").isZero();
        assertSignatureError(gateway.merchant().body(List.of(TestGateway.payout("MTN_MOMO_ZMB", "ZMW",
                "260763456789", "5"))).post("/payouts/bulk"));
        assertSignatureError(gateway.merchant().body(Map.of("refundId", java.util.UUID.randomUUID().toString(),
                "depositId", java.util.UUID.randomUUID().toString(), "amount", "1")).post("/refunds"));

        byte[] body = json(TestGateway.deposit());
        Response accepted = signed(body, body, merchant.getPrivate(), "ecdsa-p256-sha256", REQUEST_COMPONENTS,
                Instant.now(), Instant.now().plusSeconds(60)).post("/deposits");
        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(accepted.<String>path("status")).isEqualTo("ACCEPTED");
        // Only financial requests are signed: a status look-up is not.
        gateway.merchant().get("/deposits/" + accepted.path("depositId")).then().statusCode(200);
    }

    @Test
    void everyAlgorithmPawapayAcceptsVerifies() throws Exception {
        Map<String, KeyPair> keys = new LinkedHashMap<>();
        keys.put("ecdsa-p256-sha256", ec("secp256r1"));
        keys.put("ecdsa-p384-sha384", ec("secp384r1"));
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair rsaKeys = rsa.generateKeyPair();
        keys.put("rsa-pss-sha512", rsaKeys);
        keys.put("rsa-v1_5-sha256", rsaKeys);
        for (Map.Entry<String, KeyPair> k : keys.entrySet()) {
            requireSigned(k.getValue().getPublic());
            byte[] body = json(TestGateway.payout("MTN_MOMO_ZMB", "ZMW", "260763456789", "5"));
            Response r = withHeaders(signedHeaders(body, k.getValue().getPrivate(), k.getKey(), REQUEST_COMPONENTS,
                    Instant.now(), null, "/payouts"), body).post("/payouts");
            assertThat(r.statusCode()).as(k.getKey() + ": " + r.asString()).isEqualTo(200);
            assertThat(r.<String>path("status")).as(k.getKey()).isIn("ACCEPTED", "ENQUEUED");
        }
    }

    @Test
    void tamperedMissingStaleAndPartialSignaturesAreRefused() throws Exception {
        KeyPair merchant = ec("secp256r1");
        requireSigned(merchant.getPublic());
        Map<String, Object> original = TestGateway.deposit();
        byte[] body = json(original);
        Map<String, Object> changed = new LinkedHashMap<>(original);
        changed.put("amount", "1500");
        byte[] tampered = json(changed);
        Instant now = Instant.now();
        PrivateKey key = merchant.getPrivate();

        // The body changed after signing; its Content-Digest is the original's.
        assertSignatureError(sendWith(signedHeaders(body, key, "ecdsa-p256-sha256", REQUEST_COMPONENTS, now,
                null), tampered), "Content-Digest does not match");
        // The body and its digest changed after signing: the signature no longer verifies.
        Map<String, String> resigned = signedHeaders(body, key, "ecdsa-p256-sha256", REQUEST_COMPONENTS, now,
                null);
        resigned.put("Content-Digest", digest(tampered));
        assertSignatureError(sendWith(resigned, tampered), "does not verify");
        // Signed with another key.
        assertSignatureError(signed(body, body, ec("secp256r1").getPrivate(), "ecdsa-p256-sha256",
                REQUEST_COMPONENTS, now, null).post("/deposits"), "does not verify");
        // Headers missing.
        for (String missing : List.of("Signature", "Signature-Input", "Content-Digest")) {
            Map<String, String> h = signedHeaders(body, key, "ecdsa-p256-sha256", REQUEST_COMPONENTS, now, null);
            h.remove(missing);
            assertSignatureError(sendWith(h, body));
        }
        // Made long ago, expired, or from the future.
        assertSignatureError(signed(body, body, key, "ecdsa-p256-sha256", REQUEST_COMPONENTS,
                now.minus(HttpSignatures.MAX_AGE).minusSeconds(30), null).post("/deposits"), "created more than");
        assertSignatureError(signed(body, body, key, "ecdsa-p256-sha256", REQUEST_COMPONENTS, now.minusSeconds(60),
                now.minusSeconds(1)).post("/deposits"), "expired");
        assertSignatureError(signed(body, body, key, "ecdsa-p256-sha256", REQUEST_COMPONENTS,
                now.plus(HttpSignatures.MAX_CLOCK_SKEW).plusSeconds(60), null).post("/deposits"), "future");
        // A signature that leaves the body's digest or the path out of what it covers.
        assertSignatureError(signed(body, body, key, "ecdsa-p256-sha256", List.of("@method", "@path"), now, null)
                .post("/deposits"), "must cover");
        // An algorithm that does not fit the key.
        Map<String, String> otherAlg = signedHeaders(body, key, "ecdsa-p256-sha256", REQUEST_COMPONENTS, now, null);
        otherAlg.put("Signature-Input", otherAlg.get("Signature-Input").replace("ecdsa-p256-sha256", "rsa-pss-sha512"));
        assertSignatureError(sendWith(otherAlg, body), "does not fit");
        assertThat(storedDeposit((String) original.get("depositId"))).as("nothing written").isZero();

        // Turned off again, the unsigned request goes through.
        ops().body("{\"onlySignedRequests\": false}").put(path()).then().statusCode(200);
        assertThat(gateway.merchant().body(body).post("/deposits").<String>path("status")).isEqualTo("ACCEPTED");
    }

    // Signed callbacks

    @Test
    void callbacksAreSignedWithTheMerchantsCallbackKeyWhenAskedFor() throws Exception {
        JsonPath settings = ops().body("{\"signCallbacks\": true}").put(path()).then().statusCode(200)
                .extract().jsonPath();
        PublicKey kulipa = publicKey("EC", settings.getString("callbackPublicKey"));
        Response r = gateway.postDeposit(TestGateway.deposit());
        String depositId = r.path("depositId");
        LoggedRequest callback = await().atMost(Duration.ofSeconds(20)).until(() -> callbackOf(depositId),
                java.util.Objects::nonNull);
        assertSignedBy(callback, kulipa, settings.getString("callbackKeyId"), "POST", "/callbacks");

        ops().body("{\"signCallbacks\": false}").put(path()).then().statusCode(200);
        String unsignedId = gateway.postDeposit(TestGateway.deposit()).path("depositId");
        LoggedRequest plain = await().atMost(Duration.ofSeconds(20)).until(() -> callbackOf(unsignedId),
                java.util.Objects::nonNull);
        assertThat(plain.containsHeader("Signature")).isFalse();
    }


    @Test
    void momoCallbacksAreSignedTheSameWay() throws Exception {
        JsonPath settings = ops().body("{\"signCallbacks\": true}").put(path()).then().statusCode(200)
                .extract().jsonPath();
        io.kulipa.testing.MomoClient momo = io.kulipa.testing.MomoClient.provision(gateway.get(), "127.0.0.1");
        String reference = java.util.UUID.randomUUID().toString();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("amount", "7");
        body.put("currency", "EUR");
        body.put("externalId", "signed-1");
        body.put("payer", io.kulipa.testing.MomoClient.msisdn("46733123401"));
        body.put("payerMessage", "for the shop");
        body.put("payeeNote", "thank you");
        momo.product("collection", "sandbox").header("X-Reference-Id", reference)
                .header("X-Callback-Url", receiver.url("/momo/" + reference)).body(body)
                .post("/collection/v1_0/requesttopay").then().statusCode(202);
        LoggedRequest callback = await().atMost(Duration.ofSeconds(20)).until(() -> receiver.findAll(
                        com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(urlEqualTo("/momo/" + reference)))
                .stream().findFirst().orElse(null), java.util.Objects::nonNull);
        assertSignedBy(callback, publicKey("EC", settings.getString("callbackPublicKey")),
                settings.getString("callbackKeyId"), "PUT", "/momo/" + reference);
    }

    /** Checks a callback's Content-Digest and signature the way a merchant would, with the JDK alone. */
    private static void assertSignedBy(LoggedRequest callback, PublicKey kulipa, String keyId, String method,
                                       String callbackPath) throws Exception {
        byte[] body = callback.getBody();
        assertThat(callback.getHeader("Content-Digest")).isEqualTo(digest(body));
        String input = callback.getHeader("Signature-Input");
        Matcher m = Pattern.compile("^sig-kp=\\(([^)]*)\\)(.*)$").matcher(input);
        assertThat(m.matches()).as(input).isTrue();
        assertThat(m.group(2)).contains(";alg=\"ecdsa-p256-sha256\"")
                .contains(";keyid=\"" + keyId + "\"").contains(";created=")
                .contains(";expires=");
        List<String> components = new ArrayList<>();
        Matcher c = Pattern.compile("\"([^\"]+)\"").matcher(m.group(1));
        while (c.find()) {
            components.add(c.group(1));
        }
        assertThat(components).contains("@method", "@authority", "@path", "content-digest", "signature-date");
        String authority = "127.0.0.1:" + receiver.port();
        StringBuilder base = new StringBuilder();
        for (String component : components) {
            String value = switch (component) {
                case "@method" -> method;
                case "@authority" -> authority;
                case "@path" -> callbackPath;
                default -> callback.getHeader(component);
            };
            base.append('"').append(component).append("\": ").append(value).append('\n');
        }
        base.append("\"@signature-params\": (").append(m.group(1)).append(')').append(m.group(2));
        String sig = callback.getHeader("Signature");
        assertThat(sig).startsWith("sig-kp=:").endsWith(":");
        byte[] signature = Base64.getDecoder().decode(sig.substring("sig-kp=:".length(), sig.length() - 1));
        assertThat(verifies("SHA256withECDSAinP1363Format", kulipa, base.toString(), signature))
                .as("the callback's signature verifies").isTrue();
        String tamperedBase = base.toString().replace(callback.getHeader("Content-Digest"), digest(
                new String(body, StandardCharsets.UTF_8).replace("0", "1").getBytes(StandardCharsets.UTF_8)));
        assertThat(verifies("SHA256withECDSAinP1363Format", kulipa, tamperedBase, signature))
                .as("a tampered body would not").isFalse();
    }

    // Helpers: an independent signer and verifier

    private static String path() {
        return "/ops/merchants/" + gateway.kulipa().demoMerchantId() + "/signatures";
    }

    private static RequestSpecification ops() {
        return gateway.as(TestGateway.ADMIN_TOKEN);
    }

    private static void requireSigned(PublicKey key) {
        ops().body(Map.of("publicKey", pem(key), "onlySignedRequests", true)).put(path()).then().statusCode(200);
    }

    private static void assertSignatureError(Response r, String... says) {
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(403);
        assertThat(r.<String>path("rejectionReason.rejectionCode")).isEqualTo("HTTP_SIGNATURE_ERROR");
        for (String s : says) {
            assertThat(r.<String>path("rejectionReason.rejectionMessage")).contains(s);
        }
    }

    private static long storedDeposit(String depositId) {
        return gateway.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM payment WHERE client_ref = :id")
                .bind("id", depositId).mapTo(Long.class).one());
    }

    private static byte[] json(Map<String, Object> body) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(body);
    }

    private static RequestSpecification signed(byte[] signedBody, byte[] sentBody, PrivateKey key, String alg,
                                               List<String> components, Instant created, Instant expires)
            throws Exception {
        return withHeaders(signedHeaders(signedBody, key, alg, components, created, expires), sentBody);
    }

    private static Response sendWith(Map<String, String> headers, byte[] body) {
        return withHeaders(headers, body).post("/deposits");
    }

    private static RequestSpecification withHeaders(Map<String, String> headers, byte[] body) {
        RequestSpecification r = gateway.merchant().body(body);
        headers.forEach(r::header);
        return r;
    }

    /** The three headers of a signed request, built by hand after RFC 9421 section 2.5. */
    private static Map<String, String> signedHeaders(byte[] digestOf, PrivateKey key, String alg,
                                                     List<String> components, Instant created, Instant expires)
            throws Exception {
        return signedHeaders(digestOf, key, alg, components, created, expires, "/deposits");
    }

    private static Map<String, String> signedHeaders(byte[] digestOf, PrivateKey key, String alg,
                                                     List<String> components, Instant created, Instant expires,
                                                     String path) throws Exception {
        String digest = digest(digestOf);
        StringBuilder params = new StringBuilder("(");
        for (int i = 0; i < components.size(); i++) {
            params.append(i == 0 ? "" : " ").append('"').append(components.get(i)).append('"');
        }
        params.append(");alg=\"").append(alg).append("\";keyid=\"merchant-key-1\";created=")
                .append(created.getEpochSecond());
        if (expires != null) {
            params.append(";expires=").append(expires.getEpochSecond());
        }
        StringBuilder base = new StringBuilder();
        for (String c : components) {
            String value = switch (c) {
                case "@method" -> "POST";
                case "@authority" -> "127.0.0.1:" + gateway.port();
                case "@path" -> path;
                case "content-digest" -> digest;
                default -> throw new IllegalArgumentException(c);
            };
            base.append('"').append(c).append("\": ").append(value).append('\n');
        }
        base.append("\"@signature-params\": ").append(params);
        Signature s = jdk(alg);
        s.initSign(key);
        s.update(base.toString().getBytes(StandardCharsets.UTF_8));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Digest", digest);
        headers.put("Signature-Input", "sig-mine=" + params);
        headers.put("Signature", "sig-mine=:" + Base64.getEncoder().encodeToString(s.sign()) + ":");
        return headers;
    }

    private static Signature jdk(String alg) throws Exception {
        return switch (alg) {
            case "ecdsa-p256-sha256" -> Signature.getInstance("SHA256withECDSAinP1363Format");
            case "ecdsa-p384-sha384" -> Signature.getInstance("SHA384withECDSAinP1363Format");
            case "rsa-v1_5-sha256" -> Signature.getInstance("SHA256withRSA");
            case "rsa-pss-sha512" -> {
                Signature s = Signature.getInstance("RSASSA-PSS");
                s.setParameter(new PSSParameterSpec("SHA-512", "MGF1", MGF1ParameterSpec.SHA512, 64, 1));
                yield s;
            }
            default -> throw new IllegalArgumentException(alg);
        };
    }

    private static boolean verifies(String jdkName, PublicKey key, String base, byte[] signature) throws Exception {
        Signature s = Signature.getInstance(jdkName);
        s.initVerify(key);
        s.update(base.getBytes(StandardCharsets.UTF_8));
        return s.verify(signature);
    }

    private static String digest(byte[] body) throws Exception {
        return "sha-256=:" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body))
                + ":";
    }

    private static KeyPair ec(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }

    private static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    private static PublicKey publicKey(String type, String pem) throws Exception {
        String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(b64)));
    }

    private static LoggedRequest callbackOf(String depositId) {
        for (LoggedRequest r : receiver.findAll(postRequestedFor(urlEqualTo("/callbacks")))) {
            if (depositId.equals(JsonPath.from(r.getBodyAsString()).getString("depositId"))) {
                return r;
            }
        }
        return null;
    }
}
