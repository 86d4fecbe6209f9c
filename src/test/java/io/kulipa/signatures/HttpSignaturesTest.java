package io.kulipa.signatures;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The parts of {@link HttpSignatures} a request from outside reaches, with hostile and odd input. */
class HttpSignaturesTest {

    private static final long SEED = 20261202L;
    private static final int GARBAGE_ROUNDS = 5_000;
    private static final byte[] BODY = "{\"depositId\":\"d-1\",\"amount\":\"15\"}".getBytes(StandardCharsets.UTF_8);

    private static HttpSignatures.Message message(Map<String, String> headers) {
        return new HttpSignatures.Message() {
            public String method() {
                return "POST";
            }

            public String authority() {
                return "gateway.example";
            }

            public String path() {
                return "/deposits";
            }

            public String query() {
                return null;
            }

            public String scheme() {
                return "https";
            }

            public Optional<String> header(String name) {
                return Optional.ofNullable(headers.get(name));
            }
        };
    }

    @Test
    void garbageInTheSignatureHeadersIsRefusedNeverThrown() throws Exception {
        KeyPair key = ec();
        Random random = new Random(SEED);
        String alphabet = "\"(); =:,?*-_.abcxyz@0123456789ABC/+\\\t\u00e9\u0000";
        for (int i = 0; i < GARBAGE_ROUNDS; i++) {
            Map<String, String> h = new HashMap<>();
            h.put("content-digest", random.nextBoolean() ? HttpSignatures.contentDigest(BODY) : garbage(random, alphabet));
            h.put("signature-input", garbage(random, alphabet));
            h.put("signature", garbage(random, alphabet));
            HttpSignatures.Verdict v = HttpSignatures.verify(message(h), BODY, key.getPublic(),
                    HttpSignatures.REQUIRED_REQUEST_COMPONENTS, Instant.now());
            assertThat(v.verified()).as("seed %d round %d: %s", SEED, i, h).isFalse();
            assertThat(v.problem()).isNotBlank();
        }
        Map<String, String> huge = new HashMap<>();
        huge.put("content-digest", HttpSignatures.contentDigest(BODY));
        huge.put("signature-input", "sig=(" + "\"@method\" ".repeat(10_000) + ")");
        huge.put("signature", "sig=:AAAA:");
        assertThat(HttpSignatures.verify(message(huge), BODY, key.getPublic(), List.of(), Instant.now()).problem())
                .contains("malformed");
    }

    @Test
    void whatKulipaSignsItVerifiesWithEveryAlgorithm() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair rsaKeys = rsa.generateKeyPair();
        KeyPairGenerator p384 = KeyPairGenerator.getInstance("EC");
        p384.initialize(new ECGenParameterSpec("secp384r1"));
        Map<SignatureAlgorithm, KeyPair> keys = Map.of(SignatureAlgorithm.ECDSA_P256_SHA256, ec(),
                SignatureAlgorithm.ECDSA_P384_SHA384, p384.generateKeyPair(),
                SignatureAlgorithm.RSA_PSS_SHA512, rsaKeys, SignatureAlgorithm.RSA_V1_5_SHA256, rsaKeys);
        Instant now = Instant.now();
        for (Map.Entry<SignatureAlgorithm, KeyPair> k : keys.entrySet()) {
            Map<String, String> h = new HashMap<>();
            h.put("content-digest", HttpSignatures.contentDigest(BODY));
            HttpSignatures.sign(message(h), "sig1", List.of("@method", "@authority", "@path", "content-digest"),
                    k.getKey(), "key-1", k.getValue().getPrivate(), now, now.plusSeconds(60))
                    .forEach((name, value) -> h.put(name.toLowerCase(), value));
            HttpSignatures.Verdict v = HttpSignatures.verify(message(h), BODY, k.getValue().getPublic(),
                    HttpSignatures.REQUIRED_REQUEST_COMPONENTS, now);
            assertThat(v.problem()).as(k.getKey().wireName()).isNull();
            assertThat(v.keyId()).isEqualTo("key-1");
            assertThat(k.getKey().fits(k.getValue().getPublic())).isTrue();
        }
    }

    @Test
    void aContentDigestMustNameAKnownAlgorithmAndEveryKnownOneMustMatch() throws Exception {
        String sha512 = "sha-512=:" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-512")
                .digest(BODY)) + ":";
        assertThat(HttpSignatures.digestProblem(sha512, BODY)).isNull();
        assertThat(HttpSignatures.digestProblem(HttpSignatures.contentDigest(BODY) + ", " + sha512, BODY)).isNull();
        assertThat(HttpSignatures.digestProblem("md5=:AAAA:", BODY)).contains("neither");
        assertThat(HttpSignatures.digestProblem(HttpSignatures.contentDigest(BODY) + ", sha-512=:AAAA:", BODY))
                .contains("does not match");
        assertThat(HttpSignatures.digestProblem("sha-256=abc", BODY)).isNotNull();
        assertThat(HttpSignatures.digestProblem(null, BODY)).contains("missing");
    }

    @Test
    void theSignatureParamsLineIsTheCanonicalSerialisation() throws Exception {
        Map<String, StructuredFields.Member> d = StructuredFields.dictionary(
                "sig1=(\"@method\"   \"content-digest\");created=1618884473;keyid=\"k \\\"1\\\"\";alg=\"rsa-pss-sha512\"");
        StructuredFields.Member m = d.get("sig1");
        assertThat(StructuredFields.serialize(m.items(), m.params()))
                .isEqualTo("(\"@method\" \"content-digest\");created=1618884473;keyid=\"k \\\"1\\\"\";alg=\"rsa-pss-sha512\"");
    }

    private static String garbage(Random random, String alphabet) {
        int n = random.nextInt(120);
        StringBuilder b = new StringBuilder(random.nextBoolean() ? "sig=" : "");
        if (random.nextBoolean()) {
            b.append("(\"@method\" \"@path\" \"content-digest\");created=").append(random.nextInt());
        }
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    private static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }
}
