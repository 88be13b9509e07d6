package dev.entramcp.emulator;

import com.nimbusds.jose.util.JSONObjectUtils;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar entra-emulator.jar [--port N] [--auto-approve USER]}: runs the emulator until interrupted.
 * A readable summary goes to stderr; exactly one JSON line describing the emulator (with the remote app's
 * generated client secret) goes to stdout, for scripts:
 * {@code EMU=$(java -jar entra-emulator.jar | head -1)}.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        int status = run(args, System.out, System.err, true);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Runs the command line; returns the exit status (blocks until interrupted when {@code wait} is true). */
    static int run(String[] args, PrintStream out, PrintStream err, boolean wait) throws InterruptedException {
        EntraEmulator.Builder builder = EntraEmulator.builder();
        for (int i = 0; i < args.length; i++) {
            try {
                switch (args[i]) {
                    case "--help", "-h" -> {
                        err.print(usage());
                        return 0;
                    }
                    case "--port" -> builder.port(Integer.parseInt(value(args, ++i, "--port")));
                    case "--auto-approve" -> builder.autoApprove(value(args, ++i, "--auto-approve"));
                    case "--tenant" -> builder.tenantId(value(args, ++i, "--tenant"));
                    default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
                }
            } catch (IllegalArgumentException e) {
                err.println("entra-emulator: " + e.getMessage());
                err.print(usage());
                return 2;
            }
        }
        EntraEmulator emulator;
        try {
            emulator = builder.build().start();
        } catch (IllegalArgumentException | UncheckedIOException e) {
            err.println("entra-emulator: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            stopped.countDown();
        }, "entra-emulator-shutdown"));
        err.print(summary(emulator));
        out.println(JSONObjectUtils.toJSONString(emulator.description(true)));
        out.flush();
        if (wait) {
            stopped.await();
        } else {
            emulator.close();
        }
        return 0;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    static String usage() {
        return """
                Usage: java -jar entra-emulator.jar [--port N] [--auto-approve USER] [--tenant GUID]

                An Entra ID and Microsoft Graph stand-in on https://localhost:N for tests and demos.
                  --port N              listen on 127.0.0.1:N (default: a free port)
                  --auto-approve USER   complete device-code and browser sign-ins as USER, without a page
                  --tenant GUID         use this tenant id (default: a fresh one)
                  --help                this text

                stdout: one JSON line describing the emulator (it holds a generated client secret).
                stderr: this summary and the warning. Stop with Ctrl-C.
                """;
    }

    private static String summary(EntraEmulator emu) {
        StringBuilder text = new StringBuilder();
        text.append("\n!!! ").append(EntraEmulator.WARNING).append(" !!!\n\n");
        text.append("entra-emulator started in ").append(emu.startupTime().toMillis()).append(" ms\n");
        text.append("  authority      ").append(emu.authority()).append('\n');
        text.append("  issuer         ").append(emu.issuer()).append('\n');
        text.append("  Graph          ").append(emu.graphBaseUrl()).append('\n');
        text.append("  device login   ").append(emu.baseUrl()).append("/devicelogin\n");
        text.append("  trust (PEM)    ").append(emu.trustPem()).append('\n');
        text.append("  local app      ").append(emu.apps().local().clientId()).append(" (public client)\n");
        text.append("  remote app     ").append(emu.apps().remote().clientId()).append(" (confidential, ")
                .append(emu.apps().remote().appIdUri()).append("; secret on stdout only)\n");
        text.append("  demo client    ").append(emu.apps().demo().clientId()).append(" (public client)\n");
        for (DemoUser user : emu.users()) {
            text.append("  user           ").append(user.username()).append(" <").append(user.userPrincipalName())
                    .append("> ").append(user.roles().isEmpty() ? "" : "roles " + user.roles()).append('\n');
        }
        text.append("  auto-approve   ").append(emu.control().autoApprovedUser().orElse("off")).append('\n');
        text.append("  described at   ").append(emu.baseUrl()).append("/.well-known/entra-emulator\n\n");
        return text.toString();
    }
}
