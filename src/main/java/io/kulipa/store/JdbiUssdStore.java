package io.kulipa.store;

import io.kulipa.ussd.UssdApplication;
import io.kulipa.ussd.UssdSession;
import io.kulipa.ussd.UssdStore;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** The {@code ussd_application} and {@code ussd_session} tables (V37). */
public final class JdbiUssdStore implements UssdStore {

    private static final String APP_COLUMNS = "id, service_code, callback_url, name, merchant_id, created_at";
    private static final String SESSION_COLUMNS = "session_id, application_id, service_code, msisdn, network_code, "
            + "state, inputs, steps, screen, error, created_at, updated_at";

    private final Jdbi jdbi;

    public JdbiUssdStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public boolean insert(UssdApplication a) {
        return jdbi.withHandle(h -> h.createUpdate("INSERT INTO ussd_application (" + APP_COLUMNS + ") "
                        + "VALUES (:id, :code, :url, :name, :merchant, :created) ON CONFLICT (service_code) DO NOTHING")
                .bind("id", a.id()).bind("code", a.serviceCode()).bind("url", a.callbackUrl())
                .bind("name", a.name()).bind("merchant", a.merchantId())
                .bind("created", Timestamp.from(a.created())).execute()) == 1;
    }

    @Override
    public Optional<UssdApplication> application(UUID id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + APP_COLUMNS + " FROM ussd_application WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> app(rs)).findOne());
    }

    @Override
    public Optional<UssdApplication> applicationOnAnyOf(List<String> serviceCodes) {
        if (serviceCodes.isEmpty()) {
            return Optional.empty();
        }
        List<UssdApplication> found = jdbi.withHandle(h -> h.createQuery("SELECT " + APP_COLUMNS
                        + " FROM ussd_application WHERE service_code IN (<codes>)")
                .bindList("codes", serviceCodes).map((rs, ctx) -> app(rs)).list());
        return serviceCodes.stream().flatMap(c -> found.stream().filter(a -> a.serviceCode().equals(c))).findFirst();
    }

    @Override
    public List<UssdApplication> applications(int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + APP_COLUMNS
                        + " FROM ussd_application ORDER BY service_code LIMIT :limit")
                .bind("limit", limit).map((rs, ctx) -> app(rs)).list());
    }

    @Override
    public boolean updateCallbackUrl(UUID id, String callbackUrl) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE ussd_application SET callback_url = :url WHERE id = :id")
                .bind("id", id).bind("url", callbackUrl).execute()) == 1;
    }

    @Override
    public boolean deleteApplication(UUID id) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM ussd_application WHERE id = :id")
                .bind("id", id).execute()) == 1;
    }

    @Override
    public boolean merchantExists(UUID merchantId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM merchant WHERE id = :id")
                .bind("id", merchantId).mapTo(Long.class).one()) > 0;
    }

    @Override
    public void insert(UssdSession s) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO ussd_session (" + SESSION_COLUMNS + ") VALUES (:id, :app, "
                        + ":code, :msisdn, :network, :state, :inputs, :steps, :screen, :error, :created, :updated)")
                .bind("id", s.id()).bind("app", s.applicationId()).bind("code", s.serviceCode())
                .bind("msisdn", s.msisdn()).bind("network", s.networkCode()).bind("state", s.state().name())
                .bindArray("inputs", String.class, s.inputs()).bind("steps", s.steps())
                .bind("screen", s.screen()).bind("error", s.error())
                .bind("created", Timestamp.from(s.created())).bind("updated", Timestamp.from(s.updated()))
                .execute());
    }

    @Override
    public Optional<UssdSession> session(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + SESSION_COLUMNS
                        + " FROM ussd_session WHERE session_id = :id")
                .bind("id", id).map((rs, ctx) -> session(rs)).findOne());
    }

    @Override
    public List<UssdSession> sessionsOf(String msisdn, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + SESSION_COLUMNS
                        + " FROM ussd_session WHERE msisdn = :msisdn ORDER BY created_at DESC LIMIT :limit")
                .bind("msisdn", msisdn).bind("limit", limit).map((rs, ctx) -> session(rs)).list());
    }

    @Override
    public boolean claimStep(String id, int seenSteps, List<String> inputs, Instant at) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE ussd_session SET steps = steps + 1, inputs = :inputs, "
                        + "updated_at = :at WHERE session_id = :id AND steps = :seen AND state = 'OPEN'")
                .bind("id", id).bind("seen", seenSteps).bindArray("inputs", String.class, inputs)
                .bind("at", Timestamp.from(at)).execute()) == 1;
    }

    @Override
    public void finishStep(String id, int step, UssdSession.State state, String screen, String error, Instant at) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE ussd_session SET state = :state, screen = :screen, error = :error, "
                        + "inputs = CASE WHEN :state = 'OPEN' THEN inputs ELSE '{}' END, updated_at = :at "
                        + "WHERE session_id = :id AND steps = :step AND state = 'OPEN'")
                .bind("id", id).bind("step", step).bind("state", state.name()).bind("screen", screen)
                .bind("error", error).bind("at", Timestamp.from(at)).execute());
    }

    @Override
    public boolean close(String id, int seenSteps, UssdSession.State state, String error, Instant at) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE ussd_session SET state = :state, error = :error, "
                        + "inputs = '{}', updated_at = :at WHERE session_id = :id AND steps = :seen AND state = 'OPEN'")
                .bind("id", id).bind("seen", seenSteps).bind("state", state.name()).bind("error", error)
                .bind("at", Timestamp.from(at)).execute()) == 1;
    }

    @Override
    public int deleteSessionsBefore(Instant before, int limit) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM ussd_session WHERE session_id IN ("
                        + "SELECT session_id FROM ussd_session WHERE updated_at < :before LIMIT :limit)")
                .bind("before", Timestamp.from(before)).bind("limit", limit).execute());
    }

    private static UssdApplication app(ResultSet rs) throws SQLException {
        return new UssdApplication(rs.getObject("id", UUID.class), rs.getString("service_code"),
                rs.getString("callback_url"), rs.getString("name"), rs.getObject("merchant_id", UUID.class),
                rs.getTimestamp("created_at").toInstant());
    }

    private static UssdSession session(ResultSet rs) throws SQLException {
        Array inputs = rs.getArray("inputs");
        List<String> values = inputs == null ? List.of() : Arrays.asList((String[]) inputs.getArray());
        return new UssdSession(rs.getString("session_id"), rs.getObject("application_id", UUID.class),
                rs.getString("service_code"), rs.getString("msisdn"), rs.getString("network_code"),
                UssdSession.State.valueOf(rs.getString("state")), values, rs.getInt("steps"), rs.getString("screen"),
                rs.getString("error"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
