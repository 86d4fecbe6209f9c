package io.kulipa.dialects;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import io.kulipa.testing.MomoClient;
import io.kulipa.testing.GatewayExtension;
import io.kulipa.testing.TestGateway;
import io.restassured.specification.RequestSpecification;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Client ids are each dialect's own (issue 8, part 6). One merchant integrates with pawaPay and
 * with MoMo on the same Zambian correspondent: neither dialect's look-ups show the other's
 * payments, and an id one of them used is new to the other — a second, independent payment, never
 * a duplicate answer that would tell it the other exists.
 */
class DialectNamespacesTest {

    private static final String ZAMBIA = "mtnzambia";
    private static final String PAYER = "260763000001";

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.withSettings(Map.of("KULIPA_SANDBOX_APPROVAL_DELAY", "1s"));
    static MomoClient momo;

    @BeforeAll
    static void start() {
        momo = MomoClient.provision(gateway.get(), "127.0.0.1");
    }

    private static RequestSpecification collection() {
        return momo.product("collection", ZAMBIA);
    }

    private static Map<String, Object> requestToPay(String amount) {
        Map<String, Object> body = new HashMap<>();
        body.put("amount", amount);
        body.put("currency", "ZMW");
        body.put("externalId", "order-1");
        body.put("payer", MomoClient.msisdn(PAYER));
        return body;
    }

    private static Map<String, Object> deposit(String id, String amount) {
        Map<String, Object> body = TestGateway.deposit("MTN_MOMO_ZMB", "ZMW", PAYER, amount);
        body.put("depositId", id);
        return body;
    }

    @Test
    void aPawapayLookupNeverShowsAMomoRequestToPay() {
        String reference = UUID.randomUUID().toString();
        collection().header("X-Reference-Id", reference).body(requestToPay("7"))
                .post("/collection/v1_0/requesttopay").then().statusCode(202);
        collection().get("/collection/v1_0/requesttopay/" + reference).then().statusCode(200)
                .body("amount", equalTo("7"));

        gateway.merchant().get("/deposits/" + reference).then().statusCode(200).body("$", hasSize(0));
        gateway.merchant().body(Map.of("depositId", reference)).post("/deposits/resend-callback").then()
                .body("status", equalTo("REJECTED"))
                .body("rejectionReason", equalTo("No deposit with id " + reference + " was found"));
        gateway.merchant().body(Map.of("refundId", UUID.randomUUID().toString(), "depositId", reference))
                .post("/refunds").then().body("status", equalTo("REJECTED"))
                .body("rejectionReason.rejectionCode", equalTo("PARAMETER_INVALID"));
    }

    @Test
    void aMomoStatusLookupNeverShowsAPawapayDeposit() {
        String id = UUID.randomUUID().toString();
        gateway.postDeposit(deposit(id, "15")).then().statusCode(200).body("status", equalTo("ACCEPTED"));
        gateway.merchant().get("/deposits/" + id).then().body("$", hasSize(1));

        collection().get("/collection/v1_0/requesttopay/" + id).then().statusCode(404)
                .body("code", equalTo("RESOURCE_NOT_FOUND"));
        collection().header("notificationMessage", "Your ticket is 4417")
                .post("/collection/v1_0/requesttopay/" + id + "/deliverynotification").then().statusCode(404);
        momo.product("disbursement", ZAMBIA).header("X-Reference-Id", UUID.randomUUID().toString())
                .body(Map.of("amount", "5", "currency", "ZMW", "externalId", "r-1", "referenceIdToRefund", id))
                .post("/disbursement/v1_0/refund").then().statusCode(404).body("code", equalTo("RESOURCE_NOT_FOUND"));
    }

    @Test
    void theSameIdInBothDialectsMakesTwoIndependentPaymentsPawapayFirst() {
        String id = UUID.randomUUID().toString();
        gateway.postDeposit(deposit(id, "15")).then().body("status", equalTo("ACCEPTED"));
        // New to MoMo: accepted, not 409, even with a body MoMo cannot read.
        collection().header("X-Reference-Id", id).body(Map.of("amount", "x"))
                .post("/collection/v1_0/requesttopay").then().statusCode(400).body("code", equalTo("BAD_REQUEST"));
        collection().header("X-Reference-Id", id).body(requestToPay("7"))
                .post("/collection/v1_0/requesttopay").then().statusCode(202);

        assertEachSeesItsOwn(id);
    }

    @Test
    void theSameIdInBothDialectsMakesTwoIndependentPaymentsMomoFirst() {
        String id = UUID.randomUUID().toString();
        collection().header("X-Reference-Id", id).body(requestToPay("7"))
                .post("/collection/v1_0/requesttopay").then().statusCode(202);
        // New to pawaPay: an unreadable body is rejected, not a duplicate of MoMo's payment.
        Map<String, Object> invalid = deposit(id, "15");
        invalid.remove("statementDescription");
        gateway.postDeposit(invalid).then().body("status", equalTo("REJECTED"))
                .body("rejectionReason.rejectionCode", equalTo("PARAMETER_INVALID"));
        gateway.postDeposit(deposit(id, "15")).then().body("status", equalTo("ACCEPTED"));

        assertEachSeesItsOwn(id);
    }

    /** Each dialect finds its own payment, and a repeat in each is that dialect's duplicate. */
    private static void assertEachSeesItsOwn(String id) {
        gateway.merchant().get("/deposits/" + id).then().body("$", hasSize(1))
                .body("[0].requestedAmount", equalTo("15"));
        collection().get("/collection/v1_0/requesttopay/" + id).then().statusCode(200).body("amount", equalTo("7"));

        gateway.postDeposit(deposit(id, "15")).then().body("status", equalTo("DUPLICATE_IGNORED"));
        Map<String, Object> unreadable = deposit(id, "15");
        unreadable.put("amount", "not an amount");
        gateway.postDeposit(unreadable).then().body("status", equalTo("DUPLICATE_IGNORED"));
        collection().header("X-Reference-Id", id).body(requestToPay("7"))
                .post("/collection/v1_0/requesttopay").then().statusCode(409).body("code", equalTo("RESOURCE_ALREADY_EXIST"));
        collection().header("X-Reference-Id", id).body(Map.of("amount", "x"))
                .post("/collection/v1_0/requesttopay").then().statusCode(409).body("code", equalTo("RESOURCE_ALREADY_EXIST"));

        // Ops sees both and asks which one is meant.
        String ops = "/ops/merchants/" + gateway.kulipa().demoMerchantId() + "/payments/deposit/" + id;
        gateway.as(TestGateway.ADMIN_TOKEN).get(ops).then().statusCode(409);
        gateway.as(TestGateway.ADMIN_TOKEN).queryParam("dialect", "momo").get(ops).then().statusCode(200)
                .body("state", notNullValue());
    }
}
