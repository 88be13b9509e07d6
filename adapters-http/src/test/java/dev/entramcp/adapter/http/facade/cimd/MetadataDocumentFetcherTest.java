package dev.entramcp.adapter.http.facade.cimd;

import dev.entramcp.adapter.http.facade.DocumentServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.SSLContext;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SSRF guards of fetching a client's metadata document, against a loopback HTTPS server: the
 * address checks (and their pinning), https only, no redirect, the size and time limits.
 */
class MetadataDocumentFetcherTest {

    private static final String DOCUMENT = "{\"client_id\":\"x\",\"redirect_uris\":[\"http://127.0.0.1/cb\"]}";

    @TempDir
    static Path directory;

    private static DocumentServer documents;

    @BeforeAll
    static void start() throws Exception {
        documents = DocumentServer.start(directory);
        documents.serve("/client.json", DocumentServer.Answer.json(DOCUMENT));
        documents.serve("/moved.json", new DocumentServer.Answer(302, Map.of("Location", documents.url("/client.json")), new byte[0]));
        documents.serve("/huge.json", new DocumentServer.Answer(200, Map.of("Content-Type", "application/json"),
                ("{\"padding\":\"" + "x".repeat(5000) + "\"}").getBytes(StandardCharsets.UTF_8)));
        documents.serve("/page.html", new DocumentServer.Answer(200, Map.of("Content-Type", "text/html"),
                "<html></html>".getBytes(StandardCharsets.UTF_8)));
    }

    @AfterAll
    static void stop() {
        documents.close();
    }

    private static MetadataDocumentFetcher fetcher(boolean allowLoopback, SSLContext tls, MetadataDocumentFetcher.HostResolver resolver) {
        return new MetadataDocumentFetcher(new AddressPolicy(allowLoopback), tls, resolver, Duration.ofSeconds(20), 4096);
    }

    private static MetadataDocumentFetcher loopbackAllowed() {
        return fetcher(true, documents.clientTls(), InetAddress::getAllByName);
    }

    private static String refusal(MetadataDocumentFetcher.Result result) {
        assertThat(result).isInstanceOf(MetadataDocumentFetcher.Result.Refused.class);
        return ((MetadataDocumentFetcher.Result.Refused) result).reason();
    }

    @Test
    void givenADocumentOnAnAllowedAddress_fetch_returnsItsBytes() {
        MetadataDocumentFetcher.Result result = loopbackAllowed().fetch(URI.create(documents.url("/client.json")));

        assertThat(result).isInstanceOf(MetadataDocumentFetcher.Result.Fetched.class);
        assertThat(new String(((MetadataDocumentFetcher.Result.Fetched) result).body(), StandardCharsets.UTF_8)).isEqualTo(DOCUMENT);
    }

