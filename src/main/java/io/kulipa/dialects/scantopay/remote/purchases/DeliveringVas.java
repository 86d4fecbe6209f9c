package io.kulipa.dialects.scantopay.remote.purchases;

import io.kulipa.dialects.Installation;
import io.kulipa.logging.Failures;
import io.kulipa.outbox.PollingLoop;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a VAS purchase once its card payment completed: airtime is credited to the
 * destination MSISDN's simulated handset (its airtime balance, with an SMS), any other product
 * (prepaid electricity) is a 20-digit token sent by SMS to the wallet's MSISDN. One delivery per
 * purchase, whichever node sweeps first (the delivery row's primary key).
 */
public final class DeliveringVas implements Installation.Background {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveringVas.class);
    public static final Duration PERIOD = Duration.ofSeconds(1);
    public static final int BATCH_MAX = 100;
    public static final String SENDER = "SCANTOPAY_VAS";
    /** The input naming the handset airtime goes to. */
    public static final String DESTINATION_INPUT = "msisdn";
    public static final String METER_INPUT = "meterNumber";
    static final int TOKEN_DIGITS = 20;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final PollingLoop loop;

    /** @param sms sends a text to a handset's inbox (the simulator's) */
    public DeliveringVas(RemoteTransactionStore store, BiConsumer<String, String> sms, Clock clock) {
        this.loop = new PollingLoop("scantopay-remote-vas", PERIOD, () -> {
            try {
                int done = 0;
                for (RemoteTransaction t : store.undelivered(BATCH_MAX)) {
                    if (deliver(store, sms, clock, t)) {
                        done++;
                    }
                }
                return done;
            } catch (RuntimeException e) {
                LOG.warn("the VAS delivery failed; trying again: {}", Failures.describe(e));
                return 0;
            }
        });
    }

    private static boolean deliver(RemoteTransactionStore store, BiConsumer<String, String> sms, Clock clock,
                                   RemoteTransaction t) {
        var inputs = read(t.inputs());
        BigDecimal amount = t.amount();
        boolean airtime = t.vasProduct().startsWith("AIRTIME");
        String destination = airtime ? inputs.path(DESTINATION_INPUT).asText(t.msisdn()) : t.msisdn();
        String token = airtime ? null : token();
        if (!store.deliver(t.transactionId(), t.vasProduct(), airtime ? "AIRTIME" : "TOKEN", destination, amount, token,
                clock.instant())) {
            return false;
        }
        String rand = "R" + RemoteStates.rand(amount);
        sms.accept(destination, airtime ? rand + " airtime (" + t.vasProduct() + ") credited to " + destination
                + ". Airtime balance R" + RemoteStates.rand(store.airtime(destination)) + ". Ref " + t.transactionId() + "."
                : rand + " " + t.vasProduct() + " for meter " + inputs.path(METER_INPUT).asText("") + ": token "
                + token + ". Ref " + t.transactionId() + ".");
        return true;
    }

    private static com.fasterxml.jackson.databind.JsonNode read(String json) {
        try {
            return JSON.readTree(json == null ? "{}" : json);
        } catch (java.io.IOException e) {
            return JSON.createObjectNode();
        }
    }

    static String token() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < TOKEN_DIGITS; i++) {
            b.append(RANDOM.nextInt(10));
        }
        return b.toString();
    }

    @Override
    public void start() {
        loop.start();
    }

    @Override
    public void close() {
        loop.close();
    }
}
