package io.kulipa;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md's boundaries: imports point inward (dialects and web -> payments -> ledger,
 * providers, outbox -> money), the core imports no dialect, no dialect imports another, and
 * only store adapters touch SQL.
 */
class ArchitectureTest {

    /** Every dialect folder; a new dialect is added here too so that the rules cover it. */
    static final String[] DIALECTS = {"pawapay", "momo", "jenga", "scantopay"};
    static final String[] CORE = {"io.kulipa.money..", "io.kulipa.ledger..", "io.kulipa.outbox..",
        "io.kulipa.providers..", "io.kulipa.payments..", "io.kulipa.callbacks..", "io.kulipa.store..",
        "io.kulipa.states..", "io.kulipa.ussd.."};

    static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.kulipa");
    }

    @Test
    void moneyStandsAlone() {
        noClasses().that().resideInAPackage("io.kulipa.money..").should().dependOnClassesThat()
                .resideInAnyPackage(without(CORE, "io.kulipa.money..")).check(classes);
    }

    @Test
    void transitionTablesStandAlone() {
        // Every state machine, core or dialect, is built with them, so they may import nothing of Kulipa.
        noClasses().that().resideInAPackage("io.kulipa.states..").should().dependOnClassesThat()
                .resideOutsideOfPackages("io.kulipa.states..", "java..").check(classes);
    }

    @Test
    void theOutboxKnowsNoPaymentsNorAnyEdge() {
        noClasses().that().resideInAPackage("io.kulipa.outbox..").should().dependOnClassesThat()
                .resideInAnyPackage("io.kulipa.payments..", "io.kulipa.callbacks..", "io.kulipa.store..",
                        "io.kulipa.providers..", "io.kulipa.ledger..", "io.kulipa.web..", "io.kulipa.dialects..")
                .check(classes);
    }

    @Test
    void providersKnowNothingOfPaymentsOrTheOuterLayers() {
        noClasses().that().resideInAPackage("io.kulipa.providers..").should().dependOnClassesThat()
                .resideInAnyPackage("io.kulipa.payments..", "io.kulipa.callbacks..", "io.kulipa.store..",
                        "io.kulipa.web..", "io.kulipa.dialects..")
                .check(classes);
    }

    @Test
    void theCoreImportsNoDialectAndNoWebPart() {
        noClasses().that().resideInAnyPackage(CORE).should().dependOnClassesThat()
                .resideInAnyPackage("io.kulipa.dialects..", "io.kulipa.web..").check(classes);
    }

    @Test
    void theCoreDoesNotDependOnTheEdges() {
        noClasses().that().resideInAPackage("io.kulipa.payments..").should().dependOnClassesThat()
                .resideInAnyPackage("io.kulipa.store..", "io.kulipa.callbacks..").check(classes);
        noClasses().that().resideInAPackage("io.kulipa.ledger..").should().dependOnClassesThat()
                .resideInAnyPackage("io.kulipa.store..", "io.kulipa.callbacks..", "io.kulipa.payments..")
                .allowEmptyShould(true).check(classes);
        noClasses().that().resideInAPackage("io.kulipa.callbacks..").should().dependOnClassesThat()
                .resideInAPackage("io.kulipa.store..").check(classes);
    }

    @Test
    void dialectsNeverImportEachOther() {
        for (String dialect : DIALECTS) {
            String[] others = Arrays.stream(DIALECTS).filter(d -> !d.equals(dialect))
                    .map(d -> "io.kulipa.dialects." + d + "..").toArray(String[]::new);
            noClasses().that().resideInAPackage("io.kulipa.dialects." + dialect + "..").should()
                    .dependOnClassesThat().resideInAnyPackage(others).allowEmptyShould(true).check(classes);
        }
    }

    @Test
    void webPagesAndToolsUseTheCoreNotADialect() {
        noClasses().that().resideInAPackage("io.kulipa.web..").should().dependOnClassesThat()
                .resideInAnyPackage("io.kulipa.dialects..", "io.kulipa.store..").check(classes);
    }

    @Test
    void onlyStoreAdaptersTouchSql() {
        noClasses().that().resideOutsideOfPackages("io.kulipa.store..", "io.kulipa.dialects.*.store..",
                        "io.kulipa.dialects.*.*.store..")
                .and().doNotHaveSimpleName("Kulipa").and().haveSimpleNameNotEndingWith("Dialect")
                .should().dependOnClassesThat().resideInAnyPackage("org.jdbi..", "java.sql..", "javax.sql..")
                .check(classes);
    }

    @Test
    void dialectRoutesAndUseCasesUseTheirStoreOnlyThroughPorts() {
        // A dialect's composition class (its *Dialect) builds its stores; nothing else of it
        // reaches the SQL adapters, its own or the core's.
        for (String dialect : DIALECTS) {
            noClasses().that().resideInAPackage("io.kulipa.dialects." + dialect + "..")
                    .and().resideOutsideOfPackage("io.kulipa.dialects." + dialect + ".store..")
                    .and().haveSimpleNameNotEndingWith("Dialect")
                    .should().dependOnClassesThat().resideInAnyPackage("io.kulipa.store..",
                            "io.kulipa.dialects." + dialect + ".store..")
                    .allowEmptyShould(true).check(classes);
        }
    }

    private static String[] without(String[] all, String one) {
        return Arrays.stream(all).filter(p -> !p.equals(one)).toArray(String[]::new);
    }
}
