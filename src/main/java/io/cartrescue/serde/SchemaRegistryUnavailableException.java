package io.cartrescue.serde;

import java.time.Duration;
import org.apache.kafka.common.errors.RetriableException;

/**
 * The schema registry could not be reached, timed out or kept answering with a server error
 * (HTTP 5xx, 408, 429) for the whole retry time configured.
 *
 * <p>It exists to keep an outage apart from bad data: a record whose writer schema cannot be
 * fetched because the registry is down is not a bad record, and must not be dead-lettered or
 * skipped. The caller should stop and try the same record again later. It is a Kafka
 * {@link RetriableException} for that reason, and deliberately not a
 * {@link org.apache.kafka.common.errors.SerializationException} nor a {@link SchemaRegistryException}.
 */
public final class SchemaRegistryUnavailableException extends RetriableException {
    private static final long serialVersionUID = 1L;
    private static final int MAX_CAUSE_DEPTH = 32;

    private final int attempts;
    private final Duration waited;

    SchemaRegistryUnavailableException(final String message, final int attempts, final Duration waited,
                                       final Throwable cause) {
        super(message, cause);
        this.attempts = attempts;
        this.waited = waited;
    }

    /** How many requests were sent before giving up. */
    public int attempts() {
        return attempts;
    }

    /** How long the requests were retried before giving up. */
    public Duration waited() {
        return waited;
    }

    /**
     * Finds a registry outage in the cause chain of an exception, such as the one a Kafka consumer or
     * Kafka Streams wraps around a deserializer's exception.
     */
    public static boolean isCauseOf(final Throwable exception) {
        Throwable current = exception;
        for (int depth = 0; current != null && depth < MAX_CAUSE_DEPTH; depth++) {
            if (current instanceof SchemaRegistryUnavailableException) {
                return true;
            }
            current = current.getCause();
        }
        return false;
    }
}
