package io.kulipa.ussd;

import io.kulipa.money.Msisdn;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs USSD sessions in Africa's Talking's callback protocol: dialling a registered code opens a
 * session and calls the application with an empty {@code text}; each input calls it again with
 * every input so far joined by {@code *}; an answer starting {@code CON } shows a screen and waits,
 * {@code END } shows the last one. Anything else, an unreachable application, an over-long
 * screen or too many steps fail the session with a reason meant for the application's developer.
 *
 * <p>Sessions live in the database, so that any node can take the next step; a step is claimed
 * (steps n -> n + 1) before the application is called, so two inputs racing on one session cannot
 * both be sent.
 */
public final class RunningUssdSession {

    /** GSM 02.90 / 03.38: a USSD screen holds at most 182 characters. */
    public static final int SCREEN_MAX_CHARS = 182;
    /** One input is at most a screen's worth of characters. */
    public static final int INPUT_MAX_CHARS = 182;
    /** A session calls its application at most this many times. */
    public static final int STEPS_MAX = 30;
    /** A body longer than this is not a screen; the rest is not read. */
    public static final int BODY_MAX_CHARS = 4_096;
    /** Closed sessions are kept this long for the phone's history and for tests, then deleted. */
    public static final Duration CLOSED_SESSIONS_KEPT = Duration.ofDays(1);
    private static final int CLEANUP_BATCH_MAX = 100;
    private static final int OPEN_SESSIONS_CHECKED_MAX = 5;
    private static final int ECHO_MAX_CHARS = 60;
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * @param sessionTimeout  how long an open session waits for the customer's next input
     * @param callbackTimeout how long the gateway waits for the application's answer to a step
     */
    public record Timing(Duration sessionTimeout, Duration callbackTimeout) {
    }

    /** What a request to the gateway came to. */
    public enum Kind { SHOWN, BAD_REQUEST, NO_APPLICATION, NO_SUCH_SESSION, CLOSED, BUSY }

    /** @param session null unless the kind is SHOWN or CLOSED */
    public record Outcome(Kind kind, UssdSession session, String message) {
        static Outcome refused(Kind kind, String message) {
            return new Outcome(kind, null, message);
        }
    }

    private final UssdStore store;
    private final ApplicationClient client;
    private final NetworkCodes networks;
    private final Timing timing;
    private final Clock clock;

    public RunningUssdSession(UssdStore store, ApplicationClient client, NetworkCodes networks, Timing timing,
                              Clock clock) {
        this.store = store;
        this.client = client;
        this.networks = networks;
        this.timing = timing;
        this.clock = clock;
    }

    public Timing timing() {
        return timing;
    }

    /** Opens a session on the application of the longest registered code the dialled string starts with. */
    public Outcome dial(String msisdn, String dialled) {
        if (!Msisdn.isWellFormed(msisdn)) {
            return Outcome.refused(Kind.BAD_REQUEST,
                    "msisdn: must be digits only with the country code, no '+' and no leading 0");
        }
        Optional<ServiceCode> code = ServiceCode.parse(dialled);
        if (code.isEmpty()) {
            return Outcome.refused(Kind.BAD_REQUEST, "serviceCode: must be a USSD string such as *120*777# "
                    + "(at most " + ServiceCode.DIALLED_MAX_CHARS + " characters)");
        }
        Optional<UssdApplication> app = store.applicationOnAnyOf(code.get().prefixes().stream()
                .map(ServiceCode::toString).toList());
        if (app.isEmpty()) {
            return Outcome.refused(Kind.NO_APPLICATION, "serviceCode: no USSD application is registered on "
                    + code.get() + " or a code it starts with");
        }
        Instant now = clock.instant();
        store.deleteSessionsBefore(now.minus(CLOSED_SESSIONS_KEPT), CLEANUP_BATCH_MAX);
        // A handset has one USSD session at a time: dialling again leaves the previous one.
        for (UssdSession open : store.sessionsOf(msisdn, OPEN_SESSIONS_CHECKED_MAX)) {
            if (open.state() == UssdSession.State.OPEN) {
                store.close(open.id(), open.steps(), UssdSession.State.HUNG_UP, null, now);
            }
        }
        ServiceCode registered = ServiceCode.parse(app.get().serviceCode()).orElseThrow();
        UssdSession session = new UssdSession(newSessionId(), app.get().id(), registered.toString(), msisdn,
                networks.of(msisdn), UssdSession.State.OPEN, List.of(), 0, null, null, now, now);
        store.insert(session);
        return step(session, code.get().after(registered), app.get());
    }

