package io.cartrescue.processor;

import java.util.Optional;
import org.apache.kafka.common.errors.RetriableException;

/** Looks through an exception's chain of causes, as the error handlers must: Kafka Streams wraps what a processor threw. */
public final class Causes {
    private Causes() {
    }

    /** The first exception of {@code type} in the chain of {@code failure}, itself included. */
    public static <T extends Throwable> Optional<T> find(final Throwable failure, final Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }

    /** An outage (the schema registry or the cluster unreachable for now): not the record's fault, to be retried. */
    public static boolean isOutage(final Throwable failure) {
        return find(failure, RetriableException.class).isPresent();
    }
}
