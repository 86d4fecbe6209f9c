package io.kulipa.dialects.scantopay;

import static org.assertj.core.api.Assertions.assertThat;

import io.kulipa.payments.FailureCode;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentKind;
import io.kulipa.payments.PaymentState;
import io.kulipa.providers.simulator.CardIssuers;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** TxState as data: the table's shape, the mapping from the core onto it, and its rendered doc. */
class TxStateTest {

    @Test
    void theTableHasTheShapeScanToPayDocuments() {
        var table = TxState.TABLE;
        assertThat(table.initial()).isEqualTo(TxState.START_PURCHASE);
        Set<TxState> reachable = EnumSet.of(TxState.START_PURCHASE);
        reachable.addAll(table.reachableFrom(TxState.START_PURCHASE));
        assertThat(reachable).containsExactlyInAnyOrder(TxState.values());
        for (TxState s : TxState.values()) {
            boolean end = s.name().startsWith("END_");
            assertThat(table.isFinal(s)).as(s.name()).isEqualTo(end);
            assertThat(s.terminal()).as(s.name()).isEqualTo(end || s == TxState.SUCCESS);
            if (s.terminal()) {
                assertThat(TxState.NOTIFICATION_STATUS).as(s.name()).containsKey(s);
            } else {
                assertThat(s.notificationStatus()).isEqualTo("PENDING");
                assertThat(s.name()).matches("(START|PROCESS|OFF_TO|RECEIVED)_.*");
            }
        }
        // A success is left only by the fail-safe's reversal.
        assertThat(table.from(TxState.SUCCESS)).containsExactlyInAnyOrder(TxState.END_REVERSED,
                TxState.END_REVERSAL_FAILED);
    }

    @Test
    void everyStateTheCoreCanBeInMapsToAStateReachedAlongAllowedMoves() {
        List<String> codes = new ArrayList<>(CardIssuers.load().codes().keySet());
        codes.add(null);
        Set<TxState> reached = EnumSet.noneOf(TxState.class);
        for (PaymentState state : PaymentState.values()) {
            for (FailureCode code : state == PaymentState.FAILED ? Arrays.asList(FailureCode.values())
                    : java.util.Collections.<FailureCode>singletonList(null)) {
                for (String bank : codes) {
                    for (Optional<Payment> reversal : reversals()) {
                        for (boolean pin : new boolean[] {false, true}) {
                            TxState s = TxState.of(payment(state, code), pin, bank, reversal);
                            reached.add(s);
                            assertThat(s == TxState.START_PURCHASE
                                    || TxState.TABLE.reachableFrom(TxState.START_PURCHASE).contains(s)).isTrue();
                            assertThat(s.terminal()).as("%s %s %s", state, code, bank).isEqualTo(state.isFinal());
                        }
                    }
                }
            }
        }
        assertThat(reached).contains(TxState.SUCCESS, TxState.END_REVERSED, TxState.END_BANK_NON_00,
                TxState.END_INSUFFICIENT_FUNDS_OR_OVER_CREDIT_LIMIT, TxState.END_BANK_OFFLINE,
                TxState.END_TIMEOUT_PURCHASE, TxState.END_CLIENT_CANCEL, TxState.PROCESS_PIN_PROMPT);
        assertThat(TxState.of(payment(PaymentState.FAILED, FailureCode.OPERATOR_DECLINED), false, "05", Optional.empty()))
                .isEqualTo(TxState.END_BANK_NON_00);
        assertThat(TxState.of(payment(PaymentState.FAILED, FailureCode.INSUFFICIENT_BALANCE), false, "51",
                Optional.empty())).isEqualTo(TxState.END_INSUFFICIENT_FUNDS_OR_OVER_CREDIT_LIMIT);
        assertThat(TxState.of(payment(PaymentState.FAILED, FailureCode.APPROVAL_EXPIRED), false, null, Optional.empty()))
                .isEqualTo(TxState.END_TIMEOUT_PURCHASE);
        assertThat(TxState.of(payment(PaymentState.FAILED, FailureCode.PAYMENT_NOT_APPROVED), false, null,
                Optional.empty())).isEqualTo(TxState.END_CLIENT_CANCEL);
    }

    @Test
    void theDocShowsTheDiagramRenderedFromTheTable() throws IOException {
        assertThat(Files.readString(Path.of("docs/scantopay-states.md"))).contains(TxState.TABLE.mermaid());
        for (var e : TxState.NOTIFICATION_STATUS.entrySet()) {
            assertThat(Files.readString(Path.of("docs/scantopay-states.md")))
                    .contains("| " + e.getKey().name() + " | " + e.getValue() + " |");
        }
    }

    private static List<Optional<Payment>> reversals() {
        return List.of(Optional.empty(), Optional.of(payment(PaymentState.COMPLETED, null)),
                Optional.of(payment(PaymentState.FAILED, FailureCode.OTHER_ERROR)),
                Optional.of(payment(PaymentState.SUBMITTED, null)));
    }

    private static Payment payment(PaymentState state, FailureCode code) {
        Instant now = Instant.parse("2026-12-02T12:00:00Z");
        return new Payment(UUID.randomUUID(), UUID.randomUUID(), PaymentKind.DEPOSIT, "81000", "scantopay", state,
                BigDecimal.TEN, "10", "ZAR", "ZAF", "CARD_ZAF", "27831234567", null, null, null, List.of(), "fp", null,
                null, code, null, null, null, null, now, now, null);
    }
}
