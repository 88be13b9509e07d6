package dev.entramcp.emulator;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Writes the X.509 v3 certificate of the emulator's TLS key by hand, in DER, and signs it with the JDK: the
 * JDK can use certificates but has no public API to make one. Doing it here (about a hundred lines) instead of
 * loading BouncyCastle saves roughly a second of class loading at every start and nine megabytes of jars.
 *
 * <p>The certificate is what a TLS client checks for a server on loopback: subject {@code CN=localhost},
 * subject alternative names {@code DNS:localhost}, {@code IP:127.0.0.1} and {@code IP:::1} (clients match
 * these, not the CN), a critical {@code basicConstraints} saying it is no CA, {@code keyUsage}
 * digitalSignature, {@code extendedKeyUsage} serverAuth, and ECDSA P-256 with SHA-256.
 */
final class SelfSignedCertificate {

    private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
    private static final String RSA_WITH_SHA256 = "1.2.840.113549.1.1.11";
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private SelfSignedCertificate() {
    }

    /**
     * A certificate for {@code keyPair} (EC P-256, or RSA for a client-assertion certificate in tests), valid
     * from {@code notBefore} to {@code notAfter}.
     */
    static X509Certificate create(KeyPair keyPair, Instant notBefore, Instant notAfter)
            throws GeneralSecurityException {
        byte[] name = sequence(set(sequence(oid("2.5.4.10"), utf8("entra-emulator (development and test only)"))),
                set(sequence(oid("2.5.4.3"), utf8("localhost"))));
        boolean rsa = keyPair.getPublic().getAlgorithm().equals("RSA");
        // RFC 5758: no parameters for ECDSA; RFC 4055: an explicit NULL for RSA.
        byte[] algorithm = rsa ? sequence(oid(RSA_WITH_SHA256), new byte[] {0x05, 0x00})
                : sequence(oid(ECDSA_WITH_SHA256));
        byte[] serial = integer(new BigInteger(127, new SecureRandom()).add(BigInteger.ONE));
        byte[] extensions = sequence(
                extension("2.5.29.17", false, sequence(
                        tlv(0x82, "localhost".getBytes(StandardCharsets.US_ASCII)),
                        tlv(0x87, new byte[] {127, 0, 0, 1}),
                        tlv(0x87, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}))),
                extension("2.5.29.19", true, sequence()),
                extension("2.5.29.15", true, tlv(0x03, new byte[] {7, (byte) 0x80})),
                extension("2.5.29.37", false, sequence(oid("1.3.6.1.5.5.7.3.1"))));
        byte[] tbs = sequence(
                tlv(0xA0, integer(BigInteger.TWO)),
                serial,
                algorithm,
                name,
                sequence(utcTime(notBefore), utcTime(notAfter)),
                name,
                keyPair.getPublic().getEncoded(),
                tlv(0xA3, extensions));
        Signature signer = Signature.getInstance(rsa ? "SHA256withRSA" : "SHA256withECDSA");
        signer.initSign(keyPair.getPrivate());
        signer.update(tbs);
        byte[] certificate = sequence(tbs, algorithm, bitString(signer.sign()));
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certificate));
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical ? sequence(oid(oid), tlv(0x01, new byte[] {(byte) 0xFF}), tlv(0x04, value))
                : sequence(oid(oid), tlv(0x04, value));
    }

    private static byte[] sequence(byte[]... parts) {
        return tlv(0x30, concat(parts));
    }

    private static byte[] set(byte[]... parts) {
        return tlv(0x31, concat(parts));
    }

    private static byte[] integer(BigInteger value) {
        return tlv(0x02, value.toByteArray());
    }

    private static byte[] utf8(String text) {
        return tlv(0x0C, text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] utcTime(Instant instant) {
        return tlv(0x17, UTC_TIME.format(instant).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] bitString(byte[] bits) {
        byte[] value = new byte[bits.length + 1];
        System.arraycopy(bits, 0, value, 1, bits.length);
        return tlv(0x03, value);
    }

    static byte[] oid(String dotted) {
        String[] arcs = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Integer.parseInt(arcs[0]) * 40 + Integer.parseInt(arcs[1]));
        for (int i = 2; i < arcs.length; i++) {
            long arc = Long.parseLong(arcs[i]);
            int groups = 1;
            for (long rest = arc >> 7; rest > 0; rest >>= 7) {
                groups++;
            }
            for (int g = groups - 1; g >= 0; g--) {
                int b = (int) ((arc >> (7 * g)) & 0x7F);
                out.write(g == 0 ? b : b | 0x80);
            }
        }
        return tlv(0x06, out.toByteArray());
    }

    /** Tag, DER length (short or long form), value. */
    static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
        out.write(tag);
        int length = value.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = length > 0xFFFF ? 3 : length > 0xFF ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write((length >> (8 * i)) & 0xFF);
            }
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
