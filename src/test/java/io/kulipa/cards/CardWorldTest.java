package io.kulipa.cards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kulipa.dialects.Core;
import io.kulipa.ledger.AccountRef;
import io.kulipa.money.Amount;
import io.kulipa.payments.FailureCode;
import io.kulipa.payments.Merchant;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentState;
import io.kulipa.payments.RefundingDeposit;
import io.kulipa.providers.simulator.SimCardAccount;
import io.kulipa.providers.simulator.SimulatedIssuers;
import io.kulipa.providers.simulator.SimulatedOperators.HandsetAnswer;
import io.kulipa.testing.TestGateway;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The card world of the core: the vault keeps PANs encrypted and finds them by a keyed hash; a
 * card purchase is a core deposit on CARD_ZAF decided by the simulated issuer's response code;
 * a refund credits the card account back; the ledger stays balanced; no PAN or PIN is in the database.
 */
class CardWorldTest {

    static final String DEBIT = "4000000000000002";
    static final String DEBIT_MSISDN = "27831234567";
    static TestGateway gateway;
    static Core core;
    static Merchant merchant;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start(Map.of());
        core = gateway.kulipa().core();
        merchant = core.merchants().byId(gateway.kulipa().demoMerchantId()).orElseThrow();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void theVaultKeepsThePanEncryptedAndFindsItByItsKeyedHash() {
        String msisdn = "27829990001";
        String pan = "4000000000000093";
        CardVault.Linked linked = core.cards().link(msisdn, pan, YearMonth.of(2031, 1));
        Card card = ((CardVault.Linked.Done) linked).card();
        assertThat(card.bin()).isEqualTo("400000");
        assertThat(card.last4()).isEqualTo("0093");
        assertThat(card.masked()).isEqualTo("400000******0093");
        assertThat(((CardVault.Linked.Done) core.cards().link(msisdn, pan, YearMonth.of(2031, 1))).card().id())
                .isEqualTo(card.id());
        assertThat(core.cards().reveal(card.id())).isEqualTo(pan);
        assertThat(core.cards().link(msisdn, "4000000000000094", YearMonth.of(2031, 1)))
                .isInstanceOf(CardVault.Linked.Invalid.class);
        assertThat(core.cards().link(msisdn, "40000", YearMonth.of(2031, 1)))
                .isEqualTo(new CardVault.Linked.Invalid("pan", "must be 13 to 19 digits"));
        String stored = gateway.jdbi().withHandle(h -> h.createQuery(
                "SELECT encode(pan_ciphertext, 'escape') || lookup_hash FROM card WHERE id = :id")
                .bind("id", card.id()).mapTo(String.class).one());
        assertThat(stored).doesNotContain(pan).doesNotContain(pan.substring(6));
        assertThat(core.cards().delink(msisdn, card.id())).isTrue();
        assertThat(core.cards().cards(msisdn)).isEmpty();
    }

