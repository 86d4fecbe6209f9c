package io.kulipa.dialects.scantopay.remote;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.kulipa.testing.TestGateway;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;

/** A wallet backend's calls to the Remote API in tests, and the operations that set one up. */
final class RemoteClient {

    static final String BASE = RemoteRoutes.BASE;

    private RemoteClient() {
    }

    static ScanToPayRemoteDialect.Demo demo(TestGateway gateway) {
        return gateway.kulipa().dialect(ScanToPayRemoteDialect.class).demo();
    }

    static RequestSpecification basic(TestGateway gateway, String username, String password) {
        return RestAssured.given().baseUri(gateway.baseUrl()).contentType("application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((username + ":" + password)
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    static RequestSpecification asDemo(TestGateway gateway) {
        var demo = demo(gateway);
        return basic(gateway, demo.username(), demo.password());
    }

    static RequestSpecification bearer(TestGateway gateway, String jwt) {
        return RestAssured.given().baseUri(gateway.baseUrl()).contentType("application/json")
                .header("Authorization", "Bearer " + jwt);
    }

    static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    static String publicPem(KeyPair pair) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(pair.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    static String jwt(KeyPair pair, String issuer, Instant issued, Instant expires) throws Exception {
        var claims = new JWTClaimsSet.Builder().issuer(issuer).issueTime(Date.from(issued))
                .expirationTime(expires == null ? null : Date.from(expires)).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
        jwt.sign(new RSASSASigner(pair.getPrivate()));
        return jwt.serialize();
    }

    /** A new wallet brand (ops), its id. */
    static String brand(TestGateway gateway, String name) {
        return gateway.as(TestGateway.ADMIN_TOKEN).contentType("application/json").body(Map.of("name", name))
                .post(RemoteOpsRoutes.BRANDS).then().statusCode(201).extract().path("id");
    }
}
