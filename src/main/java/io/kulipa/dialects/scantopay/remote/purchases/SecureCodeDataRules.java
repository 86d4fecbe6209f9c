package io.kulipa.dialects.scantopay.remote.purchases;

/**
 * The shape of {@code secureCodeData}, a wallet's own ACS result: {@code cavv} (the 3-D Secure
 * authentication value, 28 base64 characters) and {@code xid} (the transaction id, 28 base64
 * characters or 1 to 40 of another form), {@code eciFlag} (two digits), {@code errorNo} ("0"
 * when the ACS reported no error), {@code paresStatus} (Y authenticated, A attempted; N and U do
 * not authenticate the cardholder) and {@code signatureVerification} (Y: the PARes signature was
 * verified). Anything else is refused, naming the field.
 */
final class SecureCodeDataRules {

    static final int XID_MAX_CHARS = 40;

    private SecureCodeDataRules() {
    }

    static String problem(PurchasingTransaction.Auth.SecureCodeData d) {
        if (d.cavv() == null || !d.cavv().matches("[A-Za-z0-9+/]{27}=|[A-Za-z0-9+/]{28}")) {
            return "secureCodeData.cavv: required, the 28 base64 characters of the authentication value";
        }
        if (d.xid() == null || !d.xid().matches("[A-Za-z0-9+/=_-]{1," + XID_MAX_CHARS + "}")) {
            return "secureCodeData.xid: required, 1 to " + XID_MAX_CHARS + " base64 characters";
        }
        if (d.eciFlag() == null || !d.eciFlag().matches("0[0-7]")) {
            return "secureCodeData.eciFlag: required, two digits 00 to 07";
        }
        if (d.errorNo() == null || !d.errorNo().matches("[0-9]{1,4}")) {
            return "secureCodeData.errorNo: required, the ACS's error number (0 for none)";
        }
        if (Integer.parseInt(d.errorNo()) != 0) {
            return "secureCodeData.errorNo: the ACS reported error " + d.errorNo() + "; the cardholder is not "
                    + "authenticated";
        }
        if (d.paresStatus() == null || !d.paresStatus().matches("[YANU]")) {
            return "secureCodeData.paresStatus: required, Y, A, N or U";
        }
        if (!d.paresStatus().equals("Y") && !d.paresStatus().equals("A")) {
            return "secureCodeData.paresStatus: " + d.paresStatus() + " does not authenticate the cardholder";
        }
        if (d.signatureVerification() == null || !d.signatureVerification().equals("Y")) {
            return "secureCodeData.signatureVerification: must be Y (the PARes signature verified)";
        }
        return null;
    }
}
