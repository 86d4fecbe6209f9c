package io.kulipa.dialects.scantopay.remote.pins;

/**
 * Reads {@code pinData.encryptedData} of a purchase into the PIN the issuer checks: the base64
 * of an ISO 9564 format 0 block for the purchase's PAN, encrypted under the published
 * {@link PinKey}. A plain PIN is refused outright (the spec: "Never send plain PIN"), as is a
 * block that does not decrypt or is not of this card. The PIN lives only in memory.
 */
public final class ReadingPinData {

    /** The PIN, or why the block is refused (a message naming the field). */
    public record Result(String pin, String problem) {
    }

    static final String FIELD = "pinData.encryptedData";

    private final PinKey key;

    public ReadingPinData(PinKey key) {
        this.key = key;
    }

    public Result read(String encryptedData, String pan) {
        if (encryptedData == null || encryptedData.isBlank()) {
            return new Result(null, FIELD + ": required");
        }
        String s = encryptedData.strip();
        if (s.matches("[0-9]{" + PinBlocks.PIN_MIN_DIGITS + "," + PinBlocks.PIN_MAX_DIGITS + "}")) {
            return new Result(null, FIELD + ": a plain PIN is refused; encrypt the ISO 9564 format 0 PIN block "
                    + "with the key of /pinKey (RSA-OAEP-256)");
        }
        if (s.matches("[0-9A-Fa-f]{16}")) {
            return new Result(null, FIELD + ": an unencrypted PIN block is refused; encrypt it with the key of "
                    + "/pinKey (RSA-OAEP-256)");
        }
        var block = key.decrypt(s);
        if (block.isEmpty()) {
            return new Result(null, FIELD + ": not a PIN block encrypted with the key of /pinKey (RSA-OAEP-256, "
                    + "base64)");
        }
        var pin = PinBlocks.pin(block.get(), pan);
        java.util.Arrays.fill(block.get(), (byte) 0);
        return pin.map(p -> new Result(p, null)).orElseGet(() -> new Result(null, FIELD
                + ": not an ISO 9564 format 0 PIN block of this card's PAN"));
    }
}
