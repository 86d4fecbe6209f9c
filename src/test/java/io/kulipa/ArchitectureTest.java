package io.kulipa;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** DESIGN.md's boundaries: imports point inward, dialects never import each other. */
class ArchitectureTest {

    static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.kulipa");
    }

    @Test
    void moneyStandsAlone() {
        noClasses().that().resideInAPackage("io.kulipa.money..").should().dependOnClassesThat()
                .resideInAnyPackage("io.kulipa.payments..", "io.kulipa.ledger..", "io.kulipa.providers..",
                        "io.kulipa.webhooks..", "io.kulipa.store..", "io.kulipa.api..")
                .check(classes);
    }

    @Test
    void providersKnowNothingOfPaymentsOrTheOuterLayers() {
        noClasses().that().resideInAPackage("io.kulipa.providers..").should().dependOnClassesThat()
                .resideInAnyPackage("io.kulipa.payments..", "io.kulipa.webhooks..", "io.kulipa.store..",
                        "io.kulipa.api..")
                .check(classes);
    }

    @Test
    void theCoreDoesNotDependOnTheEdges() {
        noClasses().that().resideInAPackage("io.kulipa.payments..").should().dependOnClassesThat()
                .resideInAnyPackage("io.kulipa.api..", "io.kulipa.store..", "io.kulipa.webhooks..")
                .check(classes);
        noClasses().that().resideInAPackage("io.kulipa.ledger..").should().dependOnClassesThat()
                .resideInAnyPackage("io.kulipa.api..", "io.kulipa.store..", "io.kulipa.webhooks..",
                        "io.kulipa.payments..")
                .allowEmptyShould(true).check(classes);
    }

    @Test
    void webhooksAndStoreDoNotReachIntoTheApi() {
        noClasses().that().resideInAnyPackage("io.kulipa.webhooks..", "io.kulipa.store..")
                .should().dependOnClassesThat().resideInAPackage("io.kulipa.api..").check(classes);
        noClasses().that().resideInAPackage("io.kulipa.webhooks..").should().dependOnClassesThat()
                .resideInAPackage("io.kulipa.store..").check(classes);
    }

    @Test
    void theApiUsesTheCoreNotTheStore() {
        noClasses().that().resideInAPackage("io.kulipa.api..").should().dependOnClassesThat()
                .resideInAPackage("io.kulipa.store..").check(classes);
    }

    @Test
    void dialectsNeverImportEachOther() {
        String[] dialects = {"pawapay", "momo", "jenga", "scantopay", "ussd", "sandbox", "ops"};
        for (String dialect : dialects) {
            String[] others = java.util.Arrays.stream(dialects).filter(d -> !d.equals(dialect))
                    .map(d -> "io.kulipa.api." + d + "..").toArray(String[]::new);
            noClasses().that().resideInAPackage("io.kulipa.api." + dialect + "..").should().dependOnClassesThat()
                    .resideInAnyPackage(others).allowEmptyShould(true).check(classes);
        }
    }
}
