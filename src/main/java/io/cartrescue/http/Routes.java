package io.cartrescue.http;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Which endpoint answers which request: the whole HTTP surface of an instance, as a plain function
 * of method and path. Only GET is served.
 */
public final class Routes {
    /** Path of the liveness probe. */
    public static final String LIVE = "/health/live";
    /** Path of the readiness probe. */
    public static final String READY = "/health/ready";
    /** Path of the Prometheus scrape. */
    public static final String METRICS = "/metrics";
    /** Prefix of session look-ups: {@code /sessions/{sessionId}}. */
    public static final String SESSIONS = "/sessions/";
    /** Content type of the Prometheus text exposition format. */
    public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    /** Longest session id accepted, as in event validation; a longer one cannot name a session. */
    static final int MAX_SESSION_ID_LENGTH = 256;

    private final StreamsHealth health;
    private final Supplier<String> metrics;
    private final SessionSource sessions;

    public Routes(final StreamsHealth health, final Supplier<String> metrics, final SessionSource sessions) {
        this.health = Objects.requireNonNull(health, "health");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
    }

    /**
     * The answer to a request.
     *
     * @param method    the HTTP method
     * @param path      the decoded path, without query
     * @param forwarded whether another instance forwarded a session look-up here
     */
    public Reply answer(final String method, final String path, final boolean forwarded) {
        if (!"GET".equals(method)) {
            return Reply.error(405, "only GET is served");
        }
        switch (path) {
            case LIVE:
                return health.liveness();
            case READY:
                return health.readiness();
            case METRICS:
                return new Reply(200, PROMETHEUS_TEXT, metrics.get());
            default:
                break;
        }
        if (path.startsWith(SESSIONS)) {
            final String sessionId = path.substring(SESSIONS.length());
            if (sessionId.isEmpty() || sessionId.length() > MAX_SESSION_ID_LENGTH || sessionId.contains("/")) {
                return Reply.error(404, "no live session with this id");
            }
            return sessions.find(sessionId, forwarded);
        }
        return Reply.error(404, "not found: the endpoints are " + LIVE + ", " + READY + ", " + METRICS + " and "
                + SESSIONS + "{sessionId}");
    }
}
