package dev.entramcp.app.local;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the packaged server does when it cannot start as configured, and {@code --sign-out}: one
 * line on stderr saying what to fix and exit status 2, never a stack trace and never a key; and a
 * sign-out that needs nothing but the cache directory.
 */
class StartupErrorsIT {

    @TempDir
    Path cacheDir;

    /** The outcome of one run: exit status and stderr. */
    private record Run(int exitCode, String stderr) {
    }

    private Run run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(LocalServerProcess.javaExecutable(), "-jar", LocalServerProcess.JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().keySet().removeIf(name -> name.startsWith("AZURE_") || name.startsWith("ENTRA_MCP_")
                || name.equals("DBUS_SESSION_BUS_ADDRESS") || name.equals("DISPLAY") || name.equals("XDG_RUNTIME_DIR"));
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the process ended").isTrue();
        return new Run(process.exitValue(), stderr);
    }

    private String[] realTenant(String... more) {
        List<String> args = new ArrayList<>(List.of("--tenant-id", "11111111-2222-3333-4444-555555555555",
                "--client-id", "66666666-7777-8888-9999-000000000000",
                "--authority", "https://localhost:9/11111111-2222-3333-4444-555555555555",
                "--cache-dir", cacheDir.toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static void assertCleanConfigurationError(Run run) {
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.stderr()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void givenNoTenantNorClientId_signOut_deletesTheCacheAndExitsCleanly() throws Exception {
        Path cache = cacheDir.resolve("token-cache.bin");
        Files.write(cache, new byte[]{1, 2, 3});

        Run run = run(Map.of(), "--sign-out", "--cache-dir", cacheDir.toString());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(cache).doesNotExist();
        assertThat(run.stderr()).contains("Signed out").doesNotContain("Exception");
    }

    @Test
    void givenAMalformedCacheKeyInTheEnvironment_theServer_stopsWithOneLineThatNeverShowsTheKey() throws Exception {
        String shortKey = Base64.getEncoder().encodeToString("sixteen byte key".getBytes(StandardCharsets.US_ASCII));

        Run run = run(Map.of("ENTRA_MCP_CACHE_KEY", shortKey), realTenant());

        assertCleanConfigurationError(run);
        assertThat(run.stderr()).contains("entra-mcp (local): The token cache key in the environment variable ENTRA_MCP_CACHE_KEY must be 32 bytes")
                .doesNotContain(shortKey);
    }

    @Test
    void givenAKeyFileReadableByOthers_theServer_stopsWithOneLineSayingHowToFixIt() throws Exception {
        Assumptions.assumeTrue(System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux"),
                "elsewhere the OS keyring comes before the key file");
        Path keyFile = cacheDir.resolve("token-cache.bin.key");
        Files.writeString(keyFile, Base64.getEncoder().encodeToString(new byte[32]));
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));

        // Without a D-Bus session Linux has no keyring, so the key file is where the key must come from.
        Run run = run(Map.of(), realTenant());

        assertCleanConfigurationError(run);
        assertThat(run.stderr()).contains("Refusing the token cache key file").contains("chmod 600");
    }

    @Test
    void givenAnUnknownDemoUser_theServer_stopsNamingTheDemoUsers() throws Exception {
        Run run = run(Map.of(), "--demo", "--demo-user", "mallory");

        assertCleanConfigurationError(run);
        assertThat(run.stderr()).contains("Unknown --demo-user 'mallory'. The demo's users are: alice, bob.");
    }
}
