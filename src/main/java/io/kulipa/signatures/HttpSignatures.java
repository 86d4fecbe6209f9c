package io.kulipa.signatures;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * HTTP message signatures as pawaPay uses them: RFC 9421 {@code Signature} and
 * {@code Signature-Input} over a signature base that covers an RFC 9530 {@code Content-Digest} of
 * the body. One implementation for verifying merchants' signed requests and for signing Kulipa's
 * callbacks; it holds no key and no state.
 */
public final class HttpSignatures {

    /** A signature whose {@code created} is older than this is refused (replays of old captures). */
    public static final Duration MAX_AGE = Duration.ofMinutes(5);
    /** A {@code created} up to this far in the future is accepted: the signer's clock may be ahead. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofSeconds(60);
    /** What a signed request must cover at least, so that neither its target nor its body can change. */
    public static final List<String> REQUIRED_REQUEST_COMPONENTS = List.of("@method", "@path", "content-digest");
    /** The components Kulipa signs in a callback (pawaPay's own set, with its Signature-Date). */
    public static final List<String> CALLBACK_COMPONENTS = List.of("@method", "@authority", "@path",
            "content-digest", "content-type", "signature-date");

    private HttpSignatures() {
    }

    /** What the signature base is built from: the request's target and its header fields. */
    public interface Message {
        String method();

        /** Host, with the port when it is not the scheme's default. */
        String authority();

        /** The raw path, as sent ("/" when empty). */
        String path();

        /** The raw query without '?', or null when there is none. */
        String query();

        String scheme();

        /** The field's value (several joined with ", "), or empty when absent. Names are lower case. */
        Optional<String> header(String name);
    }

    /** Why a signed message is not accepted; {@code null} reason means it verified. */
    public record Verdict(String problem, String keyId) {
        public boolean verified() {
            return problem == null;
        }

        static Verdict refused(String problem) {
            return new Verdict(problem, null);
        }
    }

    /** {@code sha-256=:…:} of the body (RFC 9530). */
    public static String contentDigest(byte[] body) {
        return "sha-256=:" + Base64.getEncoder().encodeToString(sha("SHA-256", body)) + ":";
    }

    /**
     * Checks a {@code Content-Digest} against the body: SHA-256 and SHA-512 are understood, at least
     * one must be given, and each one given must match. The problem, or null when it matches.
     */
    public static String digestProblem(String header, byte[] body) {
        if (header == null) {
            return "the Content-Digest header is missing";
        }
        Map<String, StructuredFields.Member> digests;
        try {
            digests = StructuredFields.dictionary(header);
        } catch (StructuredFields.Malformed e) {
            return "the Content-Digest header is malformed: " + e.getMessage();
        }
        int checked = 0;
        for (Map.Entry<String, StructuredFields.Member> d : digests.entrySet()) {
            String jdk = switch (d.getKey()) {
                case "sha-256" -> "SHA-256";
                case "sha-512" -> "SHA-512";
                default -> null;
            };
            if (jdk == null) {
                continue;
            }
            StructuredFields.Item item = d.getValue().item();
            if (item == null || !(item.value() instanceof byte[] given)) {
                return "the Content-Digest's " + d.getKey() + " is not a byte sequence";
            }
            if (!MessageDigest.isEqual(given, sha(jdk, body))) {
                return "the Content-Digest does not match the body";
            }
            checked++;
        }
        return checked == 0 ? "the Content-Digest has neither sha-256 nor sha-512" : null;
    }

