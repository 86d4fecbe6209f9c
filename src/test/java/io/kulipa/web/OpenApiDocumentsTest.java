package io.kulipa.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kulipa.money.Amount;
import io.kulipa.testing.GatewayExtension;
import io.restassured.RestAssured;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The OpenAPI documents that the gateway serves under {@code /openapi/}: they parse, they
 * describe every endpoint the gateway has, and the gateway serves them with swagger-ui.
 */
class OpenApiDocumentsTest {

    static final String PAWAPAY = "/web/openapi/pawapay-v1.yaml";
    static final String SANDBOX_OPS = "/web/openapi/kulipa-sandbox-ops.yaml";
    static final String MOMO_PROVISIONING = "/web/openapi/momo-provisioning.yaml";
    static final String MOMO_COLLECTION = "/web/openapi/momo-collection.yaml";
    static final String MOMO_DISBURSEMENT = "/web/openapi/momo-disbursement.yaml";
    static final String MOMO_REMITTANCE = "/web/openapi/momo-remittance.yaml";
    static final String JENGA = "/web/openapi/jenga.yaml";
    static final String STP_REMOTE = "/web/openapi/scantopay-remote.yaml";
    static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.withDefaults();

    // (a) the documents themselves

    @Test
    void thePawapayDocumentDescribesEveryPawapayEndpointAndTheCallbacks() {
        JsonNode doc = read(PAWAPAY);
        assertThat(doc.path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(doc.path("info").path("title").asText()).isNotBlank();
        assertThat(operations(doc.path("paths"))).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("/deposits", Set.of("post")),
                Map.entry("/deposits/{depositId}", Set.of("get")),
                Map.entry("/deposits/resend-callback", Set.of("post")),
                Map.entry("/payouts", Set.of("post")),
                Map.entry("/payouts/bulk", Set.of("post")),
                Map.entry("/payouts/{payoutId}", Set.of("get")),
                Map.entry("/payouts/resend-callback", Set.of("post")),
                Map.entry("/payouts/fail-enqueued/{payoutId}", Set.of("post")),
                Map.entry("/refunds", Set.of("post")),
                Map.entry("/refunds/{refundId}", Set.of("get")),
                Map.entry("/refunds/resend-callback", Set.of("post")),
                Map.entry("/availability", Set.of("get")),
                Map.entry("/active-conf", Set.of("get")),
                Map.entry("/v1/predict-correspondent", Set.of("post")),
                Map.entry("/v1/wallet-balances", Set.of("get")),
                Map.entry("/v1/wallet-balances/{country}", Set.of("get")),
                Map.entry("/v1/widget/sessions", Set.of("post"))));
        assertThat(operations(doc.path("webhooks"))).containsExactlyInAnyOrderEntriesOf(Map.of(
                "depositStatusCallback", Set.of("post"),
                "payoutStatusCallback", Set.of("post"),
                "refundStatusCallback", Set.of("post")));

        JsonNode bearer = doc.at("/components/securitySchemes/bearerAuth");
        assertThat(bearer.path("type").asText()).isEqualTo("http");
        assertThat(bearer.path("scheme").asText()).isEqualTo("bearer");
        assertThat(doc.at("/security/0").has("bearerAuth")).isTrue();

