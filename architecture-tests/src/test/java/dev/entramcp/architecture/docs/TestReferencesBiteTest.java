package dev.entramcp.architecture.docs;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TestReferences} bites: a small repository in a temporary folder (two modules of the
 * default build, one only a profile adds), whose checklist first names only tests that run, then,
 * in each test, one name that is not such a test, and the exact problem it must report.
 */
class TestReferencesBiteTest {

    private static final String POM = """
            <project>
              <modules>
                <module>mod</module>
                <module>other</module>
              </modules>
              <profiles>
                <profile>
                  <id>bench</id>
                  <modules><module>bench</module></modules>
                </profile>
              </profiles>
            </project>
            """;

    /** Declarations hide in a comment, a string and a text block here; only the real ones may count. */
    private static final String GREETER_TEST = """
            package demo;

            import org.junit.jupiter.api.Disabled;
            import org.junit.jupiter.api.Nested;
            import org.junit.jupiter.api.Test;
            import org.junit.jupiter.params.ParameterizedTest;
            import org.junit.jupiter.params.provider.CsvSource;

            /** Mentions void ghost() { } and @Test, in a comment. */
            class GreeterTest {

                private final String greeting = helper("@Test void spectre() {");

                @Test
                void givenAName_greet_saysHello() {
                    String text = \"""
                            @Test
                            void phantom() {
                            \""";
                    char brace = '{';
                }

                @ParameterizedTest(name = "{0} and {1}")
                @CsvSource({"a,b", "c,d"})
                void givenTwoNames_greet_greetsBoth(String first, String second) {
                }

                @Test
                @Disabled("waits for the translator")
                void givenSilence_greet_waits() {
                }

                static String helper(String text) {
                    return text;
                }

                @Nested
                class InFrench {

                    @Test
                    void givenAName_greet_saysBonjour() {
                    }
                }
            }
            """;

    private static final String CONTRACT = """
            package demo.contract;

            import org.junit.jupiter.api.Test;

            /** What every greeter must do; JUnit runs it through each subclass. */
            public abstract class GreetingContract<T extends Comparable<T>> {

                protected abstract String greet(String name);

                @Test
                public void givenAName_greet_mentionsIt() {
                }
            }
            """;

    private static final String CONTRACT_TEST = """
            package demo;

            import demo.contract.GreetingContract;

            class FrenchGreeterContractTest extends GreetingContract<String> {

                @Override
                protected String greet(String name) {
                    return "Bonjour " + name;
                }
            }
            """;

    private static final String RULES_TEST = """
            package demo;

            import com.tngtech.archunit.junit.AnalyzeClasses;
            import com.tngtech.archunit.junit.ArchTest;
            import com.tngtech.archunit.lang.ArchRule;

            import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

            @AnalyzeClasses(packages = "demo")
            class RulesTest {

                @ArchTest
                static final ArchRule greeters_are_public = classes().should().bePublic();

                static final ArchRule not_a_rule = classes().should().bePublic();
            }
            """;

    private static final String BENCH_TEST = """
            package demo;

            import org.junit.jupiter.api.Test;

            class BenchTest {

                @Test
                void givenLoad_greet_isFast() {
                }
            }
            """;

    private static final String CHECKLIST = """
            # Checklist

            [Back to the README](../README.md)

            | requirement | how | tests |
            |---|---|---|
            | greets | says hello | `demo.GreeterTest#givenAName_greet_saysHello`, `demo.GreeterTest#givenTwoNames_greet_greetsBoth` |
            | in French | nested | `demo.GreeterTest.InFrench#givenAName_greet_saysBonjour` |
            | any greeter | a contract | `demo.FrenchGreeterContractTest#givenAName_greet_mentionsIt` |
            | public | a rule | `demo.RulesTest#greeters_are_public` |
            | quietly | cannot be tested here | none: no real translator is reachable |
            """;

    @TempDir
    Path root;

    @BeforeEach
    void aRepositoryWhoseDocsNameOnlyTestsThatRun() throws IOException {
        write("pom.xml", POM);
        write("README.md", "# Demo\n\nThe greeting is proven by `demo.GreeterTest#givenAName_greet_saysHello`.\n");
        write("mod/src/test/java/demo/GreeterTest.java", GREETER_TEST);
        write("mod/src/test/java/demo/FrenchGreeterContractTest.java", CONTRACT_TEST);
        write("mod/src/test/java/demo/RulesTest.java", RULES_TEST);
        write("other/src/test/java/demo/contract/GreetingContract.java", CONTRACT);
        write("bench/src/test/java/demo/BenchTest.java", BENCH_TEST);
        write(TestReferences.CHECKLIST, CHECKLIST);
    }