    /** Sends the customer's input to the application and shows its answer. */
    public Outcome respond(String sessionId, String input) {
        if (input == null || input.length() > INPUT_MAX_CHARS || input.chars().anyMatch(Character::isISOControl)) {
            return Outcome.refused(Kind.BAD_REQUEST, "input: is required, at most " + INPUT_MAX_CHARS
                    + " characters without control characters");
        }
        Optional<UssdSession> found = store.session(sessionId == null ? "" : sessionId);
        if (found.isEmpty()) {
            return Outcome.refused(Kind.NO_SUCH_SESSION, "sessionId: no USSD session has this id");
        }
        UssdSession s = found.get();
        Outcome closed = closedOrTimedOut(s);
        if (closed != null) {
            return closed;
        }
        Optional<UssdApplication> app = store.application(s.applicationId());
        if (app.isEmpty()) {
            return Outcome.refused(Kind.NO_SUCH_SESSION, "sessionId: the application of this session was removed");
        }
        List<String> inputs = new ArrayList<>(s.inputs());
        inputs.add(input);
        return step(s, inputs, app.get());
    }

    /** The customer presses cancel: the session closes, the application is not called (as on a network). */
    public Outcome hangUp(String sessionId) {
        Optional<UssdSession> found = store.session(sessionId == null ? "" : sessionId);
        if (found.isEmpty()) {
            return Outcome.refused(Kind.NO_SUCH_SESSION, "sessionId: no USSD session has this id");
        }
        Outcome closed = closedOrTimedOut(found.get());
        if (closed != null) {
            return closed;
        }
        store.close(sessionId, found.get().steps(), UssdSession.State.HUNG_UP, null, clock.instant());
        return new Outcome(Kind.SHOWN, store.session(sessionId).orElseThrow(), null);
    }

    /** A session as it stands now: an open one past its time-out reads as TIMED_OUT. */
    public Optional<UssdSession> find(String sessionId) {
        return store.session(sessionId == null ? "" : sessionId).map(this::current);
    }

    public List<UssdSession> sessionsOf(String msisdn, int limit) {
        return store.sessionsOf(msisdn, limit).stream().map(this::current).toList();
    }

    private UssdSession current(UssdSession s) {
        UssdSession.State now = s.stateAt(clock.instant(), timing.sessionTimeout());
        return now == s.state() ? s : new UssdSession(s.id(), s.applicationId(), s.serviceCode(), s.msisdn(),
                s.networkCode(), now, List.of(), s.steps(), s.screen(), timedOutMessage(), s.created(), s.updated());
    }

    /** Null when the session takes input; otherwise the CLOSED outcome, writing a time-out that is due. */
    private Outcome closedOrTimedOut(UssdSession s) {
        if (s.state() == UssdSession.State.OPEN
                && s.stateAt(clock.instant(), timing.sessionTimeout()) == UssdSession.State.TIMED_OUT) {
            store.close(s.id(), s.steps(), UssdSession.State.TIMED_OUT, timedOutMessage(), clock.instant());
            s = store.session(s.id()).orElseThrow();
        }
        if (s.state() != UssdSession.State.OPEN) {
            return new Outcome(Kind.CLOSED, s, "sessionId: the session is " + s.state() + "; dial again");
        }
        return null;
    }

