package io.kulipa.logging;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * What a log line may say about a failure: the classes of the exception and its causes, never
 * their messages. A JDBI or PostgreSQL exception's message can carry a statement's bound values
 * (MSISDNs, metadata marked isPII, names) and a parser's message can quote request data, so no
 * message is ever written; the class chain and where it was thrown are enough to find the cause.
 */
public final class Failures {

    /** Causes followed at most; a chain longer than this is cut, never walked forever. */
    public static final int MAX_CAUSES = 8;
    private static final String OWN_CODE = "io.kulipa.";

    private Failures() {
    }

    /**
     * The class chain, outermost first, and the first frame of Kulipa's own code, for example
     * {@code UnableToExecuteStatementException <- PSQLException at io.kulipa.store.JdbiPaymentStore.insert:120}.
     */
    public static String describe(Throwable failure) {
        if (failure == null) {
            return "no exception";
        }
        StringJoiner chain = new StringJoiner(" <- ");
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        Throwable t = failure;
        for (int i = 0; t != null && i < MAX_CAUSES && seen.put(t, Boolean.TRUE) == null; i++) {
            chain.add(t.getClass().getSimpleName());
            t = t.getCause();
        }
        return chain + ownFrame(failure);
    }

    private static String ownFrame(Throwable failure) {
        for (StackTraceElement frame : failure.getStackTrace()) {
            if (frame.getClassName().startsWith(OWN_CODE)) {
                return " at " + frame.getClassName() + "." + frame.getMethodName() + ":" + frame.getLineNumber();
            }
        }
        return "";
    }
}
