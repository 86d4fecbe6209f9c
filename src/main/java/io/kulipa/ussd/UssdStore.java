package io.kulipa.ussd;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Where the gateway keeps applications and sessions (store.JdbiUssdStore). */
public interface UssdStore {

    /** False when the service code is taken already. */
    boolean insert(UssdApplication application);

    Optional<UssdApplication> application(UUID id);

    /** The application registered on any of these codes; the first of the list that has one wins. */
    Optional<UssdApplication> applicationOnAnyOf(List<String> serviceCodes);

    List<UssdApplication> applications(int limit);

    /** Points an application at another callback URL; false when there is none of this id. */
    boolean updateCallbackUrl(UUID id, String callbackUrl);

    /** False when there was none; its sessions go with it. */
    boolean deleteApplication(UUID id);

    /** Whether a merchant of this id exists, for an application that names one. */
    boolean merchantExists(UUID merchantId);

    void insert(UssdSession session);

    Optional<UssdSession> session(String id);

    /** The number's sessions, newest first. */
    List<UssdSession> sessionsOf(String msisdn, int limit);

    /**
     * Claims the next step of an open session: moves steps from {@code seenSteps} to
     * {@code seenSteps + 1} and stores the inputs the application will be called with. False when
     * another step claimed it first or the session is no longer open.
     */
    boolean claimStep(String id, int seenSteps, List<String> inputs, Instant at);

    /** Writes what the application answered to the step claimed; closing states erase the inputs. */
    void finishStep(String id, int step, UssdSession.State state, String screen, String error, Instant at);

    /** Closes an open session (time-out, hang-up) unless a step moved it since; false when nothing changed. */
    boolean close(String id, int seenSteps, UssdSession.State state, String error, Instant at);

    /** Deletes at most {@code limit} sessions last touched before {@code before}; how many. */
    int deleteSessionsBefore(Instant before, int limit);
}
