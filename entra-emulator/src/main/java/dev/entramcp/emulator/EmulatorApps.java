package dev.entramcp.emulator;

import java.util.List;
import java.util.Optional;

/**
 * The app registrations of a running emulator, read live (a redirect URI or certificate registered through
 * {@link EmulatorControl} shows up here).
 *
 * <ul>
 *   <li>{@link #local()}: the local MCP server, a public client ({@code http://localhost} any port, device code),
 *       with admin-consented Graph {@code User.Read}, {@code Mail.Send} and {@code GroupMember.Read.All}.</li>
 *   <li>{@link #remote()}: the remote MCP server, a confidential client exposing {@code api://<id>/User.Read},
 *       {@code Mail.Send} and {@code GroupMember.Read.All}, defining the app role {@code Mail.Sender}, with
 *       admin-consented Graph {@code User.Read}, {@code Mail.Send} and {@code GroupMember.Read.All} for
 *       On-Behalf-Of.</li>
 *   <li>{@link #demo()}: an MCP client stand-in, a public client pre-authorized on the remote server's API.</li>
 * </ul>
 */
public final class EmulatorApps {

    private final Directory directory;
    private final String localId;
    private final String remoteId;
    private final String demoId;

    EmulatorApps(Directory directory, String localId, String remoteId, String demoId) {
        this.directory = directory;
        this.localId = localId;
        this.remoteId = remoteId;
        this.demoId = demoId;
    }

    public AppRegistration local() {
        return directory.app(localId).orElseThrow();
    }

    public AppRegistration remote() {
        return directory.app(remoteId).orElseThrow();
    }

    public AppRegistration demo() {
        return directory.app(demoId).orElseThrow();
    }

    public Optional<AppRegistration> byClientId(String clientId) {
        return directory.app(clientId);
    }

    public List<AppRegistration> all() {
        return List.copyOf(directory.apps());
    }
}