    private void write(String file, String text) throws IOException {
        Path path = root.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text);
    }

    private void checklistRow(String row) throws IOException {
        write(TestReferences.CHECKLIST, CHECKLIST + row + "\n");
    }

    @Test
    void givenDocsNamingOnlyTestsThatRun_problemsIn_isEmpty() {
        assertThat(TestReferences.problemsIn(root)).isEmpty();
        assertThat(TestReferences.referencesIn(root.resolve(TestReferences.CHECKLIST)))
                .extracting(TestReferences.Reference::text).containsExactly(
                        "demo.GreeterTest#givenAName_greet_saysHello", "demo.GreeterTest#givenTwoNames_greet_greetsBoth",
                        "demo.GreeterTest.InFrench#givenAName_greet_saysBonjour",
                        "demo.FrenchGreeterContractTest#givenAName_greet_mentionsIt", "demo.RulesTest#greeters_are_public");
    }

    @Test
    void givenAFakeChecklistNamingAMissingMethod_problemsIn_namesTheLineAndTheTest() throws IOException {
        checklistRow("| forgets | nothing | `demo.GreeterTest#givenAName_greet_forgetsIt` |");

        assertThat(TestReferences.problemsIn(root)).containsExactly(
                "docs/security-checklist.md:12: demo.GreeterTest#givenAName_greet_forgetsIt: no method or rule of that name"
                        + " in the class or its superclasses");
    }

    @Test
    void givenAMissingClass_problemsIn_saysWhereItLookedFor() throws IOException {
        checklistRow("| waves | a hand | `demo.WaveTest#givenAHand_wave_waves` |");

        assertThat(TestReferences.problemsIn(root)).containsExactly(
                "docs/security-checklist.md:12: demo.WaveTest#givenAHand_wave_waves: no test class: there is no"
                        + " demo/WaveTest.java under src/test/java in the build's modules");
    }

    @Test
    void givenATestOnlyInAModuleThatAProfileAdds_problemsIn_refusesItBecauseVerifyDoesNotRunIt() throws IOException {
        checklistRow("| fast | measured | `demo.BenchTest#givenLoad_greet_isFast` |");

        assertThat(TestReferences.problemsIn(root)).containsExactly(
                "docs/security-checklist.md:12: demo.BenchTest#givenLoad_greet_isFast: no test class: there is no"
                        + " demo/BenchTest.java under src/test/java in the build's modules");
    }

    @Test
    void givenDeclarationsOnlyInACommentAStringOrATextBlock_problemsIn_findsNoneOfThem() throws IOException {
        checklistRow("| haunted | by ghosts | `demo.GreeterTest#ghost`, `demo.GreeterTest#phantom`, `demo.GreeterTest#spectre` |");

        String absent = ": no method or rule of that name in the class or its superclasses";
        assertThat(TestReferences.problemsIn(root)).containsExactly(
                "docs/security-checklist.md:12: demo.GreeterTest#ghost" + absent,
                "docs/security-checklist.md:12: demo.GreeterTest#phantom" + absent,
                "docs/security-checklist.md:12: demo.GreeterTest#spectre" + absent);
    }

    @Test
    void givenAHelperMethodAndARuleFieldWithoutArchTest_problemsIn_saysTheyAreNoTests() throws IOException {
        checklistRow("| helps | a helper | `demo.GreeterTest#helper`, `demo.RulesTest#not_a_rule` |");

        String notATest = ": declared, but not a test: it has none of @ArchTest, @ParameterizedTest, @RepeatedTest, @Test,"
                + " @TestFactory, @TestTemplate";
        assertThat(TestReferences.problemsIn(root)).containsExactly(
                "docs/security-checklist.md:12: demo.GreeterTest#helper" + notATest,
                "docs/security-checklist.md:12: demo.RulesTest#not_a_rule" + notATest);
    }

    @Test
    void givenADisabledTest_problemsIn_refusesIt() throws IOException {
        checklistRow("| waits | silently | `demo.GreeterTest#givenSilence_greet_waits` |");

        assertThat(TestReferences.problemsIn(root)).containsExactly(
                "docs/security-checklist.md:12: demo.GreeterTest#givenSilence_greet_waits: the test is @Disabled");
    }

    @Test
    void givenTheAbstractContractItself_problemsIn_asksForTheSubclassThatRunsIt() throws IOException {
        checklistRow("| any greeter | the contract | `demo.contract.GreetingContract#givenAName_greet_mentionsIt` |");

        assertThat(TestReferences.problemsIn(root)).containsExactly(
                "docs/security-checklist.md:12: demo.contract.GreetingContract#givenAName_greet_mentionsIt: JUnit does not"
                        + " run an abstract class or interface on its own: name a concrete subclass");
    }

    @Test
    void givenANestedTestNamedOnTheOuterClass_problemsIn_doesNotFindIt() throws IOException {
        checklistRow("| in French | not nested | `demo.GreeterTest#givenAName_greet_saysBonjour` |");

        assertThat(TestReferences.problemsIn(root)).containsExactly(
                "docs/security-checklist.md:12: demo.GreeterTest#givenAName_greet_saysBonjour: no method or rule of that"
                        + " name in the class or its superclasses");
    }

    @Test
    void givenATestNamedWithoutItsPackage_problemsIn_asksForTheFullName() throws IOException {
        write("docs/greeting.md", "[Back](../README.md)\n\nSee `GreeterTest#givenAName_greet_saysHello`.\n");

        assertThat(TestReferences.problemsIn(root)).containsExactly(
                "docs/greeting.md:3: GreeterTest#givenAName_greet_saysHello: name the test with its package"
                        + " (package.Class#method), so that it can be checked");
    }

    @Test
    void givenAChecklistRowWithNeitherATestNorAReason_problemsIn_namesTheRow() throws IOException {
        checklistRow("| shouts | loudly | `GreeterTest` proves it |");

        assertThat(TestReferences.problemsIn(root)).containsExactly(
                "docs/security-checklist.md:12: the row names no test (`package.Class#method`) and does not say why none"
                        + " proves it (a last cell starting with 'none')");
    }

    @Test
    void givenABrokenNameInTheReadme_problemsIn_reportsItThereToo() throws IOException {
        write("README.md", "# Demo\n\nProven by `demo.GreeterTest#givenAName_greet_saysGoodbye`.\n");

        assertThat(TestReferences.problemsIn(root)).containsExactly(
                "README.md:3: demo.GreeterTest#givenAName_greet_saysGoodbye: no method or rule of that name in the class"
                        + " or its superclasses");
    }
}
