package io.cartrescue.replay;

import io.cartrescue.policy.Policy;
import io.cartrescue.schema.CustomerProfile;
import io.cartrescue.schema.SessionState;
import io.cartrescue.schema.StorefrontEvent;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Runs cart-rescue's topology over recorded events in stream-time mode, for one policy: events go in
 * keyed by session id, as the storefront publishes them, and the interventions, decisions, outcomes
 * and dead letters come out. Two engines give the same outputs for the same input:
 * <ul>
 *   <li>{@link Kind#DIRECT} ({@link DirectReplayEngine}): the topology's processors called in the
 *       topology's order, with their state kept as objects on the heap. The default: several times
 *       faster.</li>
 *   <li>{@link Kind#KAFKA_STREAMS} ({@link ReplayDriver}): the topology inside Kafka Streams' own
 *       stream task, with every record and store value encoded as in production. The reference: the
 *       tests hold the direct engine to it, and a replay falls back on it when the direct engine
 *       cannot go on.</li>
 * </ul>
 */
public interface ReplayEngine extends AutoCloseable {

    /** The two engines. */
    enum Kind {
        DIRECT,
        KAFKA_STREAMS;

        /** A new engine of this kind for {@code policy}. */
        public ReplayEngine create(final Policy policy) {
            return this == DIRECT ? new DirectReplayEngine(policy) : new ReplayDriver(policy);
        }

        /**
         * How this engine wants events handed to {@link #pipe}: encoded as the topology's source reads
         * them, or not at all (null); the function may be called on another thread than the engine's.
         */
        public Function<StorefrontEvent, byte[]> encoder() {
            return this == DIRECT ? event -> null : ReplayDriver.encoder();
        }
    }

    /** The policy this engine runs. */
    Policy policy();

    /** Adds a customer profile to the global profile store, as the compacted topic would. */
    void profile(CustomerProfile profile);

    /**
     * Processes one event, read from {@code line} of the input, with everything that follows from it.
     * {@code encoded} is the event as {@link Kind#encoder()} encoded it (null for the direct engine).
     */
    void pipe(StorefrontEvent event, byte[] encoded, long line);

    /** Processes one event, read from {@code line} of the input. */
    default void pipe(final StorefrontEvent event, final long line) {
        pipe(event, null, line);
    }

    /**
     * Moves stream time past every deadline, so that open sessions settle (stalls, abandonment),
     * held offers are released and every attribution window closes.
     */
    void flushToTheEnd();

    /** Every output collected so far, in stable order; the engine is spent afterwards. */
    ReplayOutputs finish();

    /** Hands every open session's state to {@code action}, in session-id order (for measurements). */
    void forEachOpenSession(BiConsumer<String, SessionState> action);

    /** Events piped so far. */
    long piped();

    @Override
    void close();
}
