package io.kulipa.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one strict reader of request bodies: what it refuses, and how it names the field. */
class JsonBodyTest {

    private static JsonBody.Read read(String json) {
        return JsonBody.read(json.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"amount\":1e309}                              | amount: the number is out of range",
            "{\"amount\":-1e309}                             | amount: the number is out of range",
            "{\"a\":{\"b\":[1, 1e-400]}}                     | a.b[1]: the number is out of range",
            "{\"externalId\":\"a\\u0000b\"}                  | externalId: contains a NUL character",
            "{\"metadata\":[{\"fieldValue\":\"x\\u0000\"}]}  | metadata[0].fieldValue: contains a NUL character",
            "{\"name\":\"\\ud800\"}                          | name: contains a lone surrogate",
            "{\"name\":\"\\udc00x\"}                         | name: contains a lone surrogate",
            "{\"a\\u0000\":1}                                | the name of a field: contains a NUL character",
            "abc                                             | body: is not valid JSON",
            "{                                               | body: is not valid JSON",
            "{\"a\":1} {\"b\":2}                             | body: has text after the JSON value",
            "{\"a\":1,\"a\":2}                               | body: is not valid JSON",
            "{\"a\":NaN}                                     | body: is not valid JSON",
    })
    void refusesWhatPostgresOrADoubleWouldChokeOnNamingTheField(String json, String problem) {
        JsonBody.Read read = read(json);
        assertThat(read.node()).isNull();
        assertThat(read.problem()).startsWith(problem);
    }

    @Test
    void refusesDeepNestingAndLongNumbers() {
        String deep = "[".repeat(JsonBody.MAX_NESTING_DEPTH + 1) + "]".repeat(JsonBody.MAX_NESTING_DEPTH + 1);
        assertThat(read(deep).problem()).contains("nested deeper than " + JsonBody.MAX_NESTING_DEPTH);
        String tenThousand = "[".repeat(10_000) + "]".repeat(10_000);
        assertThat(read(tenThousand).refused()).isTrue();
        String ok = "[".repeat(JsonBody.MAX_NESTING_DEPTH) + "]".repeat(JsonBody.MAX_NESTING_DEPTH);
        assertThat(read(ok).refused()).isFalse();
        assertThat(read("{\"n\":" + "1".repeat(JsonBody.MAX_NUMBER_CHARS + 1) + "}").refused()).isTrue();
    }

    @Test
    void refusesBytesThatAreNotUtf8() {
        byte[] latin1 = "{\"name\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(JsonBody.read(latin1).problem()).isEqualTo("body: is not UTF-8 text");
        byte[] utf16 = "{\"a\":1}".getBytes(StandardCharsets.UTF_16);
        assertThat(JsonBody.read(utf16).refused()).isTrue();
        // A surrogate encoded on its own in UTF-8 (CESU) is not UTF-8 either.
        byte[] cesu = {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'};
        assertThat(JsonBody.read(cesu).problem()).isEqualTo("body: is not UTF-8 text");
    }

    @Test
    void keepsNumbersAsWrittenAndTextAsGiven() {
        JsonBody.Read read = read("{\"a\":1e2,\"b\":15.50,\"c\":15,\"d\":\"\\ud83d\\ude00 caf\u00e9\",\"e\":12345678901}");
        assertThat(read.refused()).isFalse();
        assertThat(read.node().get("a").asText()).isEqualTo("1e2");
        assertThat(read.node().get("b").asText()).isEqualTo("15.50");
        assertThat(read.node().get("b").decimalValue()).isEqualByComparingTo("15.5");
        assertThat(read.node().get("c").isInt()).isTrue();
        assertThat(read.node().get("d").asText()).isEqualTo("\ud83d\ude00 caf\u00e9");
        assertThat(read.node().get("e").asLong()).isEqualTo(12345678901L);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "application/json                 | true",
            "application/json; charset=utf-8  | true",
            "Application/JSON;charset=\"UTF-8\" | true",
            "application/vnd.api+json         | true",
            "application/json; charset=latin1 | false",
            "text/plain                       | false",
            "application/x-www-form-urlencoded | false",
            "NULL                             | false",
    })
    void acceptsOnlyJsonContentTypes(String header, boolean accepted) {
        assertThat(JsonBody.contentTypeRefusal(header) == null).isEqualTo(accepted);
    }
}
