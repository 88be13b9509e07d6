package dev.entramcp.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every package the rules name holds production classes, so no rule silently checks an empty
 * set (the flaw of rules that name a package nobody uses). A module joins this list when it gets
 * its first class.
 */
class ProductionPackagesTest {

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(new ImportOption.DoNotIncludeTests())
            .importPackages(ArchitectureTest.BASE);

    @ParameterizedTest
    @ValueSource(strings = {"domain.model", "domain.port.in", "domain.port.out", "domain.service", "domain.tool",
            "adapter.http", "adapter.stdio", "app.local", "adapter.graph", "adapter.entra", "emulator", "app.remote"})
    void givenProductionCode_packageNamedByTheRules_holdsClasses(String pkg) {
        assertThat(PRODUCTION.containPackage(ArchitectureTest.BASE + "." + pkg)).isTrue();
    }
}