        JsonNode create = doc.at("/paths/~1deposits/post/responses");
        assertThat(fieldNames(create)).contains("200", "400", "401");
        assertThat(texts(doc.at("/components/schemas/DepositCreationResponse/properties/status/enum")))
                .containsExactly("ACCEPTED", "REJECTED", "DUPLICATE_IGNORED");
        assertThat(texts(doc.at("/components/schemas/Deposit/properties/status/enum")))
                .containsExactly("ACCEPTED", "SUBMITTED", "COMPLETED", "FAILED");
        assertThat(texts(doc.at("/components/schemas/ResendCallbackResponse/properties/status/enum")))
                .containsExactly("ACCEPTED", "REJECTED");
        assertThat(texts(doc.at("/components/schemas/ErrorResponse/properties/rejectionReason/properties/rejectionCode/enum")))
                .containsExactlyInAnyOrder("INVALID_INPUT", "AUTHENTICATION_ERROR");
        assertThat(doc.at("/paths/~1deposits~1{depositId}/get/responses/200/content/application~1json/schema/maxItems")
                .asInt()).isEqualTo(1);
        assertThat(fieldNames(doc.at("/components/schemas/DepositRequest/properties"))).containsExactly(
                "depositId", "amount", "currency", "country", "correspondent", "payer", "customerTimestamp",
                "statementDescription", "preAuthorisationCode", "metadata");
        assertThat(texts(doc.at("/components/schemas/DepositRequest/required"))).doesNotContain("country",
                "preAuthorisationCode", "metadata");
        assertThat(doc.at("/components/schemas/DepositRequest/properties/metadata/maxItems").asInt()).isEqualTo(10);
        assertReferencesResolve(doc);
    }

    @Test
    void thePawapayDocumentDescribesPayoutsRefundsAndTheToolkitAsTheCodeAnswers() {
        JsonNode doc = read(PAWAPAY);
        // Only the availability endpoint is open; every other operation uses the document's bearer token.
        doc.path("paths").properties().forEach(path -> path.getValue().properties().stream()
                .filter(op -> METHODS.contains(op.getKey()))
                .forEach(op -> {
                    JsonNode security = op.getValue().path("security");
                    if (path.getKey().equals("/availability")) {
                        assertThat(security.isArray() && security.isEmpty()).as(path.getKey()).isTrue();
                    } else {
                        assertThat(security.isMissingNode()).as(path.getKey()).isTrue();
                        assertThat(fieldNames(op.getValue().path("responses"))).as(path.getKey()).contains("401");
                    }
                }));

        assertThat(texts(doc.at("/components/schemas/PayoutCreationResponse/properties/status/enum")))
                .containsExactly("ACCEPTED", "ENQUEUED", "REJECTED", "DUPLICATE_IGNORED");
        assertThat(texts(doc.at("/components/schemas/Payout/properties/status/enum")))
                .containsExactly("ACCEPTED", "ENQUEUED", "SUBMITTED", "COMPLETED", "FAILED");
        assertThat(texts(doc.at("/components/schemas/PayoutFailureReason/properties/failureCode/enum")))
                .containsExactlyInAnyOrder("RECIPIENT_NOT_FOUND", "RECIPIENT_NOT_ALLOWED_TO_RECEIVE",
                        "RECIPIENT_LIMIT_REACHED", "BALANCE_INSUFFICIENT", "MANUALLY_CANCELLED", "OTHER_ERROR");
        assertThat(texts(doc.at("/components/schemas/PayoutCommandResponse/properties/status/enum")))
                .containsExactly("ACCEPTED", "REJECTED");
        assertThat(fieldNames(doc.at("/components/schemas/Payout/properties")))
                .contains("payoutId", "amount", "recipient", "receivedByRecipient")
                .doesNotContain("requestedAmount", "payer", "respondedByPayer", "depositedAmount");

        JsonNode bulk = doc.at("/paths/~1payouts~1bulk/post");
        assertThat(bulk.at("/requestBody/content/application~1json/schema/minItems").asInt()).isEqualTo(1);
        assertThat(bulk.at("/requestBody/content/application~1json/schema/maxItems").asInt()).isEqualTo(20);
        assertThat(fieldNames(bulk.path("responses"))).contains("200", "400", "401");
        assertThat(texts(doc.at("/components/schemas/BulkErrorResponse/properties/rejectionReason/properties/rejectionCode/enum")))
                .containsExactlyInAnyOrder("INVALID_INPUT", "PARAMETER_INVALID");

        assertThat(fieldNames(doc.at("/components/schemas/RefundRequest/properties")))
                .containsExactly("refundId", "depositId", "amount", "metadata");
        assertThat(texts(doc.at("/components/schemas/RefundRequest/required"))).containsExactlyInAnyOrder("refundId", "depositId");
        assertThat(texts(doc.at("/components/schemas/RefundCreationResponse/properties/status/enum")))
                .containsExactly("ACCEPTED", "REJECTED", "DUPLICATE_IGNORED");
        assertThat(texts(doc.at("/components/schemas/Refund/properties/status/enum")))
                .containsExactly("ACCEPTED", "SUBMITTED", "COMPLETED", "FAILED");
        assertThat(texts(doc.at("/components/schemas/RefundRejectionReason/properties/rejectionCode/enum")))
                .contains("PARAMETER_INVALID", "AMOUNT_TOO_LARGE");
        for (String kind : List.of("payouts~1{payoutId}", "refunds~1{refundId}")) {
            assertThat(doc.at("/paths/~1" + kind + "/get/responses/200/content/application~1json/schema/maxItems")
                    .asInt()).as(kind).isEqualTo(1);
        }

        for (String toolkit : List.of("/paths/~1v1~1predict-correspondent/post", "/paths/~1v1~1wallet-balances~1{country}/get")) {
            assertThat(doc.at(toolkit + "/responses/400/content/application~1json/schema/$ref").asText()).as(toolkit)
                    .isEqualTo("#/components/schemas/ToolkitError");
        }
        assertThat(texts(doc.at("/components/schemas/ToolkitError/required"))).containsExactly("errorMessage");
        assertThat(doc.at("/paths/~1v1~1predict-correspondent/post/requestBody/content/application~1json/schema/required/0")
                .asText()).isEqualTo("msisdn");
        assertReferencesResolve(doc);
    }

    @Test
    void theDocumentedAmountRuleIsTheOneTheGatewayApplies() {
        Pattern documented = Pattern.compile(read(PAWAPAY).at("/components/schemas/Amount/pattern").asText());
        // The valid and invalid examples of the pawaPay specification's "amount".
        for (String valid : List.of("5", "5.0", "5.00", "5.5", "5.55", "5555555", "0.5")) {
            assertThat(documented.matcher(valid).matches()).as(valid).isTrue();
            assertThat(Amount.parse(valid)).as(valid).isPresent();
        }
        for (String invalid : List.of("5.", "5.555", "5555555555555555555", ".5", "-5.5", "00.5", "00.00", "00001.32")) {
            assertThat(documented.matcher(invalid).matches()).as(invalid).isFalse();
            assertThat(Amount.parse(invalid)).as(invalid).isEmpty();
        }
    }

    @Test
    void theSandboxAndOpsDocumentDescribesEveryOtherEndpoint() {
        JsonNode doc = read(SANDBOX_OPS);
        assertThat(doc.path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(operations(doc.path("paths"))).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("/health", Set.of("get")),
                Map.entry("/metrics", Set.of("get")),
                Map.entry("/sandbox/handsets/{msisdn}", Set.of("get")),
                Map.entry("/sandbox/handsets/{msisdn}/prompts", Set.of("get")),
                Map.entry("/sandbox/handsets/{msisdn}/sms", Set.of("get")),
                Map.entry("/sandbox/handsets/{msisdn}/prompts/{reference}/approve", Set.of("post")),
                Map.entry("/sandbox/handsets/{msisdn}/prompts/{reference}/reject", Set.of("post")),
                Map.entry("/sandbox/handsets/{msisdn}/wallet", Set.of("put")),
                Map.entry("/sandbox/handsets/{msisdn}/invoices", Set.of("get")),
                Map.entry("/sandbox/handsets/{msisdn}/invoices/{invoiceId}/pay", Set.of("post")),
                Map.entry("/sandbox/operators/{correspondent}", Set.of("get", "put")),
                Map.entry("/sandbox/callbacks/{name}", Set.of("get", "post", "put")),
                Map.entry("/ops/availability/{correspondent}/{operationType}", Set.of("put")),
                Map.entry("/ops/merchants", Set.of("post")),
                Map.entry("/ops/merchants/{merchantId}", Set.of("get")),
                Map.entry("/ops/merchants/{merchantId}/callbacks", Set.of("put")),
                Map.entry("/ops/merchants/{merchantId}/signatures", Set.of("get", "put")),
                Map.entry("/ops/merchants/{merchantId}/payments/{kind}/{clientRef}", Set.of("get"))));

        JsonNode admin = doc.at("/components/securitySchemes/adminBearer");
        assertThat(admin.path("scheme").asText()).isEqualTo("bearer");
        doc.path("paths").properties().forEach(path -> path.getValue().properties().stream()
                .filter(op -> METHODS.contains(op.getKey()))
                .forEach(op -> {
                    JsonNode security = op.getValue().path("security");
                    if (path.getKey().startsWith("/ops/")) {
                        assertThat(security.path(0).has("adminBearer")).as(path.getKey()).isTrue();
                        assertThat(fieldNames(op.getValue().path("responses"))).as(path.getKey()).contains("401");
                    } else {
                        assertThat(security.isArray() && security.isEmpty()).as(path.getKey()).isTrue();
                    }
                }));
        assertThat(fieldNames(doc.at("/paths/~1health/get/responses"))).containsExactlyInAnyOrder("200", "503");
        assertThat(fieldNames(doc.at("/paths/~1sandbox~1handsets~1{msisdn}~1prompts~1{reference}~1approve/post/responses")))
                .containsExactlyInAnyOrder("200", "400", "403", "404");
        assertThat(doc.at("/paths/~1sandbox~1handsets~1{msisdn}~1prompts~1{reference}~1approve/post/requestBody"
                + "/content/application~1json/schema/required/0").asText()).isEqualTo("pin");
        assertThat(fieldNames(doc.at("/components/schemas/WalletSettings/properties")))
                .containsExactlyInAnyOrder("balance", "pin", "approval", "kyc");
        assertThat(fieldNames(doc.at("/paths/~1sandbox~1operators~1{correspondent}/put/responses")))
                .containsExactlyInAnyOrder("200", "400", "404");
        assertThat(fieldNames(doc.at("/components/schemas/OperatorKnobSettings/properties")))
                .containsExactlyInAnyOrder("outage", "loseCallbacks");
        assertThat(fieldNames(doc.at("/paths/~1sandbox~1callbacks~1{name}/post/responses")))
                .containsExactlyInAnyOrder("200", "400");
        JsonNode availability = doc.at("/paths/~1ops~1availability~1{correspondent}~1{operationType}/put");
        assertThat(fieldNames(availability.path("responses"))).containsExactlyInAnyOrder("200", "400", "401");
        assertThat(texts(availability.at("/requestBody/content/application~1json/schema/properties/status/enum")))
                .containsExactly("OPERATIONAL", "DELAYED", "CLOSED", "null");
        assertReferencesResolve(doc);
    }

    @Test
    void theMomoProvisioningDocumentDescribesApiUsersAndKeys() {
        JsonNode doc = read(MOMO_PROVISIONING);
        assertServedAsBuilt(MOMO_PROVISIONING);
        assertMomoDocument(doc);
        assertThat(operations(doc.path("paths"))).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("/v1_0/apiuser", Set.of("post")),
                Map.entry("/v1_0/apiuser/{id}", Set.of("get")),
                Map.entry("/v1_0/apiuser/{id}/apikey", Set.of("post"))));
        // Provisioning calls nobody back.
        assertThat(doc.has("webhooks")).isFalse();
        assertThat(doc.at("/components/securitySchemes/subscriptionKey/name").asText())
                .isEqualTo("Ocp-Apim-Subscription-Key");
        assertThat(fieldNames(doc.at("/paths/~1v1_0~1apiuser/post/responses")))
                .containsExactlyInAnyOrder("201", "400", "401", "409");
        assertReferencesResolve(doc);
    }

    @Test
    void theMomoCollectionDocumentDescribesEveryCollectionEndpointAndTheCallbacks() {
        JsonNode doc = read(MOMO_COLLECTION);
        assertServedAsBuilt(MOMO_COLLECTION);
        assertMomoProductDocument(doc);
        assertThat(operations(doc.path("paths"))).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("/collection/token/", Set.of("post")),
                Map.entry("/collection/v1_0/preapproval", Set.of("post")),
                Map.entry("/collection/v1_0/preapproval/{referenceId}", Set.of("get")),
                Map.entry("/collection/v2_0/preapproval", Set.of("post")),
                Map.entry("/collection/v2_0/preapproval/{referenceId}", Set.of("get")),
                Map.entry("/collection/v1_0/bc-authorize", Set.of("post")),
                Map.entry("/collection/oauth2/token/", Set.of("post")),
                Map.entry("/collection/oauth2/v1_0/userinfo", Set.of("get")),
                Map.entry("/collection/v1_0/accountholder/msisdn/{msisdn}/basicuserinfo", Set.of("get")),
                Map.entry("/collection/v2_0/invoice", Set.of("post")),
                Map.entry("/collection/v2_0/invoice/{referenceId}", Set.of("get", "delete")),
                Map.entry("/collection/v2_0/voucher", Set.of("post")),
                Map.entry("/collection/v2_0/voucher/{referenceId}", Set.of("get")),
                Map.entry("/collection/v2_0/voucher/{voucherToken}", Set.of("delete")),
                Map.entry("/collection/v2_0/voucher/{voucherToken}/OTP", Set.of("get", "post")),
                Map.entry("/collection/v2_0/voucher/{voucherToken}/redeem", Set.of("post")),
                Map.entry("/collection/v1_0/requesttopay", Set.of("post")),
                Map.entry("/collection/v1_0/requesttopay/{referenceId}", Set.of("get")),
                Map.entry("/collection/v1_0/requesttowithdraw", Set.of("post")),
                Map.entry("/collection/v2_0/requesttowithdraw", Set.of("post")),
                Map.entry("/collection/v1_0/requesttowithdraw/{referenceId}", Set.of("get")),
                Map.entry("/collection/v2_0/requesttowithdraw/{referenceId}", Set.of("get")),
                Map.entry("/collection/v2_0/payment", Set.of("post")),
                Map.entry("/collection/v2_0/payment/{referenceId}", Set.of("get")),
                Map.entry("/collection/v1_0/requesttopay/{referenceId}/deliverynotification", Set.of("post")),
                Map.entry("/collection/v2_0/requesttopay/{referenceId}/deliverynotification", Set.of("post")),
                Map.entry("/collection/v1_0/account/balance", Set.of("get")),
                Map.entry("/collection/v1_0/account/balance/{currency}", Set.of("get")),
                Map.entry("/collection/v1_0/accountholder/{accountHolderIdType}/{accountHolderId}/active",
                        Set.of("get"))));
        // MoMo calls back once: with PUT for what v1_0 created, with POST for what v2_0 created.
        assertThat(operations(doc.path("webhooks"))).containsExactlyInAnyOrderEntriesOf(Map.of(
                "requestToPayCallback", Set.of("put"),
                "requestToWithdrawCallback", Set.of("put", "post"),
                "paymentCallback", Set.of("post"),
                "preApprovalCallback", Set.of("put", "post"),
                "invoiceCallback", Set.of("post"),
                "voucherCallback", Set.of("post")));
        assertThat(fieldNames(doc.at("/components/schemas/ServicePayment/properties"))).containsExactly(
                "externalTransactionId", "money", "customerReference", "serviceProviderUserName", "receiverMessage",
                "senderNote", "productId", "productOfferingId", "couponId");
        assertThat(fieldNames(doc.at("/components/schemas/PaymentResult/properties")))
                .containsExactly("referenceId", "status", "financialTransactionId", "reason");
        assertThat(doc.at("/webhooks/paymentCallback/post/requestBody/content/application~1json/schema/$ref").asText())
                .isEqualTo("#/components/schemas/PaymentResult");
        assertReferencesResolve(doc);
    }

    @Test
    void theMomoDisbursementDocumentDescribesEveryDisbursementEndpointAndTheCallbacks() {
        JsonNode doc = read(MOMO_DISBURSEMENT);
        assertServedAsBuilt(MOMO_DISBURSEMENT);
        assertMomoProductDocument(doc);
        assertThat(operations(doc.path("paths"))).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("/disbursement/token/", Set.of("post")),
                Map.entry("/disbursement/v1_0/bc-authorize", Set.of("post")),
                Map.entry("/disbursement/oauth2/token/", Set.of("post")),
                Map.entry("/disbursement/oauth2/v1_0/userinfo", Set.of("get")),
                Map.entry("/disbursement/v1_0/accountholder/msisdn/{msisdn}/basicuserinfo", Set.of("get")),
                Map.entry("/disbursement/v2_0/voucher", Set.of("post")),
                Map.entry("/disbursement/v2_0/voucher/{referenceId}", Set.of("get")),
                Map.entry("/disbursement/v2_0/voucher/{voucherToken}", Set.of("delete")),
                Map.entry("/disbursement/v2_0/voucher/{voucherToken}/OTP", Set.of("get", "post")),
                Map.entry("/disbursement/v2_0/voucher/{voucherToken}/redeem", Set.of("post")),
                Map.entry("/disbursement/v1_0/transfer", Set.of("post")),
                Map.entry("/disbursement/v1_0/transfer/{referenceId}", Set.of("get")),
                Map.entry("/disbursement/v1_0/deposit", Set.of("post")),
                Map.entry("/disbursement/v2_0/deposit", Set.of("post")),
                Map.entry("/disbursement/v1_0/deposit/{referenceId}", Set.of("get")),
                Map.entry("/disbursement/v2_0/deposit/{referenceId}", Set.of("get")),
                Map.entry("/disbursement/v1_0/refund", Set.of("post")),
                Map.entry("/disbursement/v2_0/refund", Set.of("post")),
                Map.entry("/disbursement/v1_0/refund/{referenceId}", Set.of("get")),
                Map.entry("/disbursement/v2_0/refund/{referenceId}", Set.of("get")),
                Map.entry("/disbursement/v1_0/requesttopay/{referenceId}/deliverynotification", Set.of("post")),
                Map.entry("/disbursement/v2_0/requesttopay/{referenceId}/deliverynotification", Set.of("post")),
                Map.entry("/disbursement/v1_0/account/balance", Set.of("get")),
                Map.entry("/disbursement/v1_0/account/balance/{currency}", Set.of("get")),
                Map.entry("/disbursement/v1_0/accountholder/{accountHolderIdType}/{accountHolderId}/active",
                        Set.of("get"))));
        assertThat(operations(doc.path("webhooks"))).containsExactlyInAnyOrderEntriesOf(Map.of(
                "transferCallback", Set.of("put"),
                "depositCallback", Set.of("put", "post"),
                "refundCallback", Set.of("put", "post"),
                "voucherCallback", Set.of("post")));
        assertThat(fieldNames(doc.at("/components/schemas/Refund/properties"))).containsExactly(
                "amount", "currency", "externalId", "payerMessage", "payeeNote", "referenceIdToRefund");
        assertThat(fieldNames(doc.at("/paths/~1disbursement~1v1_0~1refund/post/responses"))).contains("404");
        assertThat(fieldNames(doc.at("/components/schemas/RefundResult/properties"))).contains("payee");
        assertReferencesResolve(doc);
    }

    @Test
    void theMomoRemittanceDocumentDescribesEveryRemittanceEndpointAndTheCallback() {
        JsonNode doc = read(MOMO_REMITTANCE);
        assertServedAsBuilt(MOMO_REMITTANCE);
        assertMomoProductDocument(doc);
        assertThat(operations(doc.path("paths"))).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("/remittance/token/", Set.of("post")),
                Map.entry("/remittance/v1_0/bc-authorize", Set.of("post")),
                Map.entry("/remittance/oauth2/token/", Set.of("post")),
                Map.entry("/remittance/oauth2/v1_0/userinfo", Set.of("get")),
                Map.entry("/remittance/v1_0/accountholder/msisdn/{msisdn}/basicuserinfo", Set.of("get")),
                Map.entry("/remittance/v1_0/transfer", Set.of("post")),
                Map.entry("/remittance/v1_0/transfer/{referenceId}", Set.of("get")),
                Map.entry("/remittance/v1_0/requesttopay/{referenceId}/deliverynotification", Set.of("post")),
                Map.entry("/remittance/v2_0/requesttopay/{referenceId}/deliverynotification", Set.of("post")),
                Map.entry("/remittance/v1_0/account/balance", Set.of("get")),
                Map.entry("/remittance/v1_0/account/balance/{currency}", Set.of("get")),
                Map.entry("/remittance/v1_0/accountholder/{accountHolderIdType}/{accountHolderId}/active",
                        Set.of("get"))));
        assertThat(operations(doc.path("webhooks"))).containsExactlyInAnyOrderEntriesOf(Map.of(
                "transferCallback", Set.of("put")));
        assertReferencesResolve(doc);
    }

    @Test
    void theJengaDocumentDescribesEveryJengaEndpointAndTheCallback() {
        JsonNode doc = read(JENGA);
        assertServedAsBuilt(JENGA);
        assertThat(doc.path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(doc.path("info").path("description").asText())
                .contains("docs/jenga.md", "Signature", "openssl dgst -sha256 -sign", "254764000009");
        assertThat(operations(doc.path("paths"))).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("/authentication/api/v3/authenticate/merchant", Set.of("post")),
                Map.entry("/v3-apis/payment-api/v3.0/stkussdpush/initiate", Set.of("post")),
                Map.entry("/v3-apis/payment-api/v3.0/stkussdpush/{ref}/status", Set.of("get")),
                Map.entry("/v3-apis/payment-api/v3.0/stkussdpush/{ref}/callback", Set.of("post")),
                Map.entry("/ops/merchants/{merchantId}/jenga/credentials", Set.of("put", "get")),
                Map.entry("/ops/merchants/{merchantId}/jenga/public-key", Set.of("put")),
                Map.entry("/ops/merchants/{merchantId}/jenga/consumer-secret", Set.of("post")),
                Map.entry("/ops/merchants/{merchantId}/jenga/pushes/{ref}/settle", Set.of("post")),
                Map.entry("/ops/merchants/{merchantId}/jenga/pushes/{ref}/return", Set.of("post"))));
        assertThat(operations(doc.path("webhooks"))).containsExactlyInAnyOrderEntriesOf(Map.of(
                "pushCallback", Set.of("post")));
        assertThat(fieldNames(doc.at("/paths/~1v3-apis~1payment-api~1v3.0~1stkussdpush~1initiate/post/responses")))
                .containsExactlyInAnyOrder("200", "400", "401", "500");
        assertThat(fieldNames(doc.at("/components/schemas/Callback/properties"))).containsExactly("status", "code",
                "message", "transactionReference", "telcoReference", "mobileNumber", "debitedAmount", "requestAmount",
                "charge", "currency", "telco");
        assertThat(fieldNames(doc.at("/components/schemas/Error/properties"))).containsExactly("status", "code", "message");
        assertThat(texts(doc.at("/components/schemas/PushRequest/properties/payment/properties/pushType/enum")))
                .containsExactly("STK", "USSD");
        // The documented reference rule is the one the gateway applies: the spec's example passes.
        Pattern ref = Pattern.compile(doc.at("/components/schemas/PushRequest/properties/payment/properties/ref/pattern")
                .asText());
        assertThat(ref.matcher("MPS3883889822982").matches()).isTrue();
        assertThat(ref.matcher("ABC12").matches()).isFalse();
        doc.path("paths").properties().forEach(path -> path.getValue().properties().stream()
                .filter(op -> METHODS.contains(op.getKey()))
                .forEach(op -> assertThat(fieldNames(op.getValue().path("responses"))).as(path.getKey()).contains("401")));
        assertReferencesResolve(doc);
    }

    @Test
    void theScanToPayRemoteDocumentDescribesEveryRemoteEndpoint() {
        JsonNode doc = read(STP_REMOTE);
        assertServedAsBuilt(STP_REMOTE);
        assertThat(doc.path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(doc.path("info").path("description").asText())
                .contains("docs/scantopay-remote.md", "ISO 9564 format 0", "openssl pkeyutl", "Content-Type");
        assertThat(operations(doc.path("paths"))).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("/pluto/remote/v4/pinKey", Set.of("get")),
                Map.entry("/pluto/remote/v4/menu", Set.of("get")),
                Map.entry("/pluto/remote/v4/binLookup", Set.of("post")),
                Map.entry("/pluto/remote/v4/secureCodeLookup", Set.of("post")),
                Map.entry("/pluto/remote/v4/acs/{secureCodeId}", Set.of("get", "post")),
                Map.entry("/sandbox/scantopay-remote/pin-block", Set.of("post")),
                Map.entry("/ops/scantopay-remote/brands", Set.of("get", "post")),
                Map.entry("/ops/scantopay-remote/brands/{id}/manager", Set.of("put")),
                Map.entry("/pluto/remote/v4/generateTransactionId", Set.of("post")),
                Map.entry("/pluto/remote/v4/purchaseTx", Set.of("post")),
                Map.entry("/pluto/remote/v4/transactionState/{transactionId}", Set.of("post")),
                Map.entry("/pluto/remote/v4/transactionHistory", Set.of("post")),
                Map.entry("/ops/scantopay-remote/codes/{code}/inputs", Set.of("put")),
                Map.entry("/pluto/remote/v4/cards/link", Set.of("post")),
                Map.entry("/pluto/remote/v4/cards/list", Set.of("post")),
                Map.entry("/pluto/remote/v4/cards/remove", Set.of("post")),
                Map.entry("/sandbox/scantopay-remote/airtime/{msisdn}", Set.of("get"))));
        assertThat(fieldNames(doc.at("/components/schemas/BinLookup/properties"))).containsExactly("status", "bin",
                "authMethod", "cvvNeeded", "accNeeded", "dobNeeded", "cardHolderNameNeeded");
        assertReferencesResolve(doc);
    }

    /** The gateway serves the document under /openapi/ byte for byte as it is in the build. */
    private static void assertServedAsBuilt(String resource) {
        String name = resource.substring(resource.lastIndexOf('/') + 1);
        String served = RestAssured.given().baseUri(gateway.baseUrl()).get("/openapi/" + name)
                .then().statusCode(200).extract().asString();
        assertThat(served).as(name).isEqualTo(resource(resource));
    }

    /** What every MoMo document has: its version, a title, the shared prose and error schemas. */
    private static void assertMomoDocument(JsonNode doc) {
        assertThat(doc.path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(doc.path("info").path("title").asText()).isNotBlank();
        assertThat(doc.path("info").path("description").asText()).contains("docs/momo.md", "Ocp-Apim-Subscription-Key");
        assertThat(fieldNames(doc.at("/components/schemas/ErrorReason/properties"))).containsExactly("code", "message");
        assertThat(fieldNames(doc.at("/components/schemas/AccessDenied/properties")))
                .containsExactly("statusCode", "message");
    }

    /** What every MoMo product document has besides: the three schemes, 202 creations, the tables. */
    private static void assertMomoProductDocument(JsonNode doc) {
        assertMomoDocument(doc);
        assertThat(doc.at("/components/securitySchemes/subscriptionKey/name").asText())
                .isEqualTo("Ocp-Apim-Subscription-Key");
        assertThat(doc.at("/components/securitySchemes/basicAuth/scheme").asText()).isEqualTo("basic");
        assertThat(doc.at("/components/securitySchemes/bearerAuth/scheme").asText()).isEqualTo("bearer");
        assertThat(texts(doc.at("/components/schemas/PaymentStatus/enum")))
                .containsExactly("PENDING", "SUCCESSFUL", "FAILED");
        assertThat(doc.path("info").path("description").asText())
                .contains("46733123463", "X-Target-Environment", "mtnrwanda", "PUT", "POST");
        // Every creation answers 202 and refuses a reused X-Reference-Id with 409.
        doc.path("paths").properties().stream()
                .filter(path -> path.getValue().has("post") && path.getValue().at("/post/responses").has("202"))
                .forEach(path -> assertThat(fieldNames(path.getValue().at("/post/responses"))).as(path.getKey())
                        .contains("400", "401", "403", "409"));
        assertThat(doc.path("paths").properties().stream()
                .filter(path -> path.getValue().at("/post/responses").has("202")).count()).isPositive();
    }

    // (b) served by the gateway

    @Test
    void theGatewayServesBothDocumentsAsTheyAreInTheBuild() {
        for (String name : List.of("pawapay-v1.yaml", "kulipa-sandbox-ops.yaml")) {
            String served = RestAssured.given().baseUri(gateway.baseUrl()).get("/openapi/" + name)
                    .then().statusCode(200).extract().asString();
            assertThat(served).as(name).isEqualTo(resource("/web/openapi/" + name));
        }
    }

    @Test
    void theGatewayServesSwaggerUiWithEveryDocument() {
        RestAssured.given().baseUri(gateway.baseUrl()).get("/docs/index.html").then().statusCode(200)
                .body(containsString("/openapi/pawapay-v1.yaml"))
                .body(containsString("/openapi/kulipa-sandbox-ops.yaml"))
                .body(containsString("/openapi/momo-provisioning.yaml"))
                .body(containsString("/openapi/momo-collection.yaml"))
                .body(containsString("/openapi/momo-disbursement.yaml"))
                .body(containsString("/openapi/momo-remittance.yaml"))
                .body(containsString("/openapi/jenga.yaml"))
                .body(not(containsString("/openapi/momo.yaml")))
                .body(containsString("/webjars/swagger-ui/5.34.1/swagger-ui-bundle.js"));
        RestAssured.given().baseUri(gateway.baseUrl()).get("/webjars/swagger-ui/5.34.1/swagger-ui-bundle.js")
                .then().statusCode(200);
        RestAssured.given().baseUri(gateway.baseUrl()).get("/webjars/swagger-ui/5.34.1/swagger-ui-standalone-preset.js")
                .then().statusCode(200);
        RestAssured.given().baseUri(gateway.baseUrl()).get("/webjars/swagger-ui/5.34.1/swagger-ui.css")
                .then().statusCode(200);
    }

    // helpers

    static JsonNode read(String resource) {
        try {
            return new YAMLMapper().readTree(resource(resource));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + resource, e);
        }
    }

    static String resource(String name) {
        try (InputStream in = OpenApiDocumentsTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Path (or webhook) name to the HTTP methods it has. */
    static Map<String, Set<String>> operations(JsonNode paths) {
        assertThat(paths.isObject()).isTrue();
        Map<String, Set<String>> out = new java.util.LinkedHashMap<>();
        paths.properties().forEach(e -> out.put(e.getKey(), Set.copyOf(fieldNames(e.getValue()).stream()
                .filter(METHODS::contains).toList())));
        return out;
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Every local {@code $ref} of the document points at something. */
    static void assertReferencesResolve(JsonNode doc) {
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(ref).startsWith("#/");
            assertThat(doc.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
        }
    }

    private static void collectRefs(JsonNode node, List<String> into) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (e.getKey().equals("$ref") && e.getValue().isTextual()) {
                    into.add(e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), into);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectRefs(n, into));
        }
    }
}
