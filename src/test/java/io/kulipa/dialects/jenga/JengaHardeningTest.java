package io.kulipa.dialects.jenga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.kulipa.testing.GatewayExtension;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Jenga's bodies go through the gateway's one strict reader: a NUL, a lone surrogate, a number
 * out of range or text that is not JSON gets Jenga's 400 naming the field, and no push is made.
 */
class JengaHardeningTest {

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.withSettings(JengaClient.SETTINGS);
    static JengaClient client;

    @BeforeAll
    static void start() {
        client = new JengaClient(gateway.get());
    }

    /** A push whose body is this raw text, with a signature the body is never checked against. */
    static Response pushRaw(String body) {
        return RestAssured.given().baseUri(gateway.baseUrl()).contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + client.token()).header("Signature", "not-checked")
                .body(body).post("/v3-apis/payment-api/v3.0/stkussdpush/initiate");
    }

    static String body(String ref, String name, String amount) {
        return "{\"merchant\":{\"accountNumber\":\"" + JengaClient.ACCOUNT + "\",\"countryCode\":\"KE\",\"name\":"
                + name + "},\"payment\":{\"ref\":\"" + ref + "\",\"amount\":" + amount + ",\"currency\":\"KES\","
                + "\"telco\":\"Equitel\",\"mobileNumber\":\"254764555291\",\"date\":\"2024-08-13\","
                + "\"callBackUrl\":\"http://127.0.0.1:9/cb\",\"pushType\":\"STK\"}}";
    }

    static int payments(String ref) {
        return gateway.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM payment WHERE client_ref = :r")
                .bind("r", ref).mapTo(Integer.class).one());
    }

    @Test
    void aNulOrALoneSurrogateInAFieldIsRefusedNamingIt() {
        String nul = JengaClient.ref();
        pushRaw(body(nul, "\"Sportify\\u0000Ltd\"", "\"5.00\"")).then().statusCode(400)
                .body("code", equalTo(400102)).body("message", containsString("merchant.name"));
        String surrogate = JengaClient.ref();
        pushRaw(body(surrogate, "\"Sportify \\ud800\"", "\"5.00\"")).then().statusCode(400)
                .body("code", equalTo(400102)).body("message", containsString("merchant.name"));
        assertThat(payments(nul) + payments(surrogate)).isZero();
    }

    @Test
    void aNumberOutOfRangeOrTextThatIsNotJsonIsRefused() {
        String ref = JengaClient.ref();
        pushRaw(body(ref, "\"Sportify Ltd\"", "1e309")).then().statusCode(400)
                .body("code", equalTo(400102)).body("message", containsString("payment.amount"));
        pushRaw("{\"merchant\":").then().statusCode(400).body("code", equalTo(400102));
        assertThat(payments(ref)).isZero();
    }
}
