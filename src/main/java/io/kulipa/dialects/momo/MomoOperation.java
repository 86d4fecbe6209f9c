package io.kulipa.dialects.momo;

import io.kulipa.payments.PaymentKind;
import io.kulipa.dialects.momo.credentials.MomoProduct;
import java.util.List;
import java.util.Optional;

/**
 * MoMo's payment operations as data: the product, the path word, the API versions a payment can
 * be created with, and the kind of core payment it becomes. Request to pay and request to
 * withdraw are deposits (money from the customer); transfer, deposit (cash-in) and the
 * service-provider payment are payouts from the merchant's wallet; refund is the core's refund of
 * a successful collection.
 *
 * @param wire        the path word, as in {@code /collection/v1_0/requesttopay}
 * @param versions    the versions whose path creates it; the first one also serves its status GET
 * @param partyField  the JSON field of the customer's party (payer or payee), null when the body has none
 */
enum MomoOperation {
    REQUEST_TO_PAY(MomoProduct.COLLECTION, "requesttopay", PaymentKind.DEPOSIT, "payer", List.of(V1.NAME)),
    REQUEST_TO_WITHDRAW(MomoProduct.COLLECTION, "requesttowithdraw", PaymentKind.DEPOSIT, "payer",
            List.of(V1.NAME, V2.NAME)),
    SERVICE_PAYMENT(MomoProduct.COLLECTION, "payment", PaymentKind.PAYOUT, null, List.of(V2.NAME)),
    TRANSFER(MomoProduct.DISBURSEMENT, "transfer", PaymentKind.PAYOUT, "payee", List.of(V1.NAME)),
    DEPOSIT(MomoProduct.DISBURSEMENT, "deposit", PaymentKind.PAYOUT, "payee", List.of(V1.NAME, V2.NAME)),
    REFUND(MomoProduct.DISBURSEMENT, "refund", PaymentKind.REFUND, "payee", List.of(V1.NAME, V2.NAME)),
    REMITTANCE_TRANSFER(MomoProduct.REMITTANCE, "transfer", PaymentKind.PAYOUT, "payee", List.of(V1.NAME));

    /** Path segments of MoMo's two API versions. */
    static final class V1 {
        static final String NAME = "v1_0";
    }

    static final class V2 {
        static final String NAME = "v2_0";
    }

    private final MomoProduct product;
    private final String wire;
    private final PaymentKind kind;
    private final String partyField;
    private final List<String> versions;

    MomoOperation(MomoProduct product, String wire, PaymentKind kind, String partyField, List<String> versions) {
        this.product = product;
        this.wire = wire;
        this.kind = kind;
        this.partyField = partyField;
        this.versions = versions;
    }

    MomoProduct product() {
        return product;
    }

    String wire() {
        return wire;
    }

    PaymentKind kind() {
        return kind;
    }

    String partyField() {
        return partyField;
    }

    List<String> versions() {
        return versions;
    }

    /** The name kept with a payment so that its status is found under this operation only. */
    String key() {
        return product.wireName() + "/" + wire;
    }

    /**
     * The operation a stored key names. Payments made before operations were recorded were
     * requests to pay or disbursement transfers, the only two there were.
     */
    static MomoOperation ofKey(String key, PaymentKind kind) {
        if (key == null) {
            return kind == PaymentKind.DEPOSIT ? REQUEST_TO_PAY : TRANSFER;
        }
        for (MomoOperation op : values()) {
            if (op.key().equals(key)) {
                return op;
            }
        }
        return kind == PaymentKind.DEPOSIT ? REQUEST_TO_PAY : TRANSFER;
    }

    static Optional<MomoOperation> find(MomoProduct product, String wire) {
        for (MomoOperation op : values()) {
            if (op.product == product && op.wire.equals(wire)) {
                return Optional.of(op);
            }
        }
        return Optional.empty();
    }
}
