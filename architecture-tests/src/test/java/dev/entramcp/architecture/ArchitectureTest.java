package dev.entramcp.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The hexagon's rules, checked against the production classes of every module: every rule in
 * {@link HexagonRules}, one field each ({@link HexagonRulesBiteTest} fails if one is missing). Rules
 * never run on an empty set: there is no {@code failOnEmptyShould=false} here, and
 * {@link ProductionPackagesTest} checks that every package they name holds classes.
 * {@link HexagonRulesBiteTest} proves every rule bites against the broken fixture.
 */
@AnalyzeClasses(packages = ArchitectureTest.BASE, importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    static final String BASE = "dev.entramcp";

    @ArchTest
    static final ArchRule domain_depends_only_on_the_jdk_and_itself = HexagonRules.domainDependsOnlyOnTheJdkAndItself(BASE);

    @ArchTest
    static final ArchRule adapters_do_not_depend_on_each_other = HexagonRules.adaptersDoNotDependOnEachOther(BASE);

    @ArchTest
    static final ArchRule adapters_do_not_depend_on_apps = HexagonRules.adaptersDoNotDependOnApps(BASE);

    @ArchTest
    static final ArchRule only_adapters_and_apps_use_framework_types = HexagonRules.onlyAdaptersAndAppsUseFrameworkTypes(BASE);

    @ArchTest
    static final ArchRule mcp_sdk_types_stay_in_transport_adapters_and_apps = HexagonRules.mcpSdkTypesStayInTransportAdaptersAndApps(BASE);

    @ArchTest
    static final ArchRule msal4j_types_stay_in_the_entra_adapter_and_apps = HexagonRules.msal4jTypesStayInTheEntraAdapterAndApps(BASE);

    @ArchTest
    static final ArchRule only_apps_wire_adapters = HexagonRules.onlyAppsWireAdapters(BASE);

    @ArchTest
    static final ArchRule apps_do_not_depend_on_each_other = HexagonRules.appsDoNotDependOnEachOther(BASE);

    @ArchTest
    static final ArchRule the_emulator_depends_on_no_project_code = HexagonRules.theEmulatorDependsOnNoProjectCode(BASE);

    @ArchTest
    static final ArchRule only_apps_start_the_emulator = HexagonRules.onlyAppsStartTheEmulator(BASE);

    @ArchTest
    static final ArchRule outgoing_ports_are_interfaces = HexagonRules.outgoingPortsAreInterfaces(BASE);
}
