package dev.entramcp.adapter.graph;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for {@code localhost} / {@code 127.0.0.1}, made at test time with the
 * JDK's own {@code keytool} (no key or password is ever stored in the repository), and the two
 * TLS contexts that use it: the server's, and a client's that trusts this one certificate only.
 */
record LoopbackTls(SSLContext server, SSLContext client) {

    static LoopbackTls generate(Path directory) throws IOException, InterruptedException, GeneralSecurityException {
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        char[] password = Base64.getUrlEncoder().withoutPadding().encodeToString(random).toCharArray();
        Path keystore = directory.resolve("graph-tls.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        ProcessBuilder builder = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "graph",
                "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass:env", "GRAPH_TLS_PASSWORD"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        // The password goes through the environment of the child only, never its command line.
        builder.environment().put("GRAPH_TLS_PASSWORD", new String(password));
        Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool could not generate the test certificate");
        }

        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, password);
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password);
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(keyManagers.getKeyManagers(), null, null);

        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("graph", keys.getCertificate("graph"));
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trusted);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, trustManagers.getTrustManagers(), null);
        return new LoopbackTls(server, client);
    }
}
