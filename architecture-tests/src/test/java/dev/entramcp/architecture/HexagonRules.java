package dev.entramcp.architecture;

import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The hexagon's rules, written once against a base package so that the same rule objects are
 * checked against the real code ({@code dev.entramcp}) and proven to bite against a deliberately
 * broken fixture ({@code dev.entramcp.archfixture}).
 *
 * <p>Packages: {@code <base>.domain..} (model, port.in, port.out, service, tool),
 * {@code <base>.adapter.<name>..}, {@code <base>.app.<local|remote>..}, {@code <base>.emulator..}.
 */
final class HexagonRules {

    static final String[] FRAMEWORKS = {
            "io.modelcontextprotocol..", "com.microsoft.aad.msal4j..", "io.micronaut..", "com.fasterxml.jackson.."};

    private HexagonRules() {
    }

    static ArchRule domainDependsOnlyOnTheJdkAndItself(String base) {
        return classes().that().resideInAPackage(base + ".domain..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(base + ".domain..", "java..")
                .because("the domain must stay a plain-Java core that any transport or identity provider can drive "
                        + "(an allow-list: anything not named here is forbidden)");
    }

    static ArchRule adaptersDoNotDependOnEachOther(String base) {
        return slices().matching(base + ".adapter.(*)..").should().notDependOnEachOther()
                .because("each adapter translates between one technology and the domain; adapters meet only in an app");
    }

    static ArchRule adaptersDoNotDependOnApps(String base) {
        return noClasses().that().resideInAPackage(base + ".adapter..")
                .should().dependOnClassesThat().resideInAPackage(base + ".app..")
                .because("apps are composition roots that depend on adapters, never the other way round");
    }

    static ArchRule onlyAdaptersAndAppsUseFrameworkTypes(String base) {
        return noClasses().that().resideOutsideOfPackages(base + ".adapter..", base + ".app..")
                .should().dependOnClassesThat().resideInAnyPackage(FRAMEWORKS)
                .because("MCP SDK, msal4j, Micronaut and Jackson types are details that belong at the edges "
                        + "(the emulator included: it stands in for Entra with nimbus and the JDK only)");
    }

    static ArchRule mcpSdkTypesStayInTransportAdaptersAndApps(String base) {
        return noClasses().that().resideOutsideOfPackages(
                        base + ".adapter.stdio..", base + ".adapter.http..", base + ".app..")
                .should().dependOnClassesThat().resideInAPackage("io.modelcontextprotocol..")
                .because("only the transports speak MCP; identity and Graph adapters serve the domain's ports");
    }

    static ArchRule msal4jTypesStayInTheEntraAdapterAndApps(String base) {
        return noClasses().that().resideOutsideOfPackages(base + ".adapter.entra..", base + ".app..")
                .should().dependOnClassesThat().resideInAPackage("com.microsoft.aad.msal4j..")
                .because("token acquisition is the Entra adapter's job; everyone else asks a domain port");
    }

    static ArchRule onlyAppsWireAdapters(String base) {
        return noClasses().that().resideOutsideOfPackages(base + ".adapter..", base + ".app..")
                .should().dependOnClassesThat().resideInAPackage(base + ".adapter..")
                .because("adapters are chosen and connected in exactly one place per scenario: its app");
    }

    static ArchRule appsDoNotDependOnEachOther(String base) {
        return slices().matching(base + ".app.(*)..").should().notDependOnEachOther()
                .because("the local and the remote scenario are independent composition roots");
    }

    static ArchRule theEmulatorDependsOnNoProjectCode(String base) {
        return noClasses().that().resideInAPackage(base + ".emulator..")
                .should().dependOnClassesThat().resideInAnyPackage(base + ".domain..", base + ".adapter..", base + ".app..")
                .because("the emulator stands in for Entra and Graph, so it must judge the code independently");
    }

    static ArchRule onlyAppsStartTheEmulator(String base) {
        return noClasses().that().resideOutsideOfPackages(base + ".emulator..", base + ".app..")
                .should().dependOnClassesThat().resideInAPackage(base + ".emulator..")
                .because("the emulator is wired only into --demo runs, which only an app decides on");
    }

    static ArchRule outgoingPortsAreInterfaces(String base) {
        return classes().that().resideInAPackage(base + ".domain.port..").and().haveSimpleNameEndingWith("Port")
                .should().beInterfaces()
                .because("a port is a contract that an adapter implements and a test fakes with a lambda");
    }
}
