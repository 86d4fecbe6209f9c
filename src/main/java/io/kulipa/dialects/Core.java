package io.kulipa.dialects;

import io.kulipa.Settings;
import io.kulipa.callbacks.UrlGuard;
import io.kulipa.ledger.LedgerStore;
import io.kulipa.outbox.WorkHandOff;
import io.kulipa.payments.CancellingEnqueuedPayout;
import io.kulipa.payments.InitiatingPayment;
import io.kulipa.payments.MerchantStore;
import io.kulipa.payments.OnboardingMerchant;
import io.kulipa.payments.PaymentStore;
import io.kulipa.payments.RefundingDeposit;
import io.kulipa.payments.ResendingCallback;
import io.kulipa.payments.ValidatingPaymentRequest;
import io.kulipa.providers.AvailabilityBoard;
import io.kulipa.providers.Catalog;
import io.kulipa.providers.Connectors;
import io.kulipa.providers.simulator.SimulatedOperators;
import io.kulipa.store.CallbackOutbox;
import io.kulipa.store.Database;
import io.kulipa.web.AdminGuard;
import io.kulipa.web.Authenticator;
import java.time.Clock;

/**
 * The core as a dialect sees it while it is installed: built once by {@code Kulipa.java} and
 * shared by every dialect, so no dialect builds a core object of its own.
 *
 * @param operators  the operators' correspondents (pawaPay's 32), for a provider surface that
 *                   lists only real operators
 * @param catalog    the operators plus what dialects added (MoMo's sandbox), for payments
 * @param database   for a dialect's own stores only (its {@code store} folder); everything else
 *                   goes through the core's ports
 * @param merchantTokens the merchants' bearer tokens (pawaPay's authentication, the ops pages)
 * @param callbackOutbox for a dialect's own stores: adds a subject's callback to the outbox in the
 *                   transaction of its state change
 * @param admin    the admin bearer token check, for a dialect's own operations endpoints
 * @param cards    the card vault (PAN encrypted, keyed lookup hash, BIN + last four)
 * @param issuers  the simulated issuing banks, connector of the card correspondent CARD_ZAF
 * @param cardPayments a card purchase as a core deposit on CARD_ZAF
 */
public record Core(Settings settings, Clock clock, Database database, Catalog operators, Catalog catalog,
                   PaymentStore payments, MerchantStore merchants, OnboardingMerchant onboarding,
                   Authenticator merchantTokens, InitiatingPayment initiating, RefundingDeposit refunding,
                   CancellingEnqueuedPayout cancellingPayout, ResendingCallback resending,
                   ValidatingPaymentRequest validating, AvailabilityBoard availability, LedgerStore ledger,
                   Connectors connectors, SimulatedOperators simulator, UrlGuard guard,
                   CallbackOutbox callbackOutbox, WorkHandOff handOff, AdminGuard admin,
                   io.kulipa.signatures.VerifyingSignedRequest signedRequests,
                   io.kulipa.cards.CardVault cards, io.kulipa.providers.simulator.SimulatedIssuers issuers,
                   io.kulipa.cards.InitiatingCardPayment cardPayments) {

    public boolean sandbox() {
        return settings.sandbox();
    }
}
