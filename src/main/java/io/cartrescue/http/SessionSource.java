package io.cartrescue.http;

/** Answers {@code GET /sessions/{id}}; an interface so that routing is tested without Kafka Streams. */
@FunctionalInterface
public interface SessionSource {

    /**
     * The session's JSON, 404 when no live session has this id, 503 while its owner is not known.
     *
     * @param sessionId the session id, decoded from the path
     * @param forwarded true when another instance forwarded the request here: answer, never forward again
     */
    Reply find(String sessionId, boolean forwarded);
}
