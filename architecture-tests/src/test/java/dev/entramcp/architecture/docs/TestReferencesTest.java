package dev.entramcp.architecture.docs;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every test the docs name as {@code package.Class#method} is a test that {@code ./mvnw -B verify}
 * runs, and the security checklist backs its rows with such tests. A failure names the doc, the
 * line and what is wrong: fix the name in the doc, or, if the test was removed, the row that
 * relied on it.
 */
class TestReferencesTest {

    private static final Path ROOT = DocSnippets.repositoryRoot();

    @Test
    void givenTheRepository_everyTestADocNames_isATestTheBuildRuns() {
        assertThat(TestReferences.problemsIn(ROOT)).isEmpty();
    }

    @Test
    void givenTheSecurityChecklist_itsRows_nameTestsOfEveryModuleThatEnforcesSecurity() {
        List<TestReferences.Reference> named = TestReferences.referencesIn(ROOT.resolve(TestReferences.CHECKLIST));

        assertThat(named).as("tests the checklist names").hasSizeGreaterThan(100);
        assertThat(named).extracting(reference -> reference.className().replaceAll("\\.[A-Z].*", "")).contains(
                "dev.entramcp.domain.service", "dev.entramcp.adapter.http.auth", "dev.entramcp.adapter.http.transport",
                "dev.entramcp.adapter.http.facade", "dev.entramcp.adapter.entra", "dev.entramcp.adapter.graph",
                "dev.entramcp.app.local", "dev.entramcp.app.remote", "dev.entramcp.emulator");
    }

    @Test
    void givenTheBuild_theModulesWhoseTestsCount_areThoseOfTheDefaultBuildOnly() {
        assertThat(TestReferences.modules(ROOT)).contains("domain", "adapters-http", "app-remote", "entra-emulator")
                .doesNotContain("bench");
    }
}
