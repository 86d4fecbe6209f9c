package io.kulipa.states;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kulipa.dialects.momo.consent.Consent;
import io.kulipa.dialects.momo.invoices.InvoiceStatus;
import io.kulipa.dialects.momo.preapprovals.PreApproval;
import io.kulipa.dialects.momo.vouchers.VoucherStatus;
import io.kulipa.payments.PaymentState;
import io.kulipa.payments.Transitions;
import io.kulipa.store.Database;
import io.kulipa.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every state machine of Kulipa, one table each and all of one shape, checked by the same rules:
 * final states have no way out, every state is reachable from the initial one and can reach a
 * final one, the moves are exactly those written here, the database accepts exactly the enum's
 * states, and docs/states.md shows the diagram rendered from the table.
 */
class TransitionTablesTest {

    static Database db;

    @BeforeAll
    static void open() throws Exception {
        db = Database.open(new Database.Settings(TestDatabase.newDatabase(), "postgres", "",
                Files.createTempDirectory("kulipa-transition-tables"), 2));
    }

    @AfterAll
    static void close() {
        db.close();
    }

    /**
     * Each table with the table and column that hold its state, and its moves written out by hand
     * ({@code FROM>TO TO; ...}), so that a change to a table is a change to this test too.
     */
    static Stream<Arguments> tables() {
        return Stream.of(
                Arguments.of(Transitions.TABLE, "payment", "state", "ACCEPTED>ENQUEUED IN_DOUBT SUBMITTED COMPLETED "
                        + "FAILED; ENQUEUED>ACCEPTED FAILED; IN_DOUBT>ACCEPTED SUBMITTED COMPLETED FAILED; "
                        + "SUBMITTED>COMPLETED FAILED"),
                Arguments.of(PreApproval.Status.TABLE, "momo_preapproval", "status", "PENDING>SUCCESSFUL FAILED"),
                Arguments.of(Consent.Status.TABLE, "momo_consent", "status",
                        "PENDING>APPROVED REJECTED EXPIRED; APPROVED>REDEEMED"),
                Arguments.of(InvoiceStatus.TABLE, "momo_invoice", "status",
                        "PENDING>PAYING FAILED CANCELLED; PAYING>PENDING SUCCESSFUL FAILED"),
                Arguments.of(VoucherStatus.TABLE, "momo_voucher", "status",
                        "SUCCESSFUL>REDEEMED CANCELLED LOCKED; LOCKED>CANCELLED"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tables")
    <S extends Enum<S>> void finalStatesHaveNoWayOutAndNoStateMovesToItself(TransitionTable<S> table) {
        assertThat(table.finals()).as("%s has a final state", table).isNotEmpty();
        assertThat(table.finals()).doesNotContain(table.initial());
        for (S state : table.type().getEnumConstants()) {
            assertThat(table.from(state)).as("%s: %s moves to itself", table, state).doesNotContain(state);
            assertThat(table.isFinal(state)).isEqualTo(table.from(state).isEmpty());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tables")
    <S extends Enum<S>> void everyStateIsReachedFromTheInitialOneAndReachesAFinalOne(TransitionTable<S> table) {
        Set<S> reached = EnumSet.of(table.initial());
        reached.addAll(table.reachableFrom(table.initial()));
        assertThat(reached).as("%s: reached from %s", table, table.initial())
                .containsExactlyInAnyOrder(table.type().getEnumConstants());
        for (S state : table.type().getEnumConstants()) {
            if (!table.isFinal(state)) {
                assertThat(table.reachableFrom(state)).as("%s: from %s", table, state)
                        .containsAnyElementsOf(table.finals());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tables")
    <S extends Enum<S>> void theMovesAreExactlyTheseAndSourcesAreTheirInverse(TransitionTable<S> table, String subject,
                                                                           String column, String moves) {
        Set<String> expected = new TreeSet<>();
        for (String row : moves.split(";")) {
            String[] fromTo = row.trim().split(">");
            Arrays.stream(fromTo[1].trim().split(" ")).forEach(to -> expected.add(fromTo[0] + ">" + to));
        }
        Set<String> actual = new TreeSet<>();
        for (S from : table.type().getEnumConstants()) {
            for (S to : table.type().getEnumConstants()) {
                if (table.allowed(from, to)) {
                    actual.add(from + ">" + to);
                }
                assertThat(table.sourcesOf(to).contains(from)).isEqualTo(table.allowed(from, to));
            }
        }
        assertThat(actual).as("%s", table).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} in {1}.{2}")
    @MethodSource("tables")
    <S extends Enum<S>> void theDatabaseAcceptsExactlyTheStatesOfTheEnum(TransitionTable<S> table, String subject,
                                                                      String column) {
        String check = db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c
                        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey)
                        WHERE c.contype = 'c' AND c.conrelid = CAST(:t AS regclass) AND a.attname = :c""")
                .bind("t", subject).bind("c", column).mapTo(String.class).one());
        Set<String> accepted = new TreeSet<>();
        Matcher quoted = Pattern.compile("'([A-Z_]+)'").matcher(check);
        while (quoted.find()) {
            accepted.add(quoted.group(1));
        }
        assertThat(accepted).isEqualTo(Arrays.stream(table.type().getEnumConstants()).map(Enum::name)
                .collect(Collectors.toCollection(TreeSet::new)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tables")
    <S extends Enum<S>> void theDocsShowTheDiagramRenderedFromTheTable(TransitionTable<S> table) throws Exception {
        assertThat(Files.readString(Path.of("docs/states.md"))).contains(table.mermaid());
    }

    @Test
    void aTableMustHaveExactlyOneRowForEveryState() {
        assertThatThrownBy(() -> TransitionTable.of("half", PaymentState.ACCEPTED)
                .allow(PaymentState.ACCEPTED, PaymentState.FAILED).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no row for");
        assertThatThrownBy(() -> TransitionTable.of("twice", PaymentState.ACCEPTED)
                .allow(PaymentState.ACCEPTED).allow(PaymentState.ACCEPTED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two rows for ACCEPTED");
    }

    @Test
    void aMoveTheTableForbidsIsRefusedByName() {
        assertThatThrownBy(() -> VoucherStatus.TABLE.requireAllowed(VoucherStatus.REDEEMED, VoucherStatus.CANCELLED))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(
                        "the voucher table does not allow REDEEMED -> CANCELLED");
        VoucherStatus.TABLE.requireAllowed(VoucherStatus.LOCKED, VoucherStatus.CANCELLED);
    }
}
