package dev.entramcp.architecture.docs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The docs of this repository show the code as it is: every snippet equals the code between its
 * markers, every excerpt is still in its file, every marker is shown, and every file a doc names
 * exists. A failure names the doc, the line and what changed: update the doc (or the markers).
 */
class DocSnippetsTest {

    private static final Path ROOT = DocSnippets.repositoryRoot();

    @Test
    void givenTheRepository_everyDoc_showsTheCodeAsItIsAndNamesOnlyFilesThatExist() {
        assertThat(DocSnippets.problemsIn(ROOT)).isEmpty();
    }

    @Test
    void givenTheRepository_everyDocUnderDocs_linksBackToTheReadme() {
        assertThat(DocSnippets.docsWithoutLinkToTheReadme(ROOT)).isEmpty();
    }

    @Test
    void givenTheAddAToolWalkThrough_itsCode_comesFromTheSourcesNotFromTheDoc() throws IOException {
        String doc = Files.readString(ROOT.resolve("docs/add-a-tool.md"));

        assertThat(doc.split("```java snippet:", -1)).as("snippets the test checks").hasSizeGreaterThan(8);
        assertThat(doc).contains("excerpt:app-remote/src/main/java/dev/entramcp/app/remote/RemoteWiring.java");
    }
}
