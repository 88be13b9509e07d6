package dev.entramcp.architecture;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves that every rule in {@link HexagonRules} bites: evaluated against the deliberately broken
 * fixture, each reports exactly the violations planted for it, and nothing from the innocent
 * classes. If a rule is removed, loosened or points at a package that does not exist, its row fails.
 * Two more checks compare rules by description, not by count: every rule factory has a row here, and
 * {@link ArchitectureTest} runs every rule factory against the production code (so deleting one of its
 * {@code @ArchTest} fields fails the build).
 */
class HexagonRulesBiteTest {

    private static final String FIXTURE = "dev.entramcp.archfixture";
    private static final JavaClasses BROKEN = new ClassFileImporter().importPackages(FIXTURE);
    private static final String MCP_TOOL = "io.modelcontextprotocol.spec.McpSchema$Tool";
    private static final String MSAL_CLIENT = "com.microsoft.aad.msal4j.PublicClientApplication";
    private static final String MICRONAUT_CONTEXT = "io.micronaut.context.ApplicationContext";

    static Stream<Arguments> rulesAndTheirPlantedViolations() {
        return Stream.of(
                row(HexagonRules::domainDependsOnlyOnTheJdkAndItself,
                        "LeakyModel -> com.fasterxml.jackson.databind.ObjectMapper",
                        "McpLeakyModel -> " + MCP_TOOL,
                        "MsalLeakyModel -> " + MSAL_CLIENT,
                        "MicronautLeakyModel -> " + MICRONAUT_CONTEXT,
                        "WiringService -> " + FIXTURE + ".adapter.alpha.AlphaAdapter"),
                row(HexagonRules::adaptersDoNotDependOnEachOther,
                        "AlphaAdapter -> " + FIXTURE + ".adapter.beta.BetaAdapter"),
                row(HexagonRules::adaptersDoNotDependOnApps,
                        "BetaAdapter -> " + FIXTURE + ".app.one.OneApp"),
                row(HexagonRules::onlyAdaptersAndAppsUseFrameworkTypes,
                        "LeakyModel -> com.fasterxml.jackson.databind.ObjectMapper",
                        "McpLeakyModel -> " + MCP_TOOL,
                        "MsalLeakyModel -> " + MSAL_CLIENT,
                        "MicronautLeakyModel -> " + MICRONAUT_CONTEXT,
                        "Emulator -> com.fasterxml.jackson.databind.ObjectMapper"),
                row(HexagonRules::mcpSdkTypesStayInTransportAdaptersAndApps,
                        "AlphaAdapter -> " + MCP_TOOL,
                        "McpLeakyModel -> " + MCP_TOOL),
                row(HexagonRules::msal4jTypesStayInTheEntraAdapterAndApps,
                        "AlphaAdapter -> " + MSAL_CLIENT,
                        "MsalLeakyModel -> " + MSAL_CLIENT),
                row(HexagonRules::onlyAppsWireAdapters,
                        "WiringService -> " + FIXTURE + ".adapter.alpha.AlphaAdapter"),
                row(HexagonRules::appsDoNotDependOnEachOther,
                        "OneApp -> " + FIXTURE + ".app.two.TwoApp"),
                row(HexagonRules::theEmulatorDependsOnNoProjectCode,
                        "Emulator -> " + FIXTURE + ".domain.model.CleanModel"),
                row(HexagonRules::onlyAppsStartTheEmulator,
                        "BetaAdapter -> " + FIXTURE + ".emulator.Emulator"),
                row(HexagonRules::outgoingPortsAreInterfaces,
                        "ConcretePort"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("rulesAndTheirPlantedViolations")
    void givenBrokenFixture_rule_reportsExactlyThePlantedViolations(String ruleText, ArchRule rule, Set<String> planted) {

        EvaluationResult result = rule.evaluate(BROKEN);

        assertThat(result.hasViolation()).as(ruleText).isTrue();
        assertThat(violations(result)).as(ruleText).containsExactlyInAnyOrderElementsOf(planted);
    }

    @Test
    void givenEveryRuleFactory_theBiteTable_provesItBites() {
        Set<String> proven = rulesAndTheirPlantedViolations()
                .map(row -> (String) row.get()[0])
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(proven).containsExactlyInAnyOrderElementsOf(everyRuleDescription(FIXTURE));
    }

    @Test
    void givenEveryRuleFactory_architectureTest_checksItAgainstTheProductionCode() {
        Set<String> checked = Stream.of(ArchitectureTest.class.getDeclaredFields())
                .filter(field -> field.isAnnotationPresent(ArchTest.class))
                .map(HexagonRulesBiteTest::ruleIn)
                .map(ArchRule::getDescription)
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(checked).containsExactlyInAnyOrderElementsOf(everyRuleDescription(ArchitectureTest.BASE));
    }

    @Test
    void givenFixture_everyPackageTheRulesName_holdsClasses() {
        Stream.of("domain.model", "domain.service", "domain.port.out", "adapter.alpha", "adapter.beta",
                        "app.one", "app.two", "emulator")
                .forEach(pkg -> assertThat(BROKEN.containPackage(FIXTURE + "." + pkg)).as(pkg).isTrue());
    }

    /** The description of every rule {@link HexagonRules} can make, each applied to {@code base}. */
    private static Set<String> everyRuleDescription(String base) {
        List<Method> factories = Stream.of(HexagonRules.class.getDeclaredMethods())
                .filter(method -> ArchRule.class.equals(method.getReturnType()))
                .toList();
        assertThat(factories).as("rule factories in HexagonRules").isNotEmpty();
        return factories.stream()
                .map(factory -> {
                    try {
                        return ((ArchRule) factory.invoke(null, base)).getDescription();
                    } catch (ReflectiveOperationException e) {
                        throw new AssertionError("cannot call " + factory, e);
                    }
                })
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static ArchRule ruleIn(Field field) {
        try {
            return (ArchRule) field.get(null);
        } catch (IllegalAccessException e) {
            throw new AssertionError("cannot read " + field, e);
        }
    }

    private static Arguments row(Function<String, ArchRule> factory, String... planted) {
        ArchRule rule = factory.apply(FIXTURE);
        return Arguments.of(rule.getDescription(), rule, Set.of(planted));
    }

    /** "Origin -> target" for dependency violations, the class name for class-level violations. */
    private static Set<String> violations(EvaluationResult result) {
        Set<String> found = new TreeSet<>();
        result.handleViolations((Collection<Dependency> dependencies, String message) -> dependencies.forEach(
                dependency -> found.add(dependency.getOriginClass().getSimpleName() + " -> "
                        + dependency.getTargetClass().getName())));
        result.handleViolations((Collection<JavaClass> classes, String message) -> classes.forEach(
                javaClass -> found.add(javaClass.getSimpleName())));
        return found;
    }
}
