package io.kulipa.dialects.scantopay.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kulipa.dialects.scantopay.remote.pins.PinBlocks;
import io.kulipa.dialects.scantopay.remote.pins.PinKey;
import io.kulipa.dialects.scantopay.remote.pins.ReadingPinData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** ISO 9564 format 0 blocks under the published RSA-OAEP key, and what pinData refuses. */
class RemotePinBlocksTest {

    /** The textbook example: PIN 1234, PAN 4111111111111111 (PAN field 0000111111111111). */
    @Test
    void format0IsThePinFieldXorThePanField() {
        byte[] block = PinBlocks.format0("1234", "4111111111111111");
        assertThat(HexFormat.of().withUpperCase().formatHex(block)).isEqualTo("041225EEEEEEEEEE");
        assertThat(PinBlocks.pin(block, "4111111111111111")).contains("1234");
        // Another card's PAN field makes it no block of a PIN.
        assertThat(PinBlocks.pin(block, "4005000000000015")).isEmpty();
        assertThatThrownBy(() -> PinBlocks.format0("12", "4111111111111111")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBlockEncryptedWithThePublishedKeyReadsBackAndAPlainPinIsRefused() throws Exception {
        Path dir = Files.createTempDirectory("pin-key");
        PinKey key = PinKey.in(dir);
        assertThat(Files.readString(dir.resolve(PinKey.PUBLIC_KEY_FILE))).isEqualTo(key.publicPem());
        // The same key after a restart.
        assertThat(PinKey.in(dir).keyId()).isEqualTo(key.keyId());
        ReadingPinData reading = new ReadingPinData(key);
        String pan = "4000000000000010";
        String encrypted = PinKey.encrypt(key.publicKey(), PinBlocks.format0("98765", pan));
        assertThat(reading.read(encrypted, pan).pin()).isEqualTo("98765");
        assertThat(reading.read("1234", pan).problem()).contains("pinData.encryptedData", "plain PIN is refused");
        assertThat(reading.read("041226EEEEEEEEEE", pan).problem()).contains("unencrypted PIN block");
        assertThat(reading.read("bm90IGEgYmxvY2s=", pan).problem()).contains("not a PIN block encrypted");
        // Format 0 is not authenticated: under another card's PAN the block reads as another PIN (which
        // the issuer then refuses) or as no PIN block at all, never as the customer's PIN.
        var elsewhere = reading.read(encrypted, "5105000000000011");
        assertThat(elsewhere.pin()).isNotEqualTo("98765");
        assertThat(reading.read(PinKey.encrypt(key.publicKey(), PinBlocks.format0("1234", "4111111111111111")), pan)
                .problem()).contains("not an ISO 9564 format 0 PIN block");
        assertThat(reading.read(null, pan).problem()).isEqualTo("pinData.encryptedData: required");
        // Under another key it does not decrypt.
        PinKey other = PinKey.in(Files.createTempDirectory("pin-key-other"));
        assertThat(reading.read(PinKey.encrypt(other.publicKey(), PinBlocks.format0("1234", pan)), pan).problem())
                .contains("not a PIN block encrypted");
    }

    /** The guide's openssl command (docs/scantopay-remote.md) makes what Kulipa reads. */
    @Test
    void theDocumentedOpensslCommandEncryptsABlockKulipaReads() throws Exception {
        Path dir = Files.createTempDirectory("pin-key-openssl");
        PinKey key = PinKey.in(dir);
        String pan = "4000000000000010";
        String block = HexFormat.of().withUpperCase().formatHex(PinBlocks.format0("1234", pan));
        assertThat(block).isEqualTo("041234FFFFFFFFFE");
        Process p = new ProcessBuilder("sh", "-c", "printf '%s' " + block + " | xxd -r -p | openssl pkeyutl -encrypt "
                + "-pubin -inkey " + dir.resolve(PinKey.PUBLIC_KEY_FILE) + " -pkeyopt rsa_padding_mode:oaep "
                + "-pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha256 | base64 -w0").redirectErrorStream(true).start();
        String encrypted = new String(p.getInputStream().readAllBytes()).strip();
        assertThat(p.waitFor()).isZero();
        assertThat(new ReadingPinData(key).read(encrypted, pan).pin()).isEqualTo("1234");
    }
}
