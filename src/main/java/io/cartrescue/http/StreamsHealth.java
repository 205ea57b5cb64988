package io.cartrescue.http;

import org.apache.kafka.streams.KafkaStreams;

/**
 * Liveness and readiness of one instance, from the Kafka Streams state transitions it is told
 * about. Ready means RUNNING: processing with its tasks assigned. Live means the instance can still
 * recover by itself: anything but a failure (ERROR, or PENDING_ERROR on the way there, or a
 * NOT_RUNNING reached after one). A NOT_RUNNING after a deliberate close is still live, so that a
 * slow, orderly shutdown is not cut short by a restart.
 */
public final class StreamsHealth implements KafkaStreams.StateListener {
    private volatile KafkaStreams.State state = KafkaStreams.State.CREATED;
    private volatile boolean failed;

    @Override
    public void onChange(final KafkaStreams.State newState, final KafkaStreams.State oldState) {
        if (newState == KafkaStreams.State.PENDING_ERROR || newState == KafkaStreams.State.ERROR) {
            failed = true;
        }
        state = newState;
    }

    /** The last state seen. */
    public KafkaStreams.State state() {
        return state;
    }

    /** 200 unless Kafka Streams failed; the state in the body. */
    public Reply liveness() {
        final KafkaStreams.State current = state;
        final boolean live = !failed && current != KafkaStreams.State.ERROR;
        return Reply.json(live ? 200 : 503, "{\"live\":" + live + ",\"state\":\"" + current + "\"}");
    }

    /** 200 in RUNNING, 503 otherwise; the state in the body. */
    public Reply readiness() {
        final KafkaStreams.State current = state;
        final boolean ready = current == KafkaStreams.State.RUNNING;
        return Reply.json(ready ? 200 : 503, "{\"ready\":" + ready + ",\"state\":\"" + current + "\"}");
    }
}
