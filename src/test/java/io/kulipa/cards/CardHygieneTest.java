package io.kulipa.cards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.kulipa.dialects.Core;
import io.kulipa.money.Amount;
import io.kulipa.payments.Merchant;
import io.kulipa.payments.Payment;
import io.kulipa.payments.RefundingDeposit;
import io.kulipa.providers.simulator.CardIssuers;
import io.kulipa.testing.TestGateway;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * PCI hygiene of the card world: after a run of every card flow of the core (link, approve by
 * auto-approval and by PIN, decline by each test card, wrong PINs to the lock, refusal on the
 * handset, time-out, reversal), no PAN (nor its middle digits), no PIN and no PIN block is in any
 * log line (at DEBUG) or in any column of any table of the database, as text.
 */
class CardHygieneTest {

    static final String PIN = "918273";
    static final String WRONG_PIN = "564738";
    static final String OWN_PAN = "5200000000000015";

    @Test
    void noPanPinOrPinBlockIsLoggedOrStoredInClear() {
        Logger kulipa = (Logger) LoggerFactory.getLogger("io.kulipa");
        Level before = kulipa.getLevel();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        kulipa.addAppender(captured);
        kulipa.setLevel(Level.DEBUG);
        List<String> pans = new ArrayList<>(CardIssuers.load().testCards().stream().map(CardIssuers.TestCard::pan)
                .toList());
        pans.add(OWN_PAN);
        try (TestGateway gateway = TestGateway.start(Map.of("KULIPA_SANDBOX_APPROVAL_WINDOW", "4s"))) {
            Core core = gateway.kulipa().core();
            Merchant merchant = core.merchants().byId(gateway.kulipa().demoMerchantId()).orElseThrow();
            runEveryFlow(core, merchant);
            StringBuilder db = new StringBuilder();
            gateway.jdbi().useHandle(h -> {
                for (String table : h.createQuery("SELECT table_name FROM information_schema.tables "
                        + "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'").mapTo(String.class).list()) {
                    h.createQuery("SELECT CAST(t AS text) FROM \"" + table + "\" t").mapTo(String.class)
                            .forEach(row -> db.append(table).append(": ").append(row).append('\n'));
                }
            });
            String logs = String.join("\n", captured.list.stream().map(e -> e.getFormattedMessage()
                    + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getMessage())).toList());
            assertThat(db.toString()).contains("sim_card_authorisation").contains("card: ");
            for (String pan : pans) {
                String middle = pan.substring(6, pan.length() - 4);
                assertThat(db.toString()).as("database").doesNotContain(pan).doesNotContain(pan.substring(6));
                assertThat(logs).as("logs").doesNotContain(pan).doesNotContain(pan.substring(0, 6) + middle);
                assertThat(middle).hasSizeGreaterThan(4);
            }
            assertThat(db.toString()).as("database").doesNotContain(PIN).doesNotContain(WRONG_PIN);
            assertThat(logs).as("logs").doesNotContain(PIN).doesNotContain(WRONG_PIN);
            // An ISO 9564 format-0 PIN block of the PIN with the card's PAN, in hex, is nowhere either.
            String block = pinBlock(PIN, OWN_PAN);
            assertThat(db.toString().toLowerCase()).doesNotContain(block);
            assertThat(logs.toLowerCase()).doesNotContain(block);
        } finally {
            kulipa.detachAppender(captured);
            kulipa.setLevel(before);
        }
    }

    private static void runEveryFlow(Core core, Merchant merchant) {
        // The seeded test cards: approved, declined by each forced code, expired refused at the door.
        for (CardIssuers.TestCard t : core.issuers().data().testCards()) {
            for (Card c : core.cards().cards(t.msisdn())) {
                var r = core.cardPayments().initiate(purchase(merchant, t.msisdn(), c.id(), "1.00"));
                if (r instanceof InitiatingCardPayment.Result.Accepted a) {
                    awaitFinal(core, a.payment());
                }
            }
        }
        // A card linked with its own PIN, on a handset that answers by hand.
        String msisdn = "27829990077";
        core.simulator().configure(msisdn, "ZAR", null, null, "manual");
        assertThat(SeedingTestCards.link(core.cards(), core.issuers(), msisdn, OWN_PAN, YearMonth.of(2033, 3), PIN,
                new BigDecimal("100"), BigDecimal.ZERO, null)).isTrue();
        Card own = core.cards().cards(msisdn).getFirst();
        Payment approved = accepted(core, merchant, msisdn, own.id(), "3.00");
        awaitPrompt(core, msisdn);
        core.issuers().enterPin(msisdn, approved.id().toString(), WRONG_PIN);
        core.issuers().enterPin(msisdn, approved.id().toString(), PIN);
        Payment done = awaitFinal(core, approved);
        var refund = core.refunding().refund(new RefundingDeposit.Request(merchant, "reversal-" + done.clientRef(),
                done.clientRef(), null, "cardtest", List.of(), "fp"));
        if (refund instanceof io.kulipa.payments.InitiatingPayment.Result.Accepted a) {
            awaitFinal(core, a.payment());
        }
        Payment refused = accepted(core, merchant, msisdn, own.id(), "2.00");
        awaitPrompt(core, msisdn);
        core.issuers().reject(msisdn, refused.id().toString());
        awaitFinal(core, refused);
        Payment timedOut = accepted(core, merchant, msisdn, own.id(), "2.00");
        awaitFinal(core, timedOut);
        Payment locked = accepted(core, merchant, msisdn, own.id(), "2.00");
        awaitPrompt(core, msisdn);
        for (int i = 0; i < 3; i++) {
            core.issuers().enterPin(msisdn, locked.id().toString(), WRONG_PIN);
        }
        awaitFinal(core, locked);
    }

    private static Payment accepted(Core core, Merchant merchant, String msisdn, UUID card, String amount) {
        return ((InitiatingCardPayment.Result.Accepted) core.cardPayments().initiate(purchase(merchant, msisdn, card,
                amount))).payment();
    }

    private static InitiatingCardPayment.Purchase purchase(Merchant merchant, String msisdn, UUID card, String amount) {
        return new InitiatingCardPayment.Purchase(merchant, "cardtest", UUID.randomUUID().toString(), msisdn, card,
                Amount.of(new BigDecimal(amount)), "Hygiene shop", List.of(), "fp", null);
    }

    private static void awaitPrompt(Core core, String msisdn) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !core.issuers().prompts(msisdn).isEmpty());
    }

    private static Payment awaitFinal(Core core, Payment p) {
        await().atMost(Duration.ofSeconds(15)).until(() -> core.payments().get(p.id()).orElseThrow().state().isFinal());
        return core.payments().get(p.id()).orElseThrow();
    }

    /** ISO 9564 format 0: (0 || len || PIN || F...) XOR (0000 || 12 rightmost PAN digits without the check digit). */
    static String pinBlock(String pin, String pan) {
        String pinField = String.format("0%X%s", pin.length(), pin) + "F".repeat(14 - pin.length());
        String panField = "0000" + pan.substring(pan.length() - 13, pan.length() - 1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            out.append(Integer.toHexString(Character.digit(pinField.charAt(i), 16) ^ Character.digit(panField.charAt(i), 16)));
        }
        return out.toString();
    }
}
