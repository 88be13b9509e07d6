package dev.entramcp.emulator;

import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-written DER certificate parses in the JDK and says what a TLS client checks. */
class SelfSignedCertificateTest {

    @Test
    void givenAnEcKey_create_makesAValidSelfSignedServerCertificateForLoopback() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        Instant from = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        X509Certificate certificate = SelfSignedCertificate.create(keys, from, from.plus(1, ChronoUnit.DAYS));

        certificate.checkValidity();
        certificate.verify(keys.getPublic());
        assertThat(certificate.getVersion()).isEqualTo(3);
        assertThat(certificate.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(certificate.getSubjectX500Principal().getName()).startsWith("CN=localhost");
        assertThat(certificate.getNotBefore().toInstant()).isEqualTo(from);
        assertThat(certificate.getSubjectAlternativeNames()).extracting(name -> (Object) name.get(1))
                .containsExactlyInAnyOrder("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
        assertThat(certificate.getKeyUsage()[0]).isTrue();
        assertThat(certificate.getExtendedKeyUsage()).isEqualTo(List.of("1.3.6.1.5.5.7.3.1"));
        assertThat(certificate.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
    }

    @Test
    void givenAnRsaKey_create_signsWithSha256WithRsa() throws Exception {
        KeyPair keys = Fixtures.rsaKeyPair();

        X509Certificate certificate = SelfSignedCertificate.create(keys, Instant.now(),
                Instant.now().plus(1, ChronoUnit.HOURS));

        certificate.verify(keys.getPublic());
        assertThat(certificate.getSigAlgName()).isEqualTo("SHA256withRSA");
    }

    @Test
    void givenLongValues_tlv_usesTheLongLengthForm() {
        assertThat(SelfSignedCertificate.tlv(0x04, new byte[5])).startsWith(0x04, 0x05);
        assertThat(SelfSignedCertificate.tlv(0x04, new byte[200])).startsWith(0x04, 0x81, 0xC8);
        assertThat(SelfSignedCertificate.tlv(0x04, new byte[300])).startsWith(0x04, 0x82, 0x01, 0x2C);
        assertThat(SelfSignedCertificate.oid("1.2.840.10045.4.3.2"))
                .containsExactly(0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02);
    }
}