    @Test
    void givenLoopbackOutsideDemo_fetch_refusesWithoutConnecting() {
        MetadataDocumentFetcher strict = fetcher(false, documents.clientTls(), InetAddress::getAllByName);

        assertThat(refusal(strict.fetch(URI.create(documents.url("/client.json"))))).contains("loopback");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.1.2.3", "172.16.0.1", "192.168.1.10", "169.254.169.254", "100.64.0.1", "0.0.0.0",
            "224.0.0.1", "255.255.255.255", "[fd00::1]", "[fe80::1]", "[::ffff:10.0.0.1]", "[64:ff9b::a00:1]",
            "[2002:a00:1::1]", "[ff02::1]", "[::]"})
    void givenAPrivateLinkLocalMulticastOrMappedAddress_fetch_refusesEvenWithLoopbackAllowed(String host) {
        assertThat(refusal(loopbackAllowed().fetch(URI.create("https://" + host + "/client.json")))).contains("not allowed");
    }

    @Test
    void givenAHostThatAlsoResolvesToAPrivateAddress_fetch_refusesBecauseEveryAddressMustPass() throws Exception {
        InetAddress[] mixed = {InetAddress.getByName("127.0.0.1"), InetAddress.getByName("10.0.0.7")};

        MetadataDocumentFetcher.Result result = fetcher(true, documents.clientTls(), host -> mixed)
                .fetch(URI.create(documents.url("/client.json")));

        assertThat(refusal(result)).contains("private");
    }

    @Test
    void givenANameThatWouldResolveElsewhereTheSecondTime_fetch_connectsToTheAddressItChecked() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        MetadataDocumentFetcher.HostResolver rebinding = host -> lookups.getAndIncrement() == 0
                ? new InetAddress[]{InetAddress.getByName("127.0.0.1")} : new InetAddress[]{InetAddress.getByName("10.0.0.7")};

        MetadataDocumentFetcher.Result result = fetcher(true, documents.clientTls(), rebinding)
                .fetch(URI.create(documents.url("/client.json")));

        assertThat(result).isInstanceOf(MetadataDocumentFetcher.Result.Fetched.class);
        assertThat(lookups.get()).isEqualTo(1);
    }

    @Test
    void givenARedirect_fetch_refusesToFollowIt() {
        assertThat(refusal(loopbackAllowed().fetch(URI.create(documents.url("/moved.json"))))).contains("redirect");
    }

    @Test
    void givenADocumentLargerThanTheLimit_fetch_refusesIt() {
        assertThat(refusal(loopbackAllowed().fetch(URI.create(documents.url("/huge.json"))))).contains("larger than 4096 bytes");
    }

    /**
     * A negative {@code Content-Length} (which the JDK's own server will not send, hence a raw TLS
     * socket with the document server's certificate) is refused as malformed, not turned into an
     * array of negative size and a server error.
     */
    @ParameterizedTest
    @ValueSource(strings = {"-1", "-4096"})
    void givenANegativeContentLength_fetch_refusesItAsMalformed(String length) throws Exception {
        try (javax.net.ssl.SSLServerSocket raw = (javax.net.ssl.SSLServerSocket) documents.serverTls().getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread answering = new Thread(() -> {
                try (java.net.Socket socket = raw.accept()) {
                    java.io.BufferedReader request = new java.io.BufferedReader(
                            new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                    for (String line = request.readLine(); line != null && !line.isEmpty(); line = request.readLine()) {
                        // the request's headers: read, then answered
                    }
                    socket.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                            + length + "\r\nConnection: close\r\n\r\n" + DOCUMENT).getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                } catch (java.io.IOException ignored) {
                    // the fetcher may close first
                }
            }, "negative-length-server");
            answering.setDaemon(true);
            answering.start();

            MetadataDocumentFetcher.Result result = loopbackAllowed()
                    .fetch(URI.create("https://localhost:" + raw.getLocalPort() + "/client.json"));

            assertThat(refusal(result)).contains("Content-Length is malformed");
        }
    }

    @Test
    void givenAnotherMediaTypeOrAMissingDocument_fetch_refusesIt() {
        assertThat(refusal(loopbackAllowed().fetch(URI.create(documents.url("/page.html"))))).contains("application/json");
        assertThat(refusal(loopbackAllowed().fetch(URI.create(documents.url("/missing.json"))))).contains("HTTP 404");
    }

    @Test
    void givenACertificateNotTrusted_fetch_refusesIt() throws Exception {
        MetadataDocumentFetcher defaultTrust = fetcher(true, SSLContext.getDefault(), InetAddress::getAllByName);

        assertThat(refusal(defaultTrust.fetch(URI.create(documents.url("/client.json"))))).contains("TLS");
    }

    @Test
    void givenAPlainHttpUrl_fetch_refusesIt() {
        assertThat(refusal(loopbackAllowed().fetch(URI.create("http://localhost:" + documents.port() + "/client.json"))))
                .contains("https");
    }

    @Test
    void givenAServerThatNeverAnswers_fetch_givesUpAtTheTimeLimit() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            MetadataDocumentFetcher impatient = new MetadataDocumentFetcher(new AddressPolicy(true), documents.clientTls(),
                    InetAddress::getAllByName, Duration.ofMillis(300), 4096);
            long start = System.nanoTime();

            String reason = refusal(impatient.fetch(URI.create("https://127.0.0.1:" + silent.getLocalPort() + "/client.json")));

            assertThat(reason).contains("longer than 300 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }
}
