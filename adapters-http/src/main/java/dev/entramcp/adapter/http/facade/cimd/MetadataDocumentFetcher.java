package dev.entramcp.adapter.http.facade.cimd;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.IDN;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Fetches a Client ID Metadata Document, with the guards a server-side fetch of a URL chosen by a
 * stranger needs:
 * <ul>
 *   <li><b>https only</b>, with the JDK's (or a configured) trust and host-name verification;</li>
 *   <li><b>the address is checked, then pinned:</b> the host is resolved once, <em>every</em>
 *       address it resolves to must pass the {@link AddressPolicy}, and the connection goes to one
 *       of those very addresses. An HTTP client that resolved the name again could be handed a
 *       different, internal address the second time (DNS rebinding), so this class opens the
 *       socket itself and speaks the few lines of HTTP/1.1 a {@code GET} needs;</li>
 *   <li><b>no redirects</b>: a 3xx is a refusal (a redirect could lead anywhere, and the document's
 *       {@code client_id} must be its own URL anyway);</li>
 *   <li><b>a size limit</b>, checked against {@code Content-Length} and while reading, and <b>a
 *       time limit</b> on the whole fetch, connection and TLS handshake included.</li>
 * </ul>
 * Refusals say why in words safe to show an operator; they never include the document.
 */
public final class MetadataDocumentFetcher {

