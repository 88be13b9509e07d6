package dev.entramcp.architecture.docs;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DocSnippets} bites: a small repository in a temporary folder, first consistent, then broken
 * in one way per test, and the exact problem it must report.
 */
class DocSnippetsBiteTest {

    /** Marker lines are written with {@code @} in this file, so that the real check does not read them as markers. */
    private static final String SOURCE = """
            package demo;

            class Greeter {
                // @snippet:greet
                String greet(String name) {
                    // @snippet:greet-body
                    return "Hello, " + name;
                    // @end-snippet
                }
                // @end-snippet
            }
            """;

    private static final String DOC = """
            # Greeting

            [Back](../README.md). The code lives in `mod/src/main/java/demo/Greeter.java`, see `Greeter.java`
            and `mod/src/.../Greeter.java`.

            ```java snippet:greet
            String greet(String name) {
                return "Hello, " + name;
            }
            ```

            ```java snippet:greet-body
            return "Hello, " + name;
            ```

            ```yaml excerpt:mod/src/main/resources/settings.yml
            greeting:
              enabled: true
            ```
            """;

    @TempDir
    Path root;

    @BeforeEach
    void aConsistentRepository() throws IOException {
        write("pom.xml", "<project/>");
        write("README.md", "# Demo\n\nSee [the docs](docs/greeting.md).\n");
        write("mod/src/main/java/demo/Greeter.java", SOURCE);
        write("mod/src/main/resources/settings.yml", "greeting:\n  enabled: true\n  loud: false\n");
        write("docs/greeting.md", DOC);
    }

