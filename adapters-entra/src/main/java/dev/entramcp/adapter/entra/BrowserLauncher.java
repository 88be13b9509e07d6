package dev.entramcp.adapter.entra;

import java.awt.Desktop;
import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;

/**
 * Opens a URL in the person's browser, for the interactive (authorization code + PKCE) sign-in.
 * The default is the desktop's browser; a demo or a test supplies its own (for example one that
 * drives a local emulator's login page without a person).
 */
@FunctionalInterface
public interface BrowserLauncher {

    void open(URI uri) throws IOException;

    /**
     * The desktop's default browser, if this process can open one: not headless, and
     * {@link Desktop} supports {@link Desktop.Action#BROWSE}. Never throws: any failure to ask
     * means "no browser".
     */
    static Optional<BrowserLauncher> systemBrowser() {
        try {
            if (GraphicsEnvironment.isHeadless() || !Desktop.isDesktopSupported()
                    || !Desktop.getDesktop().isSupported(Desktop.Action.BROWSE)) {
                return Optional.empty();
            }
            return Optional.of(uri -> Desktop.getDesktop().browse(uri));
        } catch (RuntimeException | LinkageError unavailable) {
            return Optional.empty();
        }
    }
}
