package io.cartrescue.processor;

import io.cartrescue.schema.ArbitrationInput;
import io.cartrescue.schema.Candidate;
import io.cartrescue.schema.SessionNotice;
import io.cartrescue.schema.StreamProgress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Arbitration's clock in stream-time mode. Every session-detection task sends its candidates and
 * notices to arbitration in its own order, and the arbitration partition sees those of all tasks
 * interleaved however the tasks happened to run; each task also promises, now and then, that
 * nothing older than a time will come from it ({@link StreamProgress}). This class keeps the
 * inputs that arrived ({@value ArbitrationStores#INPUT_BUFFER}) and the promises
 * ({@value ArbitrationStores#CLOCK}), and hands the inputs back in time order once every task has
 * promised past them. Arbitration thus sees the same inputs in the same order whether the events
 * topic has one partition or many, and whatever the tasks' relative speed: a replay and a live run
 * in stream-time mode agree.
 *
 * <p>Order: by time, then customer key, then session (id and start), then arrival. A session's
 * inputs all come from one task, in the order it produced them, so arrival order is theirs.
 *
 * <p>An input older than what was already handed back (only possible for an event that was late
 * but within the grace period) cannot be put in order any more; {@link #hold} refuses it and the
 * caller handles it at once.
 */
final class StreamTimeOrder {
    private static final String PROCESSED = "processed";
    private static final String ARRIVALS = "arrivals";
    private static final String PARTITION = "partition-";

    private final KeyValueStore<Bytes, ArbitrationInput> buffer;
    private final KeyValueStore<String, Long> clock;

    StreamTimeOrder(final KeyValueStore<Bytes, ArbitrationInput> buffer, final KeyValueStore<String, Long> clock) {
        this.buffer = buffer;
        this.clock = clock;
    }

    /** Keeps the input until the clock passes {@code time}; false when it is already past it. */
    boolean hold(final ArbitrationInput input, final long time) {
        if (time <= processedUpTo()) {
            return false;
        }
        final long arrival = valueOr(ARRIVALS, 0L) + 1;
        clock.put(ARRIVALS, arrival);
        buffer.put(key(input, time, arrival), input);
        return true;
    }

    /**
     * Records a task's promise and returns the clock: the smallest promise over all tasks, or
     * {@link Long#MIN_VALUE} while some task has not promised anything yet.
     */
    long advance(final StreamProgress progress) {
        final String key = PARTITION + progress.getPartition();
        final long upTo = progress.getUpTo().toEpochMilli();
        if (upTo > valueOr(key, Long.MIN_VALUE)) {
            clock.put(key, upTo);
        }
        long min = Long.MAX_VALUE;
        for (int partition = 0; partition < progress.getPartitions(); partition++) {
            min = Math.min(min, valueOr(PARTITION + partition, Long.MIN_VALUE));
        }
        return min;
    }

    /** The time up to which inputs and timers have been handled; {@link Long#MIN_VALUE} at first. */
    long processedUpTo() {
        return valueOr(PROCESSED, Long.MIN_VALUE);
    }

    void processed(final long upTo) {
        clock.put(PROCESSED, upTo);
    }

    /** The earliest input held, if its time is at most {@code upTo}. */
    Optional<KeyValue<Bytes, ArbitrationInput>> first(final long upTo) {
        try (KeyValueIterator<Bytes, ArbitrationInput> all = buffer.all()) {
            if (!all.hasNext()) {
                return Optional.empty();
            }
            final KeyValue<Bytes, ArbitrationInput> first = all.next();
            return timeOf(first.key) <= upTo ? Optional.of(first) : Optional.empty();
        }
    }

    void remove(final Bytes key) {
        buffer.delete(key);
    }

    /** The time of a held input, from its key. */
    static long timeOf(final Bytes key) {
        return ByteBuffer.wrap(key.get(), 0, Long.BYTES).getLong() ^ Long.MIN_VALUE;
    }

    /** The time an input is ordered by: when the candidate was detected or the notice happened. */
    static long timeOf(final ArbitrationInput input) {
        if (input.getBody() instanceof Candidate candidate) {
            return candidate.getDetectedAt().toEpochMilli();
        }
        if (input.getBody() instanceof SessionNotice notice) {
            return notice.getAt().toEpochMilli();
        }
        return ((StreamProgress) input.getBody()).getUpTo().toEpochMilli();
    }

    private static Bytes key(final ArbitrationInput input, final long time, final long arrival) {
        final String session;
        final long started;
        if (input.getBody() instanceof Candidate candidate) {
            session = candidate.getSessionId();
            started = candidate.getSessionStartedAt().toEpochMilli();
        } else {
            final SessionNotice notice = (SessionNotice) input.getBody();
            session = notice.getSessionId();
            started = notice.getSessionStartedAt().toEpochMilli();
        }
        final byte[] customer = input.getCustomerKey().getBytes(StandardCharsets.UTF_8);
        final byte[] sessionId = session.getBytes(StandardCharsets.UTF_8);
        final ByteBuffer key = ByteBuffer.allocate(Long.BYTES + customer.length + 1 + sessionId.length + 1
                + Long.BYTES + Long.BYTES);
        // The sign bit flipped, so that the unsigned byte order of the store is the numeric order.
        key.putLong(time ^ Long.MIN_VALUE).put(customer).put((byte) 0).put(sessionId).put((byte) 0)
                .putLong(started ^ Long.MIN_VALUE).putLong(arrival);
        return Bytes.wrap(key.array());
    }

    private long valueOr(final String key, final long otherwise) {
        final Long value = clock.get(key);
        return value == null ? otherwise : value;
    }
}