    private void write(String file, String text) throws IOException {
        Path path = root.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text.replace("// @", "// ").replace("# @", "# "));
    }

    @Test
    void givenDocsMatchingTheCode_problemsIn_isEmpty() {
        assertThat(DocSnippets.problemsIn(root)).isEmpty();
    }

    @Test
    void givenCodeChangedBetweenTheMarkers_problemsIn_reportsTheSnippetAndTheFirstDifference() throws IOException {
        write("mod/src/main/java/demo/Greeter.java", SOURCE.replace("\"Hello, \"", "\"Hi, \""));

        assertThat(DocSnippets.problemsIn(root)).containsExactly(
                "docs/greeting.md:6: snippet 'greet' differs from mod/src/main/java/demo/Greeter.java:4: at line 2 of the"
                        + " block the code has [return \"Hi, \" + name;] but the doc has [return \"Hello, \" + name;]",
                "docs/greeting.md:12: snippet 'greet-body' differs from mod/src/main/java/demo/Greeter.java:6: at line 1"
                        + " of the block the code has [return \"Hi, \" + name;] but the doc has [return \"Hello, \" + name;]");
    }

    @Test
    void givenAMarkerRemoved_problemsIn_reportsTheSnippetWithoutMarker() throws IOException {
        write("mod/src/main/java/demo/Greeter.java", SOURCE.replace("        // @snippet:greet-body\n", "")
                .replace("        // @end-snippet\n", ""));

        assertThat(DocSnippets.problemsIn(root)).containsExactly(
                "docs/greeting.md:12: snippet 'greet-body' has no 'snippet:greet-body' marker in the sources");
    }

    @Test
    void givenAnUnclosedMarker_problemsIn_reportsIt() throws IOException {
        write("mod/src/main/java/demo/Other.java", "class Other {\n    // @snippet:dangling\n}\n");

        assertThat(DocSnippets.problemsIn(root)).containsExactly(
                "mod/src/main/java/demo/Other.java:2: marker 'snippet:dangling' has no 'end-snippet'");
    }

    @Test
    void givenAMarkerNoDocShows_problemsIn_reportsIt() throws IOException {
        write("mod/src/main/java/demo/Other.java", "class Other {\n    // @snippet:forgotten\n    int x;\n    // @end-snippet\n}\n");

        assertThat(DocSnippets.problemsIn(root)).containsExactly(
                "mod/src/main/java/demo/Other.java:2: marker 'snippet:forgotten' is shown by no doc");
    }

    @Test
    void givenTheSameMarkerTwice_problemsIn_reportsTheSecond() throws IOException {
        write("mod/src/main/java/demo/Other.java", "class Other {\n    // @snippet:greet\n    int x;\n    // @end-snippet\n}\n");

        assertThat(DocSnippets.problemsIn(root)).containsExactly(
                "mod/src/main/java/demo/Other.java:2: marker 'snippet:greet' is also at mod/src/main/java/demo/Greeter.java:4");
    }

    @Test
    void givenTheNamedFileMoved_problemsIn_reportsEveryMentionAndTheExcerpt() throws IOException {
        Files.move(root.resolve("mod/src/main/java/demo/Greeter.java"), root.resolve("mod/src/main/java/demo/Welcomer.java"));
        Files.delete(root.resolve("mod/src/main/resources/settings.yml"));

        assertThat(DocSnippets.problemsIn(root)).containsExactly(
                "docs/greeting.md:3: names a file that does not exist: mod/src/main/java/demo/Greeter.java",
                "docs/greeting.md:3: names a file that does not exist: Greeter.java",
                "docs/greeting.md:4: names a file that does not exist: mod/src/.../Greeter.java",
                "docs/greeting.md:16: excerpt names a file that does not exist: mod/src/main/resources/settings.yml");
    }

    @Test
    void givenAnExcerptNoLongerInItsFile_problemsIn_reportsIt() throws IOException {
        write("mod/src/main/resources/settings.yml", "greeting:\n  loud: false\n  enabled: true\n");

        assertThat(DocSnippets.problemsIn(root)).containsExactly(
                "docs/greeting.md:16: excerpt no longer matches consecutive lines of mod/src/main/resources/settings.yml");
    }

    @Test
    void givenABrokenLink_problemsIn_reportsIt() throws IOException {
        write("README.md", "# Demo\n\nSee [the docs](docs/greetings.md#top) and [a site](https://example.org/x.md).\n");

        assertThat(DocSnippets.problemsIn(root)).containsExactly(
                "README.md:3: links to a file that does not exist: docs/greetings.md#top");
    }

    @Test
    void givenADocWithoutALinkToTheReadme_docsWithoutLinkToTheReadme_namesIt() throws IOException {
        write("docs/adr/0001-first.md", "# ADR 0001\n\n[Back to the README](../../README.md#top)\n");
        write("docs/orphan.md", "# Orphan\n\nSee [the greeting](greeting.md) and [a README elsewhere](https://example.org/README.md).\n");

        assertThat(DocSnippets.docsWithoutLinkToTheReadme(root)).containsExactly("docs/orphan.md");
    }

    @Test
    void givenTheBenchmarksReadme_bothChecks_readItLikeAPageOfTheDocs() throws IOException {
        write("bench/README.md", "# Benchmarks\n\nSee [the results](results/latest.json).\n");

        assertThat(DocSnippets.problemsIn(root)).containsExactly(
                "bench/README.md:3: links to a file that does not exist: results/latest.json");
        assertThat(DocSnippets.docsWithoutLinkToTheReadme(root)).containsExactly("bench/README.md");
    }

    @Test
    void givenFilesInBuildOutput_problemsIn_neitherReadsMarkersThereNorCountsThemAsExisting() throws IOException {
        write("mod/target/classes/demo/Copy.java", "// @snippet:greet\nstale copy\n// @end-snippet\n");
        write("mod/target/Only.java", "class Only {}\n");
        write("docs/more.md", "See `Only.java`, but not `.vscode/mcp.json` nor `claude_desktop_config.json`.\n");

        assertThat(DocSnippets.problemsIn(root)).containsExactly(
                "docs/more.md:1: names a file that does not exist: Only.java");
    }
}
