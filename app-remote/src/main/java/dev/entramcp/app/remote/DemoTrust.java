package dev.entramcp.app.remote;

import java.util.Objects;
import javax.net.ssl.SSLContext;

/** Demo only: trust for the embedded emulator's self-signed TLS certificate. Absent outside demo mode. */
public record DemoTrust(SSLContext sslContext) {

    public DemoTrust {
        Objects.requireNonNull(sslContext, "'sslContext' must not be null");
    }
}