    private String timedOutMessage() {
        return "no input within the session time-out of " + timing.sessionTimeout().toSeconds() + " s";
    }

    private Outcome step(UssdSession s, List<String> inputs, UssdApplication app) {
        Instant now = clock.instant();
        if (s.steps() >= STEPS_MAX) {
            store.close(s.id(), s.steps(), UssdSession.State.FAILED,
                    "the session reached the bound of " + STEPS_MAX + " steps", now);
            return new Outcome(Kind.CLOSED, store.session(s.id()).orElseThrow(), "the session reached its bound of "
                    + STEPS_MAX + " steps");
        }
        if (!store.claimStep(s.id(), s.steps(), inputs, now)) {
            return Outcome.refused(Kind.BUSY, "sessionId: another input of this session is being answered; "
                    + "wait for its screen");
        }
        int step = s.steps() + 1;
        ApplicationClient.Reply reply = client.post(app.callbackUrl(), form(s, inputs), timing.callbackTimeout(),
                BODY_MAX_CHARS);
        Screen screen = screen(reply, app.callbackUrl());
        store.finishStep(s.id(), step, screen.state, screen.text, screen.error, clock.instant());
        return new Outcome(Kind.SHOWN, store.session(s.id()).orElseThrow(), null);
    }

    /** The form of one step, field names and order as Africa's Talking sends them. */
    private static Map<String, String> form(UssdSession s, List<String> inputs) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("sessionId", s.id());
        form.put("serviceCode", s.serviceCode());
        form.put("phoneNumber", "+" + s.msisdn());
        form.put("networkCode", s.networkCode());
        form.put("text", String.join("*", inputs));
        return form;
    }

    record Screen(UssdSession.State state, String text, String error) {
        static Screen failed(String error) {
            return new Screen(UssdSession.State.FAILED, null, error);
        }
    }

    /** Reads an application's answer as a screen, or says what is wrong with it. */
    static Screen screen(ApplicationClient.Reply reply, String url) {
        if (reply instanceof ApplicationClient.Reply.NoAnswer n) {
            return Screen.failed("the application at " + url + " did not answer: " + n.reason());
        }
        ApplicationClient.Reply.Answered a = (ApplicationClient.Reply.Answered) reply;
        if (a.status() < 200 || a.status() > 299) {
            return Screen.failed("the application answered HTTP " + a.status() + " instead of 200 with CON or END");
        }
        if (a.tooLong()) {
            return Screen.failed("the application answered more than " + BODY_MAX_CHARS
                    + " characters; a screen holds at most " + SCREEN_MAX_CHARS);
        }
        String body = a.body().stripLeading();
        UssdSession.State state;
        if (startsWord(body, "CON")) {
            state = UssdSession.State.OPEN;
        } else if (startsWord(body, "END")) {
            state = UssdSession.State.ENDED;
        } else {
            return Screen.failed("the application's answer starts with neither 'CON ' nor 'END ': '"
                    + echo(body) + "'");
        }
        String text = body.substring(3).stripTrailing();
        text = text.startsWith(" ") ? text.substring(1) : text.startsWith("\n") ? text.substring(1) : text;
        if (text.length() > SCREEN_MAX_CHARS) {
            return Screen.failed("the application's screen has " + text.length() + " characters; a USSD screen "
                    + "holds at most " + SCREEN_MAX_CHARS);
        }
        return new Screen(state, text, null);
    }

    private static boolean startsWord(String body, String word) {
        return body.startsWith(word) && (body.length() == word.length() || Character.isWhitespace(body.charAt(3)));
    }

    private static String echo(String body) {
        String one = body.replaceAll("\\p{Cntrl}", " ");
        return one.length() > ECHO_MAX_CHARS ? one.substring(0, ECHO_MAX_CHARS) + "..." : one;
    }

    private static String newSessionId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return "ATUid_" + HexFormat.of().formatHex(b);
    }
}
