package io.kulipa.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.kulipa.payments.Secrets;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fingerprint written straight from the tree is the one every stored payment was given: the
 * body converted to maps and lists and written by Jackson with sorted keys (the implementation
 * before issue 14, kept here as the reference).
 */
class FingerprintTest {

    private static final ObjectMapper REFERENCE = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private static String reference(JsonNode body) throws Exception {
        return Secrets.digest(REFERENCE.writeValueAsString(REFERENCE.treeToValue(body, Object.class)));
    }

    private static JsonNode parsed(String json) {
        JsonBody.Read read = JsonBody.read(json.getBytes(StandardCharsets.UTF_8));
        assertThat(read.problem()).as(json).isNull();
        return read.node();
    }

    @Test
    void sameDigestAsTheReferenceForAwkwardBodies() throws Exception {
        String[] bodies = {
            "{}", "[]", "{\"a\":null}", "{\"b\":1,\"a\":2}", "{\"amount\":\"15.50\",\"n\":15.50,\"m\":15.5}",
            "{\"e\":1e3,\"E\":-1.5E-7,\"z\":-0,\"zz\":-0.0,\"big\":123456789012345678901234567890,"
                    + "\"long\":9007199254740993,\"neg\":-2147483649,\"int\":2147483647}",
            "{\"s\":\"quote \\\" backslash \\\\ slash / tab \\t nl \\n cr \\r bs \\b ff \\f soh \\u0001 us \\u001f\"}",
            "{\"u\":\"caf\u00e9 \u20ac \ud83d\ude00 \\u2028 \\u2029 \\u007f\"}",
            "{\"nested\":{\"z\":[1,{\"y\":true,\"x\":false},[]],\"a\":{\"\":\"empty key\"}},\"A\":\"upper first\"}",
            "{\"metadata\":[{\"fieldName\":\"orderId\",\"fieldValue\":\"ORD-1\"},{\"fieldName\":\"x\",\"isPII\":true}]}",
            "[3,\"two\",{\"b\":[],\"a\":{}},null]",
        };
        for (String body : bodies) {
            JsonNode node = parsed(body);
            assertThat(Fingerprint.of(node)).as(body).isEqualTo(reference(node));
        }
    }

    @Test
    void keyOrderAndWhiteSpaceDoNotMatterButValuesDo() {
        String a = Fingerprint.of(parsed("{\"depositId\":\"x\",\"amount\":\"15.50\",\"meta\":{\"b\":1,\"a\":2}}"));
        assertThat(Fingerprint.of(parsed(" { \"meta\" : {\"a\":2, \"b\":1}, \"amount\":\"15.50\",\n\"depositId\":\"x\" } ")))
                .isEqualTo(a);
        assertThat(Fingerprint.of(parsed("{\"depositId\":\"x\",\"amount\":\"15.5\",\"meta\":{\"b\":1,\"a\":2}}")))
                .isNotEqualTo(a);
        assertThat(Fingerprint.of(parsed("{\"n\":15.50}"))).isNotEqualTo(Fingerprint.of(parsed("{\"n\":15.5}")));
    }

    @Test
    void sameDigestAsTheReferenceForRandomBodies() throws Exception {
        Random random = new Random(20261203);
        for (int i = 0; i < 2_000; i++) {
            StringBuilder json = new StringBuilder();
            value(random, json, 0);
            JsonNode node = parsed(json.toString());
            assertThat(Fingerprint.of(node)).as(json.toString()).isEqualTo(reference(node));
        }
    }

    private static void value(Random r, StringBuilder s, int depth) {
        int kind = depth == 0 ? 0 : r.nextInt(depth > 4 ? 6 : 8);
        switch (kind) {
            case 0, 6 -> {
                s.append('{');
                int n = r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        s.append(',');
                    }
                    s.append('"').append(text(r, true)).append(i).append("\":");
                    value(r, s, depth + 1);
                }
                s.append('}');
            }
            case 7 -> {
                s.append('[');
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        s.append(',');
                    }
                    value(r, s, depth + 1);
                }
                s.append(']');
            }
            case 1 -> s.append('"').append(text(r, false)).append('"');
            case 2 -> s.append(r.nextBoolean() ? "true" : "null");
            case 3 -> s.append(r.nextInt(3) == 0 ? r.nextLong() : r.nextInt(1000) - 500);
            case 4 -> s.append(r.nextInt(2000) - 1000).append('.').append(r.nextInt(1000)).append(r.nextBoolean() ? "0" : "");
            default -> s.append(r.nextInt(9) + 1).append(r.nextBoolean() ? "e" : "E").append(r.nextInt(40) - 20);
        }
    }

    private static String text(Random r, boolean key) {
        String[] pieces = {"a", "Z", "id", "\\\"", "\\\\", "\\n", "\\u0001", "\u00e9", "\u4e2d", "\ud83d\ude00", " ", "/", "\\u00ff"};
        StringBuilder t = new StringBuilder();
        int n = r.nextInt(key ? 3 : 6);
        for (int i = 0; i < n; i++) {
            t.append(pieces[r.nextInt(pieces.length)]);
        }
        return t.toString();
    }
}
