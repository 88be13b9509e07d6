package dev.entramcp.adapter.http.facade.cimd;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Which addresses the server may fetch a client's metadata document from. A {@code client_id} URL
 * is chosen by whoever starts an authorization request, so fetching it is a server-side request
 * forgery waiting to happen: without this check, {@code https://169.254.169.254/...} or
 * {@code https://10.0.0.5/admin} would make the server probe its own network.
 *
 * <p>Refused, whatever the configuration: unspecified, private (RFC 1918), carrier-grade NAT,
 * link-local (the cloud metadata endpoints), multicast, broadcast and reserved IPv4 ranges, the
 * benchmarking and IETF-protocol ranges; in IPv6 the unspecified address, unique-local
 * ({@code fc00::/7}), link-local, site-local, multicast, and every form that embeds an IPv4 address
 * (IPv4-mapped and -compatible, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}, Teredo
 * {@code 2001::/32}), which could smuggle in a private one. Loopback is refused too, unless
 * {@code allowLoopback} (demo and tests, where the document is served on this machine).
 */
public final class AddressPolicy {

    private final boolean allowLoopback;

    public AddressPolicy(boolean allowLoopback) {
        this.allowLoopback = allowLoopback;
    }

    /** Why the server must not connect to {@code address}, or empty if it may. */
    public Optional<String> refusal(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return allowLoopback ? Optional.empty() : Optional.of("it resolves to a loopback address");
        }
        if (address instanceof Inet4Address) {
            return ipv4(address.getAddress());
        }
        if (address instanceof Inet6Address) {
            return ipv6(address.getAddress());
        }
        return Optional.of("its address family is not supported");
    }

    private static Optional<String> ipv4(byte[] a) {
        int b0 = a[0] & 0xFF;
        int b1 = a[1] & 0xFF;
        int b2 = a[2] & 0xFF;
        if (b0 == 0) {
            return Optional.of("it resolves to an unspecified address");
        }
        if (b0 == 10 || (b0 == 172 && b1 >= 16 && b1 <= 31) || (b0 == 192 && b1 == 168)) {
            return Optional.of("it resolves to a private address");
        }
        if (b0 == 100 && b1 >= 64 && b1 <= 127) {
            return Optional.of("it resolves to a shared (carrier-grade NAT) address");
        }
        if (b0 == 169 && b1 == 254) {
            return Optional.of("it resolves to a link-local address");
        }
        if (b0 == 127) {
            return Optional.of("it resolves to a loopback address");
        }
        if (b0 == 192 && b1 == 0 && b2 == 0) {
            return Optional.of("it resolves to an IETF protocol address");
        }
        if (b0 == 198 && (b1 == 18 || b1 == 19)) {
            return Optional.of("it resolves to a benchmarking address");
        }
        if (b0 >= 224) {
            return Optional.of(b0 < 240 ? "it resolves to a multicast address" : "it resolves to a reserved address");
        }
        return Optional.empty();
    }

    private static Optional<String> ipv6(byte[] a) {
        boolean allZeroPrefix = true;
        for (int i = 0; i < 10; i++) {
            allZeroPrefix &= a[i] == 0;
        }
        if (allZeroPrefix && ((a[10] == (byte) 0xFF && a[11] == (byte) 0xFF) || (a[10] == 0 && a[11] == 0))) {
            return Optional.of("it resolves to an IPv6 address that embeds an IPv4 address");
        }
        int first = a[0] & 0xFF;
        int second = a[1] & 0xFF;
        if ((first & 0xFE) == 0xFC) {
            return Optional.of("it resolves to a unique-local address");
        }
        if (first == 0xFE && (second & 0xC0) == 0x80) {
            return Optional.of("it resolves to a link-local address");
        }
        if (first == 0xFE && (second & 0xC0) == 0xC0) {
            return Optional.of("it resolves to a site-local address");
        }
        if (first == 0xFF) {
            return Optional.of("it resolves to a multicast address");
        }
        if (first == 0x00 && second == 0x64 && (a[2] & 0xFF) == 0xFF && (a[3] & 0xFF) == 0x9B) {
            return Optional.of("it resolves to a NAT64 address that embeds an IPv4 address");
        }
        if (first == 0x20 && second == 0x02) {
            return Optional.of("it resolves to a 6to4 address that embeds an IPv4 address");
        }
        if (first == 0x20 && second == 0x01 && a[2] == 0 && a[3] == 0) {
            return Optional.of("it resolves to a Teredo address that embeds an IPv4 address");
        }
        return Optional.empty();
    }
}