    private static final Logger LOG = LoggerFactory.getLogger(MetadataDocumentFetcher.class);
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] (\\d{3})(?: .*)?");

    /** Resolves a host name; the JDK's resolver in production, a fake in tests. */
    @FunctionalInterface
    public interface HostResolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** The outcome of a fetch. */
    public sealed interface Result {
        /** The document's bytes (at most the size limit), served with {@code 200} and a JSON media type. */
        record Fetched(byte[] body) implements Result {
        }

        /** Not fetched, or not acceptable; {@code reason} says why. */
        record Refused(String reason) implements Result {
        }
    }

    private final AddressPolicy policy;
    private final SSLContext tls;
    private final HostResolver resolver;
    private final Duration timeout;
    private final int maxBytes;

    public MetadataDocumentFetcher(AddressPolicy policy, SSLContext tls, HostResolver resolver, Duration timeout, int maxBytes) {
        this.policy = Objects.requireNonNull(policy, "'policy' must not be null");
        this.tls = Objects.requireNonNull(tls, "'tls' must not be null");
        this.resolver = Objects.requireNonNull(resolver, "'resolver' must not be null");
        this.timeout = Objects.requireNonNull(timeout, "'timeout' must not be null");
        if (maxBytes < 1) {
            throw new IllegalArgumentException("'maxBytes' must be positive");
        }
        this.maxBytes = maxBytes;
    }

    /** Fetches {@code url} (already checked to be an https URL with a host). */
    public Result fetch(URI url) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String host = url.getHost();
        if (!"https".equalsIgnoreCase(url.getScheme()) || host == null) {
            return new Result.Refused("the client_id must be an https URL");
        }
        String asciiHost;
        try {
            asciiHost = IDN.toASCII(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (IllegalArgumentException e) {
            return new Result.Refused("the client_id's host name is not valid");
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(asciiHost);
        } catch (UnknownHostException e) {
            return new Result.Refused("the client_id's host does not resolve");
        }
        if (addresses == null || addresses.length == 0) {
            return new Result.Refused("the client_id's host does not resolve");
        }
        for (InetAddress address : addresses) {
            Optional<String> refusal = policy.refusal(address);
            if (refusal.isPresent()) {
                return new Result.Refused("the client_id's host is not allowed: " + refusal.get());
            }
        }
        int port = url.getPort() < 0 ? 443 : url.getPort();
        IOException last = null;
        for (InetAddress address : addresses) {
            try {
                return get(address, asciiHost, port, url, deadline);
            } catch (SocketTimeoutException e) {
                return new Result.Refused("fetching the client metadata document took longer than " + timeout.toMillis() + " ms");
            } catch (SSLException e) {
                LOG.info("Client metadata document at {}: TLS failed ({})", host, e.getClass().getSimpleName());
                return new Result.Refused("the client metadata document's server failed the TLS check");
            } catch (IOException e) {
                last = e;
            }
            if (System.nanoTime() >= deadline) {
                return new Result.Refused("fetching the client metadata document took longer than " + timeout.toMillis() + " ms");
            }
        }
        LOG.info("Client metadata document at {}: could not connect ({})", host, last == null ? "?" : last.getClass().getSimpleName());
        return new Result.Refused("the client metadata document could not be fetched");
    }

    private Result get(InetAddress address, String host, int port, URI url, long deadline) throws IOException {
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress(address, port), remainingMillis(deadline));
            raw.setSoTimeout(remainingMillis(deadline));
            try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(raw, host, port, true)) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                if (!isIpLiteral(host)) {
                    parameters.setServerNames(List.of(new SNIHostName(host)));
                }
                socket.setSSLParameters(parameters);
                socket.setSoTimeout(remainingMillis(deadline));
                socket.startHandshake();
                OutputStream out = socket.getOutputStream();
                String path = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
                String hostHeader = (host.contains(":") ? "[" + host + "]" : host) + (port == 443 ? "" : ":" + port);
                out.write(("GET " + path + " HTTP/1.1\r\nHost: " + hostHeader + "\r\nAccept: application/json\r\n"
                        + "Accept-Encoding: identity\r\nUser-Agent: entra-mcp-facade\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return read(socket.getInputStream(), socket, deadline);
            }
        }
    }

    private Result read(InputStream in, Socket socket, long deadline) throws IOException {
        String statusLine = line(in, socket, deadline);
        java.util.regex.Matcher status = STATUS_LINE.matcher(statusLine);
        if (!status.matches()) {
            return new Result.Refused("the client metadata document's server did not answer HTTP/1.1");
        }
        int code = Integer.parseInt(status.group(1));
        Map<String, String> headers = new LinkedHashMap<>();
        int headerBytes = 0;
        for (String header = line(in, socket, deadline); !header.isEmpty(); header = line(in, socket, deadline)) {
            headerBytes += header.length();
            if (headerBytes > MAX_HEADER_BYTES) {
                return new Result.Refused("the client metadata document's headers are too large");
            }
            int colon = header.indexOf(':');
            if (colon > 0) {
                headers.merge(header.substring(0, colon).strip().toLowerCase(Locale.ROOT), header.substring(colon + 1).strip(),
                        (a, b) -> a + "," + b);
            }
        }
        if (code >= 300 && code < 400) {
            return new Result.Refused("the client metadata document URL redirects (HTTP " + code + "); redirects are not followed");
        }
        if (code != 200) {
            return new Result.Refused("the client metadata document URL answered HTTP " + code);
        }
        String type = headers.getOrDefault("content-type", "").toLowerCase(Locale.ROOT);
        String mediaType = type.contains(";") ? type.substring(0, type.indexOf(';')).strip() : type.strip();
        if (!mediaType.equals("application/json") && !(mediaType.startsWith("application/") && mediaType.endsWith("+json"))) {
            return new Result.Refused("the client metadata document is not served as application/json");
        }
        String encoding = headers.getOrDefault("content-encoding", "identity").toLowerCase(Locale.ROOT);
        if (!encoding.equals("identity")) {
            return new Result.Refused("the client metadata document is served compressed");
        }
        byte[] body;
        if (headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked")) {
            body = chunked(in, socket, deadline);
        } else if (headers.containsKey("content-length")) {
            long length;
            try {
                length = Long.parseLong(headers.get("content-length"));
            } catch (NumberFormatException e) {
                return new Result.Refused("the client metadata document's Content-Length is malformed");
            }
            if (length < 0) {
                return new Result.Refused("the client metadata document's Content-Length is malformed");
            }
            if (length > maxBytes) {
                return tooLarge();
            }
            body = exactly(in, socket, (int) length, deadline);
        } else {
            body = untilEnd(in, socket, deadline);
        }
        return body == null ? tooLarge() : new Result.Fetched(body);
    }

    private Result tooLarge() {
        return new Result.Refused("the client metadata document is larger than " + maxBytes + " bytes");
    }

    /** Reads the chunked body; null if it exceeds the limit. */
    private byte[] chunked(InputStream in, Socket socket, long deadline) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in, socket, deadline);
            int semicolon = sizeLine.indexOf(';');
            int size;
            try {
                size = Integer.parseInt((semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).strip(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("malformed chunk size");
            }
            if (size < 0) {
                throw new IOException("malformed chunk size");
            }
            if (size == 0) {
                return body.toByteArray();
            }
            if (body.size() + (long) size > maxBytes) {
                return null;
            }
            body.write(exactly(in, socket, size, deadline));
            line(in, socket, deadline);
        }
    }

    private byte[] exactly(InputStream in, Socket socket, int length, long deadline) throws IOException {
        byte[] data = new byte[length];
        int read = 0;
        while (read < length) {
            socket.setSoTimeout(remainingMillis(deadline));
            int n = in.read(data, read, length - read);
            if (n < 0) {
                throw new IOException("the body ended early");
            }
            read += n;
        }
        return data;
    }

    private byte[] untilEnd(InputStream in, Socket socket, long deadline) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (true) {
            socket.setSoTimeout(remainingMillis(deadline));
            int n = in.read(buffer);
            if (n < 0) {
                return body.toByteArray();
            }
            if (body.size() + n > maxBytes) {
                return null;
            }
            body.write(buffer, 0, n);
        }
    }

    private static String line(InputStream in, Socket socket, long deadline) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            socket.setSoTimeout(remainingMillis(deadline));
            int c = in.read();
            if (c < 0) {
                throw new IOException("the connection closed mid-line");
            }
            if (c == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            if (line.length() >= MAX_HEADER_BYTES) {
                throw new IOException("a line is too long");
            }
            line.append((char) c);
        }
    }

    private static int remainingMillis(long deadline) throws SocketTimeoutException {
        long remaining = (deadline - System.nanoTime()) / 1_000_000;
        if (remaining <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, remaining);
    }

    private static boolean isIpLiteral(String host) {
        return host.contains(":") || host.matches("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }
}
