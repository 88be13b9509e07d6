package dev.entramcp.emulator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A refusal that never reads the request body (Graph's 401 for a token of another audience) must still leave the
 * kept-alive connection usable. JDK 17's HTTPS server drains an unread body only when the exchange closes, after
 * the response; by then a client may have sent its next request, which the drain swallows into its TLS buffer,
 * and that request hangs. The emulator therefore answers only once the whole body has arrived, and this test
 * drives one connection by hand to show it: headers first, then the body, then a second request.
 */
class EmulatorConnectionReuseTest {

    private static final String MAIL = "{\"message\":{\"subject\":\"x\",\"toRecipients\":[{\"emailAddress\":"
            + "{\"address\":\"dan@example.test\"}}]}}";

    private static EntraEmulator emu;

    @BeforeAll
    static void start() {
        emu = EntraEmulator.start();
    }

    @AfterAll
    static void stop() {
        emu.close();
    }

    @Test
    void givenARefusalBeforeTheBodyArrived_emulator_answersAfterTheBodyAndServesTheNextRequestOnTheSameConnection()
            throws IOException {
        String foreign = emu.control().issueAccessToken("alice", emu.apps().demo().clientId(),
                emu.apps().remote().appIdUri() + "/User.Read");
        String forGraph = emu.control().issueAccessToken("bob", emu.apps().local().clientId(), "User.Read");
        byte[] body = MAIL.getBytes(StandardCharsets.UTF_8);

        try (SSLSocket socket = (SSLSocket) emu.sslContext().getSocketFactory().createSocket("localhost", emu.port())) {
            socket.setSoTimeout(20_000);
            socket.startHandshake();
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();

            out.write(head("POST /graph/v1.0/me/sendMail", foreign,
                    "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n"));
            out.flush();
            socket.setSoTimeout(300);
            assertThatThrownBy(in::read).as("no answer before the body is in").isInstanceOf(SocketTimeoutException.class);

            socket.setSoTimeout(20_000);
            out.write(body);
            out.flush();
            assertThat(readResponse(in)).startsWith("HTTP/1.1 401 ").contains("InvalidAuthenticationToken");

            out.write(head("GET /graph/v1.0/me?$select=mail", forGraph, ""));
            out.flush();
            assertThat(readResponse(in)).startsWith("HTTP/1.1 200 ").contains("bob@entra-emulator.test");
        }
    }

    private static byte[] head(String requestLine, String token, String extraHeaders) {
        return (requestLine + " HTTP/1.1\r\nHost: localhost:" + emu.port() + "\r\nAuthorization: Bearer " + token
                + "\r\n" + extraHeaders + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** One response with a Content-Length body, read exactly, so the connection stays in step. */
    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after: " + head);
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.US_ASCII);
        int length = 0;
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return headers + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
