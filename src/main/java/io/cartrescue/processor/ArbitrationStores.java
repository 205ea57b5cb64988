package io.cartrescue.processor;

import io.cartrescue.schema.ArbitrationInput;
import io.cartrescue.schema.ArbitrationTimer;
import io.cartrescue.schema.ChatCapacity;
import io.cartrescue.schema.CustomerLedger;
import io.cartrescue.schema.CustomerProfile;
import io.cartrescue.schema.PendingHold;
import io.cartrescue.schema.TimerKind;
import io.cartrescue.serde.SerdeProvider;
import io.cartrescue.topology.StoreKind;
import java.time.Instant;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * The state stores of arbitration: names, builders and key layouts. All are key-value stores with
 * String keys and Avro values, persistent (RocksDB) in a running application and in memory in a
 * replay ({@link StoreKind}).
 * <ul>
 *   <li>{@value #LEDGER}: key customerKey, value {@link CustomerLedger}: what was decided for the
 *       customer and what the customer did since; the guardrails read it.</li>
 *   <li>{@value #PENDING_HOLDS}: key {@code customerKey|decisionId}, value {@link PendingHold}: decisions
 *       waiting out their hold, found by customer prefix when an order arrives.</li>
 *   <li>{@value #TIMERS}: key {@code dueMillis(15 digits)|kind|decisionId-or-customerKey}, value
 *       {@link ArbitrationTimer}: the timer index, sorted by due time, so a punctuation reads only due entries.</li>
 *   <li>{@value #INPUT_BUFFER}: stream-time mode only: candidates and notices waiting until every
 *       session-detection task has passed their time, key time + customer + session + arrival (see
 *       {@link StreamTimeOrder}); empty in live mode.</li>
 *   <li>{@value #CLOCK}: stream-time mode only: each detection task's progress and how far arbitration
 *       has got; empty in live mode.</li>
 *   <li>{@value #PROFILES} (global): key customerId, value {@link CustomerProfile}.</li>
 *   <li>{@value #CHAT_CAPACITY} (global): key queue, value {@link ChatCapacity}.</li>
 * </ul>
 */
public final class ArbitrationStores {
    public static final String LEDGER = "arbitration-ledger";
    public static final String PENDING_HOLDS = "arbitration-pending-holds";
    public static final String TIMERS = "arbitration-timers";
    public static final String INPUT_BUFFER = "arbitration-input-buffer";
    public static final String CLOCK = "arbitration-clock";
    public static final String PROFILES = "customer-profiles";
    public static final String CHAT_CAPACITY = "chat-capacity";

    private static final String SEPARATOR = "|";
    private static final int DUE_DIGITS = 15;
    private static final String ZEROS = "0".repeat(DUE_DIGITS);

    private ArbitrationStores() {
    }

    public static StoreBuilder<KeyValueStore<String, CustomerLedger>> ledger(final SerdeProvider serdes) {
        return ledger(serdes, StoreKind.PERSISTENT);
    }

    public static StoreBuilder<KeyValueStore<String, CustomerLedger>> ledger(final SerdeProvider serdes, final StoreKind kind) {
        return kind.keyValue(LEDGER, Serdes.String(), serdes.valueSerde(CustomerLedger.class), true);
    }

    public static StoreBuilder<KeyValueStore<String, PendingHold>> pendingHolds(final SerdeProvider serdes) {
        return pendingHolds(serdes, StoreKind.PERSISTENT);
    }

    public static StoreBuilder<KeyValueStore<String, PendingHold>> pendingHolds(final SerdeProvider serdes, final StoreKind kind) {
        return kind.keyValue(PENDING_HOLDS, Serdes.String(), serdes.valueSerde(PendingHold.class), true);
    }

    public static StoreBuilder<KeyValueStore<String, ArbitrationTimer>> timers(final SerdeProvider serdes) {
        return timers(serdes, StoreKind.PERSISTENT);
    }

    public static StoreBuilder<KeyValueStore<String, ArbitrationTimer>> timers(final SerdeProvider serdes, final StoreKind kind) {
        return kind.keyValue(TIMERS, Serdes.String(), serdes.valueSerde(ArbitrationTimer.class), true);
    }

    public static StoreBuilder<KeyValueStore<Bytes, ArbitrationInput>> inputBuffer(final SerdeProvider serdes,
                                                                                  final StoreKind kind) {
        return kind.keyValue(INPUT_BUFFER, Serdes.Bytes(), serdes.valueSerde(ArbitrationInput.class), true);
    }

    public static StoreBuilder<KeyValueStore<String, Long>> clock(final StoreKind kind) {
        return kind.keyValue(CLOCK, Serdes.String(), Serdes.Long(), true);
    }

    /** Global store of customer profiles; restored from the compacted topic, so not logged. */
    public static StoreBuilder<KeyValueStore<String, CustomerProfile>> profiles(final SerdeProvider serdes) {
        return profiles(serdes, StoreKind.PERSISTENT);
    }

    /** Global store of customer profiles; restored from the compacted topic, so not logged. */
    public static StoreBuilder<KeyValueStore<String, CustomerProfile>> profiles(final SerdeProvider serdes, final StoreKind kind) {
        return kind.keyValue(PROFILES, Serdes.String(), serdes.valueSerde(CustomerProfile.class), false);
    }

    /** Global store of chat queue capacity; restored from the compacted topic, so not logged. */
    public static StoreBuilder<KeyValueStore<String, ChatCapacity>> chatCapacity(final SerdeProvider serdes) {
        return chatCapacity(serdes, StoreKind.PERSISTENT);
    }

    /** Global store of chat queue capacity; restored from the compacted topic, so not logged. */
    public static StoreBuilder<KeyValueStore<String, ChatCapacity>> chatCapacity(final SerdeProvider serdes, final StoreKind kind) {
        return kind.keyValue(CHAT_CAPACITY, Serdes.String(), serdes.valueSerde(ChatCapacity.class), false);
    }

    static String holdKey(final String customerKey, final String decisionId) {
        return holdPrefix(customerKey) + decisionId;
    }

    static String holdPrefix(final String customerKey) {
        return customerKey + SEPARATOR;
    }

    static String timerKey(final Instant due, final TimerKind kind, final String id) {
        return dueKey(due) + SEPARATOR + kind.name() + SEPARATOR + id;
    }

    /** The largest timer key due at {@code now}: every key of a due time up to now sorts below it. */
    static String dueUpTo(final Instant now) {
        return dueKey(now) + SEPARATOR + Character.MAX_VALUE;
    }

    /** The due time in milliseconds, zero-padded to 15 digits so that keys sort by time. */
    static String dueKey(final Instant due) {
        final String digits = Long.toString(Math.max(0L, due.toEpochMilli()));
        return digits.length() >= DUE_DIGITS ? digits : ZEROS.substring(digits.length()) + digits;
    }
}
