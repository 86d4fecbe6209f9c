package io.kulipa.dialects.momo;

import io.kulipa.providers.CustomerApprovals;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The operator's side of approvals for use-case tests: it keeps what was pushed to the handsets
 * and lets the test answer for the customer, telling the listener or, to play a lost notice,
 * not. The database under the use cases stays real; only the operator is played by the test.
 */
public final class OperatorApprovals implements CustomerApprovals {

    public static final Duration APPROVAL_WINDOW = Duration.ofMinutes(2);

    private final Map<String, Decision> decisions = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Profile> profiles = new ConcurrentHashMap<>();
    private volatile Listener listener = d -> { };

    @Override
    public void request(Request request) {
        requests.add(request);
        decisions.putIfAbsent(request.reference(),
                new Decision(request.reference(), request.kind(), Status.AWAITING_APPROVAL));
    }

    @Override
    public Optional<Decision> decision(String reference) {
        return Optional.ofNullable(decisions.get(reference));
    }

    @Override
    public Duration approvalWindow() {
        return APPROVAL_WINDOW;
    }

    @Override
    public Profile profile(String msisdn) {
        return profiles.getOrDefault(msisdn, new Profile(msisdn, "Amina", "Mensah", "FEMALE",
                LocalDate.of(1990, 5, 17), "en_GB"));
    }

    public void profile(Profile profile) {
        profiles.put(profile.msisdn(), profile);
    }

    @Override
    public void listen(Listener listener) {
        this.listener = listener;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The customer (or the clock) decides; {@code tell} false plays a notice that never reached the core. */
    public Decision decide(String reference, Status status, boolean tell) {
        Decision d = decisions.computeIfPresent(reference, (ref, old) -> new Decision(ref, old.kind(), status));
        if (d == null) {
            throw new IllegalArgumentException("nothing was asked under " + reference);
        }
        if (tell) {
            listener.onDecision(d);
        }
        return d;
    }
}
