package io.kulipa.dialects.scantopay.remote.pins;

import java.util.HexFormat;
import java.util.Optional;

/**
 * ISO 9564-1 format 0 (ANSI X9.8) PIN blocks: the PIN field {@code 0 L P P P P P/F ... F} (L the
 * PIN's length, 4 to 12 digits, padded with F) XOR the PAN field {@code 0000} + the 12 rightmost
 * digits of the PAN without its check digit. Eight bytes; never logged nor stored.
 */
public final class PinBlocks {

    public static final int BLOCK_BYTES = 8;
    public static final int PIN_MIN_DIGITS = 4;
    public static final int PIN_MAX_DIGITS = 12;
    private static final int PAN_FIELD_DIGITS = 12;

    private PinBlocks() {
    }

    /** The format 0 block of {@code pin} for {@code pan}. */
    public static byte[] format0(String pin, String pan) {
        if (pin == null || !pin.matches("[0-9]{" + PIN_MIN_DIGITS + "," + PIN_MAX_DIGITS + "}")) {
            throw new IllegalArgumentException("a PIN is 4 to 12 digits");
        }
        StringBuilder pinField = new StringBuilder("0").append(Integer.toHexString(pin.length())).append(pin);
        while (pinField.length() < 2 * BLOCK_BYTES) {
            pinField.append('F');
        }
        byte[] a = HexFormat.of().parseHex(pinField);
        byte[] b = panField(pan);
        byte[] out = new byte[BLOCK_BYTES];
        for (int i = 0; i < BLOCK_BYTES; i++) {
            out[i] = (byte) (a[i] ^ b[i]);
        }
        return out;
    }

    /** The PIN of a format 0 block for {@code pan}, or empty when the block is not one of that card. */
    public static Optional<String> pin(byte[] block, String pan) {
        if (block == null || block.length != BLOCK_BYTES) {
            return Optional.empty();
        }
        byte[] b = panField(pan);
        byte[] field = new byte[BLOCK_BYTES];
        for (int i = 0; i < BLOCK_BYTES; i++) {
            field[i] = (byte) (block[i] ^ b[i]);
        }
        String hex = HexFormat.of().withUpperCase().formatHex(field);
        if (hex.charAt(0) != '0') {
            return Optional.empty();
        }
        int length = Character.digit(hex.charAt(1), 16);
        if (length < PIN_MIN_DIGITS || length > PIN_MAX_DIGITS) {
            return Optional.empty();
        }
        String pin = hex.substring(2, 2 + length);
        String pad = hex.substring(2 + length);
        if (!pin.matches("[0-9]+") || !pad.matches("F*")) {
            return Optional.empty();
        }
        return Optional.of(pin);
    }

    private static byte[] panField(String pan) {
        if (pan == null || !pan.matches("[0-9]{13,19}")) {
            throw new IllegalArgumentException("a PAN is 13 to 19 digits");
        }
        String withoutCheck = pan.substring(0, pan.length() - 1);
        String twelve = withoutCheck.substring(withoutCheck.length() - PAN_FIELD_DIGITS);
        return HexFormat.of().parseHex("0000" + twelve);
    }
}