    @Test
    void aCardKeyIsSixtyFourHexDigitsAndACiphertextOpensOnlyForItsCard() {
        CardKey key = CardKey.fromHex(TestGateway.CARD_KEY, "test");
        byte[] sealed = key.encrypt("4000000000000002", new byte[] {1});
        assertThat(key.decrypt(sealed, new byte[] {1})).isEqualTo("4000000000000002");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> key.decrypt(sealed, new byte[] {2}))
                .isInstanceOf(IllegalStateException.class).hasMessageNotContaining("4000");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CardKey.fromHex("abcd", "KULIPA_CARD_KEY"))
                .hasMessage("KULIPA_CARD_KEY must be 64 hex digits (32 bytes)");
    }

    @Test
    void theTestCardsAreSeededAndAnApprovedPurchaseCreditsTheMerchantFromCardSettlement() {
        List<Card> cards = core.cards().cards(DEBIT_MSISDN);
        assertThat(cards).extracting(Card::masked).contains("400000******0002", "510000******0008");
        Card card = cards.stream().filter(c -> c.last4().equals("0002")).findFirst().orElseThrow();
        BigDecimal before = account(card).balance();
        AccountRef wallet = AccountRef.merchantWallet(merchant.id(), "ZAF", "ZAR");
        BigDecimal walletBefore = core.ledger().balance(wallet.code()).map(b -> b.available()).orElse(BigDecimal.ZERO);

        Payment p = purchase(DEBIT_MSISDN, card.id(), "25.50");
        Payment done = awaitFinal(p.id());
        assertThat(done.state()).isEqualTo(PaymentState.COMPLETED);
        assertThat(core.issuers().responseCode(p.id().toString())).contains("00");
        assertThat(account(card).balance()).isEqualByComparingTo(before.subtract(new BigDecimal("25.50")));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(core.ledger().balance(wallet.code())
                .orElseThrow().available()).isEqualByComparingTo(walletBefore.add(new BigDecimal("25.50"))));
        assertThat(core.simulator().inbox(DEBIT_MSISDN)).anyMatch(s -> s.text().contains("****0002 paid 25.5"));

        // A reversal is a core refund: the issuer credits the card account back.
        var refund = core.refunding().refund(new RefundingDeposit.Request(merchant, "reversal-" + p.clientRef(),
                p.clientRef(), null, "cardtest", List.of(), "fp-r"));
        Payment r = ((io.kulipa.payments.InitiatingPayment.Result.Accepted) refund).payment();
        assertThat(awaitFinal(r.id()).state()).isEqualTo(PaymentState.COMPLETED);
        assertThat(account(card).balance()).isEqualByComparingTo(before);
        assertThat(core.ledger().verify()).isEmpty();
    }

    @Test
    void testCardsChooseTheIssuersResponseCode() {
        assertDeclined("27821234567", "0028", "10", "05", FailureCode.OPERATOR_DECLINED);
        assertDeclined("27821234567", "0010", "10.01", "51", FailureCode.INSUFFICIENT_BALANCE);
        assertDeclined("27841234567", "0044", "10", "61", FailureCode.PAYER_LIMIT_REACHED);
        assertDeclined("27811234567", "0051", "10", "91", FailureCode.OPERATOR_UNAVAILABLE);
    }

    @Test
    void anExpiredCardIsRefusedBeforeAnyPayment() {
        Card expired = core.cards().cards("27841234567").stream().filter(c -> c.last4().equals("0036")).findFirst()
                .orElseThrow();
        var result = core.cardPayments().initiate(new InitiatingCardPayment.Purchase(merchant, "cardtest",
                UUID.randomUUID().toString(), "27841234567", expired.id(), Amount.of(BigDecimal.TEN), "Demo", List.of(),
                "fp", null));
        assertThat(result).isEqualTo(new InitiatingCardPayment.Result.Expired(expired));
        assertThat(core.cardPayments().initiate(new InitiatingCardPayment.Purchase(merchant, "cardtest",
                UUID.randomUUID().toString(), "27849999999", null, Amount.of(BigDecimal.TEN), "Demo", List.of(),
                "fp", null))).isEqualTo(new InitiatingCardPayment.Result.NoCard());
    }

    @Test
    void threeWrongPinsLockTheCardAtTheIssuer() {
        String msisdn = "27829990002";
        core.simulator().configure(msisdn, "ZAR", null, null, "manual");
        assertThat(SeedingTestCards.link(core.cards(), core.issuers(), msisdn, "5100000000000016", YearMonth.of(2032, 1),
                "4321", new BigDecimal("100"), BigDecimal.ZERO, null)).isTrue();
        Card card = core.cards().cards(msisdn).getFirst();
        Payment p = purchase(msisdn, card.id(), "5");
        String ref = p.id().toString();
        await().atMost(Duration.ofSeconds(5)).until(() -> !core.issuers().prompts(msisdn).isEmpty());
        assertThat(core.issuers().prompts(msisdn).getFirst().last4()).isEqualTo("0016");
        assertThat(core.issuers().enterPin(msisdn, ref, "0000")).isEqualTo(HandsetAnswer.WRONG_PIN);
        assertThat(core.issuers().enterPin(msisdn, ref, "1111")).isEqualTo(HandsetAnswer.WRONG_PIN);
        assertThat(core.issuers().enterPin(msisdn, ref, "2222")).isEqualTo(HandsetAnswer.PIN_LOCKED);
        Payment failed = awaitFinal(p.id());
        assertThat(failed.failureCode()).isEqualTo(FailureCode.PAYMENT_NOT_APPROVED);
        assertThat(core.issuers().responseCode(ref)).contains("75");
        assertThat(account(card).locked()).isTrue();
        // Locked: even the right PIN is refused now.
        Payment again = purchase(msisdn, card.id(), "5");
        await().atMost(Duration.ofSeconds(5)).until(() -> !core.issuers().prompts(msisdn).isEmpty());
        assertThat(core.issuers().enterPin(msisdn, again.id().toString(), "4321")).isEqualTo(HandsetAnswer.DONE);
        assertThat(core.issuers().responseCode(again.id().toString())).contains("75");

        String pins = gateway.jdbi().withHandle(h -> h.createQuery(
                "SELECT string_agg(pin_hash, ' ') FROM sim_card_account").mapTo(String.class).one());
        assertThat(pins).doesNotContain("4321").doesNotContain("1234");
    }

    private void assertDeclined(String msisdn, String last4, String amount, String code, FailureCode core) {
        Card card = CardWorldTest.core.cards().cards(msisdn).stream().filter(c -> c.last4().equals(last4)).findFirst()
                .orElseThrow();
        Payment failed = awaitFinal(purchase(msisdn, card.id(), amount).id());
        assertThat(failed.state()).isEqualTo(PaymentState.FAILED);
        assertThat(failed.failureCode()).as(code).isEqualTo(core);
        assertThat(CardWorldTest.core.issuers().responseCode(failed.id().toString())).contains(code);
    }

    private static Payment purchase(String msisdn, UUID cardId, String amount) {
        var result = core.cardPayments().initiate(new InitiatingCardPayment.Purchase(merchant, "cardtest",
                UUID.randomUUID().toString(), msisdn, cardId, Amount.of(new BigDecimal(amount)), "Demo Shop", List.of(),
                "fp", null));
        return ((InitiatingCardPayment.Result.Accepted) result).payment();
    }

    private static Payment awaitFinal(UUID id) {
        await().atMost(Duration.ofSeconds(10)).until(() -> core.payments().get(id).orElseThrow().state().isFinal());
        return core.payments().get(id).orElseThrow();
    }

    private static SimCardAccount account(Card card) {
        return core.issuers().account(card.lookupHash()).orElseThrow();
    }

    static {
        assertThat(SimulatedIssuers.CORRESPONDENT).isEqualTo("CARD_ZAF");
    }
}