    /**
     * Signs a message: answers the {@code Signature-Input} and {@code Signature} headers to add.
     * The message must already carry every header field among {@code components}.
     */
    public static Map<String, String> sign(Message message, String label, List<String> components,
                                           SignatureAlgorithm alg, String keyId, PrivateKey key, Instant created,
                                           Instant expires) {
        List<StructuredFields.Item> items = components.stream()
                .map(c -> new StructuredFields.Item(c, List.of())).toList();
        List<StructuredFields.Param> params = List.of(
                new StructuredFields.Param("alg", alg.wireName()),
                new StructuredFields.Param("keyid", keyId),
                new StructuredFields.Param("created", created.getEpochSecond()),
                new StructuredFields.Param("expires", expires.getEpochSecond()));
        String serialized = StructuredFields.serialize(items, params);
        try {
            String base = base(message, components, serialized);
            Signature s = alg.newSignature();
            s.initSign(key);
            s.update(base.getBytes(StandardCharsets.UTF_8));
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Signature-Input", label + "=" + serialized);
            headers.put("Signature", label + "=:" + Base64.getEncoder().encodeToString(s.sign()) + ":");
            return headers;
        } catch (Unverifiable | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with " + alg.wireName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Verifies the first signature of a message with the signer's public key, after its
     * {@code Content-Digest} against the body: the digest matches, the signature covers at least
     * {@code required}, names an algorithm that fits the key (or implies one), was created within
     * {@link #MAX_AGE} and not after {@code now} plus {@link #MAX_CLOCK_SKEW}, has not expired, and
     * verifies.
     */
    public static Verdict verify(Message message, byte[] body, PublicKey key, List<String> required, Instant now) {
        String digest = digestProblem(message.header("content-digest").orElse(null), body);
        if (digest != null) {
            return Verdict.refused(digest);
        }
        Optional<String> inputHeader = message.header("signature-input");
        Optional<String> signatureHeader = message.header("signature");
        if (inputHeader.isEmpty() || signatureHeader.isEmpty()) {
            return Verdict.refused("the Signature and Signature-Input headers are required");
        }
        try {
            Map<String, StructuredFields.Member> inputs = StructuredFields.dictionary(inputHeader.get());
            Map<String, StructuredFields.Member> signatures = StructuredFields.dictionary(signatureHeader.get());
            if (inputs.isEmpty()) {
                return Verdict.refused("the Signature-Input header names no signature");
            }
            Map.Entry<String, StructuredFields.Member> input = inputs.entrySet().iterator().next();
            StructuredFields.Member sig = signatures.get(input.getKey());
            if (sig == null || sig.item() == null || !(sig.item().value() instanceof byte[] signature)) {
                return Verdict.refused("the Signature header has no byte sequence labelled " + input.getKey());
            }
            if (input.getValue().items() == null) {
                return Verdict.refused("the Signature-Input's " + input.getKey() + " is not an inner list");
            }
            return verify(message, input.getValue(), signature, key, required, now);
        } catch (StructuredFields.Malformed e) {
            return Verdict.refused("the Signature or Signature-Input header is malformed: " + e.getMessage());
        } catch (Unverifiable e) {
            return Verdict.refused(e.getMessage());
        }
    }

    private static Verdict verify(Message message, StructuredFields.Member input, byte[] signature, PublicKey key,
                                  List<String> required, Instant now) throws Unverifiable {
        List<String> components = new ArrayList<>();
        for (StructuredFields.Item item : input.items()) {
            if (!(item.value() instanceof String name) || !item.params().isEmpty()) {
                throw new Unverifiable("covered components must be plain strings without parameters");
            }
            components.add(name);
        }
        for (String r : required) {
            if (!components.contains(r)) {
                throw new Unverifiable("the signature must cover " + String.join(", ", required));
            }
        }
        Map<String, Object> params = new LinkedHashMap<>();
        input.params().forEach(p -> params.put(p.name(), p.value()));
        SignatureAlgorithm alg = algorithm(params.get("alg"), key);
        if (!(params.get("created") instanceof Long created)) {
            throw new Unverifiable("the signature has no created time");
        }
        Instant at = Instant.ofEpochSecond(created);
        if (at.isAfter(now.plus(MAX_CLOCK_SKEW))) {
            throw new Unverifiable("the signature was created in the future");
        }
        if (at.isBefore(now.minus(MAX_AGE))) {
            throw new Unverifiable("the signature was created more than " + MAX_AGE.toMinutes() + " minutes ago");
        }
        if (params.containsKey("expires")) {
            if (!(params.get("expires") instanceof Long expires) || Instant.ofEpochSecond(expires).isBefore(now)) {
                throw new Unverifiable("the signature has expired");
            }
        }
        String base = base(message, components, StructuredFields.serialize(input.items(), input.params()));
        try {
            Signature s = alg.newSignature();
            s.initVerify(key);
            s.update(base.getBytes(StandardCharsets.UTF_8));
            if (!s.verify(signature)) {
                return Verdict.refused("the signature does not verify with the merchant's public key");
            }
        } catch (GeneralSecurityException e) {
            return Verdict.refused("the signature does not verify with the merchant's public key");
        }
        return new Verdict(null, params.get("keyid") instanceof String id ? id : null);
    }

    private static SignatureAlgorithm algorithm(Object named, PublicKey key) throws Unverifiable {
        if (named == null) {
            return SignatureAlgorithm.implied(key)
                    .orElseThrow(() -> new Unverifiable("the merchant's key fits no accepted algorithm"));
        }
        Optional<SignatureAlgorithm> alg = named instanceof String n ? SignatureAlgorithm.named(n) : Optional.empty();
        if (alg.isEmpty()) {
            throw new Unverifiable("alg must be one of rsa-pss-sha512, rsa-v1_5-sha256, ecdsa-p256-sha256, "
                    + "ecdsa-p384-sha384");
        }
        if (!alg.get().fits(key)) {
            throw new Unverifiable("alg " + alg.get().wireName() + " does not fit the merchant's public key");
        }
        return alg.get();
    }

    /** The signature base of RFC 9421 section 2.5: one line per component, then the parameters. */
    static String base(Message m, List<String> components, String serializedParams) throws Unverifiable {
        StringBuilder b = new StringBuilder();
        Set<String> seen = new HashSet<>();
        for (String c : components) {
            if (!seen.add(c)) {
                throw new Unverifiable("component " + c + " is covered twice");
            }
            b.append('"').append(c).append("\": ").append(value(m, c)).append('\n');
        }
        return b.append("\"@signature-params\": ").append(serializedParams).toString();
    }

    private static String value(Message m, String component) throws Unverifiable {
        String query = m.query() == null ? "" : "?" + m.query();
        return switch (component) {
            case "@method" -> m.method().toUpperCase(Locale.ROOT);
            case "@authority" -> m.authority().toLowerCase(Locale.ROOT);
            case "@scheme" -> m.scheme().toLowerCase(Locale.ROOT);
            case "@path" -> m.path().isEmpty() ? "/" : m.path();
            case "@query" -> query.isEmpty() ? "?" : query;
            case "@request-target" -> m.path() + query;
            case "@target-uri" -> m.scheme().toLowerCase(Locale.ROOT) + "://" + m.authority().toLowerCase(Locale.ROOT)
                    + m.path() + query;
            default -> {
                if (component.startsWith("@") || !component.equals(component.toLowerCase(Locale.ROOT))) {
                    throw new Unverifiable("component " + component + " is not supported");
                }
                String v = m.header(component)
                        .orElseThrow(() -> new Unverifiable("the covered header " + component + " is missing"));
                if (v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
                    throw new Unverifiable("the covered header " + component + " spans lines");
                }
                yield v.strip();
            }
        };
    }

    private static byte[] sha(String algorithm, byte[] body) {
        try {
            return MessageDigest.getInstance(algorithm).digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every JDK", e);
        }
    }

    /** A signature that cannot be checked as given. */
    static final class Unverifiable extends Exception {
        Unverifiable(String message) {
            super(message);
        }
    }
}
