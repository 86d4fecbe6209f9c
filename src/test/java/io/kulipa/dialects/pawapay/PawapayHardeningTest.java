package io.kulipa.dialects.pawapay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.kulipa.testing.GatewayExtension;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * pawaPay bodies through the one strict reader (issue 13, defects 1 and 2): what it refuses is
 * HTTP 400 INVALID_INPUT naming the field, and no deposit is written.
 */
class PawapayHardeningTest {

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.withDefaults();

    static String deposit(String id, String metadataValue) {
        return "{\"depositId\": \"" + id + "\", \"amount\": \"15\", \"currency\": \"ZMW\", \"correspondent\": "
                + "\"MTN_MOMO_ZMB\", \"payer\": {\"type\": \"MSISDN\", \"address\": {\"value\": \"260763456789\"}}, "
                + "\"customerTimestamp\": \"2020-02-21T17:32:28Z\", \"statementDescription\": \"Note of 4 to 22\", "
                + "\"metadata\": [{\"fieldName\": \"customerId\", \"fieldValue\": " + metadataValue
                + ", \"isPII\": true}]}";
    }

    static long deposits(String id) {
        return gateway.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM payment WHERE client_ref = ?")
                .bind(0, id).mapTo(Long.class).one());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"a\\u0000b\"  | metadata[0].fieldValue: contains a NUL character",
            "\"\\udfff\"    | metadata[0].fieldValue: contains a lone surrogate",
            "1e309          | metadata[0].fieldValue: the number is out of range",
    })
    void refusedBodiesNameTheFieldAndWriteNothing(String value, String problem) {
        String id = UUID.randomUUID().toString();
        gateway.merchant().body(deposit(id, value).getBytes(StandardCharsets.UTF_8)).post("/deposits").then()
                .statusCode(400).body("rejectionReason.rejectionCode", equalTo("INVALID_INPUT"))
                .body("rejectionReason.rejectionMessage", containsString(problem));
        assertThat(deposits(id)).isZero();
    }

    @Test
    void aBodyMustBeSentAsJson() {
        String id = UUID.randomUUID().toString();
        gateway.merchant().contentType(ContentType.TEXT).body(deposit(id, "\"c-1\"")).post("/deposits").then()
                .statusCode(400).body("rejectionReason.rejectionCode", equalTo("INVALID_INPUT"))
                .body("rejectionReason.rejectionMessage", containsString("Content-Type"));
        assertThat(deposits(id)).isZero();
        gateway.merchant().body(deposit(id, "\"c-1\"")).post("/deposits").then().statusCode(200)
                .body("status", equalTo("ACCEPTED"));
        assertThat(deposits(id)).isEqualTo(1);
    }
}
