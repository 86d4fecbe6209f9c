package io.kulipa.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.kulipa.testing.GatewayExtension;
import io.kulipa.testing.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A body above the cap gets the dialect's refusal even when the client is still sending it after
 * the gateway decided: the gateway reads and drops the rest instead of closing the connection with
 * bytes unread (the kernel's reset then destroyed the answer before the client read it, a flaky
 * "connection closed" in {@code OpenApiFuzzTest}).
 */
class OversizedBodyTest {

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.withDefaults();

    @Test
    void aBodyAboveTheCapSentSlowlyStillGetsTheRefusal() throws Exception {
        byte[] body = new byte[300 * 1024];
        Arrays.fill(body, (byte) ' ');
        body[0] = '{';
        body[body.length - 1] = '}';
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /refunds/resend-callback HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TestGateway.DEMO_TOKEN
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, 16 * 1024);
            out.flush();
            // Time for the gateway to refuse on the declared length and, before the fix, close.
            Thread.sleep(500);
            for (int sent = 16 * 1024; sent < body.length; sent += 16 * 1024) {
                out.write(body, sent, Math.min(16 * 1024, body.length - sent));
                out.flush();
                Thread.sleep(5);
            }
            String answer = readAnswer(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 400");
            assertThat(answer).contains("\"rejectionCode\":\"INVALID_INPUT\"", "body: larger than 256 KiB");
        }
        // The gateway still answers on new connections.
        gateway.anonymous().get("/health").then().statusCode(200);
    }

    private static String readAnswer(InputStream in) throws Exception {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) > 0) {
            got.write(buffer, 0, n);
            String text = got.toString(StandardCharsets.UTF_8);
            int headersEnd = text.indexOf("\r\n\r\n");
            if (headersEnd >= 0 && text.contains("}")) {
                return text;
            }
        }
        return got.toString(StandardCharsets.UTF_8);
    }
}
