package io.cartrescue.processor;

import io.cartrescue.detection.SessionDetector;
import io.cartrescue.metrics.CartRescueMetrics;
import io.cartrescue.policy.Policy;
import io.cartrescue.schema.ArbitrationInput;
import io.cartrescue.schema.Candidate;
import io.cartrescue.schema.SessionNotice;
import io.cartrescue.schema.SessionState;
import io.cartrescue.schema.StorefrontEvent;
import io.cartrescue.schema.StreamProgress;
import io.cartrescue.schema.Trigger;
import io.cartrescue.topology.StoreKind;
import io.cartrescue.topology.TimeMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Session detection: keeps the state of every live session (store {@value #STATE_STORE}, key
 * session id, value {@link SessionState}), applies each event to it, and settles the session's
 * deadlines (stalls, the end of the session) from a timer index (store {@value #TIMER_STORE}, key
 * due time + session id). Forwards candidates and session notices keyed by customer key, for the
 * repartition to arbitration. An event older than the partition's stream time minus the grace
 * period is sent to the dead-letter topic as {@code late}. In live mode stream time counts for this
 * only up to the real clock: a storefront whose clock runs fast (within the skew the validator
 * allows) moves stream time ahead, but cannot make the punctual events of every other session late.
 *
 * <p>In stream-time mode ({@link TimeMode#REPLAY}) each punctuation, once it has settled the due
 * sessions, also sends a {@link StreamProgress} to every arbitration partition: nothing with a time
 * before the partition's stream time will come from this task any more (see
 * {@code StreamTimeOrder}, which puts arbitration's inputs in time order with it).
 *
 * <p>Timers are kept lazily: an event that moves a session's deadline later leaves the earlier
 * timer in place; when it fires the session is looked at, found not yet due, and rescheduled once.
 * So most events write no timer at all.
 */
public final class SessionDetectorProcessor implements Processor<String, StorefrontEvent, String, ArbitrationInput> {
    public static final String STATE_STORE = "session-state";
    public static final String TIMER_STORE = "session-timers";
    /** The node's name in the topology, also the name its punctuations are reported under. */
    public static final String NODE = "session-detector";
    /** At most this many due sessions are settled per punctuation; the rest wait for the next one. */
    static final int MAX_DUE_PER_PUNCTUATION = 10_000;
    /** Key of the stream-time progress records, which go to every arbitration partition whatever their key. */
    public static final String PROGRESS_KEY = "";

    private final SessionDetector detector;
    private final Duration grace;
    private final TimeMode timeMode;
    private final Duration punctuationInterval;
    private final CartRescueMetrics metrics;
    private final int streamPartitions;
    private final LongSupplier clock;
    private long promised = Long.MIN_VALUE;
    private ProcessorContext<String, ArbitrationInput> context;
    private KeyValueStore<String, SessionState> sessions;
    private TimerIndex timers;

    SessionDetectorProcessor(final Policy policy, final TimeMode timeMode, final Duration punctuationInterval) {
        this(policy, timeMode, punctuationInterval, 1, CartRescueMetrics.none());
    }

    SessionDetectorProcessor(final Policy policy, final TimeMode timeMode, final Duration punctuationInterval,
                             final int streamPartitions, final CartRescueMetrics metrics) {
        this(policy, timeMode, punctuationInterval, streamPartitions, metrics, System::currentTimeMillis);
    }

    /** {@code clock} is the real clock lateness is capped at in live mode (the one the validator judges times by). */
    SessionDetectorProcessor(final Policy policy, final TimeMode timeMode, final Duration punctuationInterval,
                             final int streamPartitions, final CartRescueMetrics metrics, final LongSupplier clock) {
        this.clock = clock;
        this.detector = new SessionDetector(policy.detection(), policy.version());
        this.grace = policy.detection().grace();
        this.timeMode = timeMode;
        this.punctuationInterval = punctuationInterval;
        this.metrics = metrics;
        this.streamPartitions = streamPartitions;
    }

    /** The supplier, which also declares the two stores (persistent); records no metrics; one events partition. */
    public static ProcessorSupplier<String, StorefrontEvent, String, ArbitrationInput> supplier(
            final Policy policy, final TimeMode timeMode, final Duration punctuationInterval,
            final Serde<SessionState> stateSerde) {
        return supplier(policy, timeMode, punctuationInterval, 1, stateSerde, CartRescueMetrics.none(),
                StoreKind.PERSISTENT);
    }

    /**
     * The supplier, which also declares the two stores, of {@code storeKind}; its processors report to
     * {@code metrics}. {@code streamPartitions} is the number of events partitions (detection tasks),
     * which stream-time mode tells arbitration with each progress.
     */
    public static ProcessorSupplier<String, StorefrontEvent, String, ArbitrationInput> supplier(
            final Policy policy, final TimeMode timeMode, final Duration punctuationInterval, final int streamPartitions,
            final Serde<SessionState> stateSerde, final CartRescueMetrics metrics, final StoreKind storeKind) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, StorefrontEvent, String, ArbitrationInput> get() {
                return new SessionDetectorProcessor(policy, timeMode, punctuationInterval, streamPartitions, metrics);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(storeKind.keyValue(STATE_STORE, Serdes.String(), stateSerde, true),
                        storeKind.keyValue(TIMER_STORE, Serdes.Bytes(), Serdes.ByteArray(), true));
            }
        };
    }

    @Override
    public void init(final ProcessorContext<String, ArbitrationInput> context) {
        this.context = context;
        this.sessions = context.getStateStore(STATE_STORE);
        final KeyValueStore<Bytes, byte[]> timerStore = context.getStateStore(TIMER_STORE);
        this.timers = new TimerIndex(timerStore);
        final PunctuationType type = timeMode == TimeMode.LIVE ? PunctuationType.WALL_CLOCK_TIME : PunctuationType.STREAM_TIME;
        context.schedule(punctuationInterval, type, this::settleDue);
    }

    @Override
    public void process(final Record<String, StorefrontEvent> record) {
        final StorefrontEvent event = record.value();
        final long streamTime = timeMode == TimeMode.LIVE
                ? Math.min(context.currentStreamTimeMs(), clock.getAsLong())
                : context.currentStreamTimeMs();
        final long eventTime = event.getEventTime().toEpochMilli();
        if (eventTime < streamTime - grace.toMillis()) {
            throw new DeadLetterException("late", "event " + event.getEventId() + " of session " + event.getSessionId()
                    + " happened at " + event.getEventTime() + ", more than " + grace.toSeconds()
                    + " s before stream time " + Instant.ofEpochMilli(streamTime));
        }
        metrics.eventReceived(event.getEventType());
        final SessionState current = sessions.get(event.getSessionId());
        final long indexedDue = current == null ? 0 : current.getDueAt().toEpochMilli();
        final SessionDetector.Step step = detector.onEvent(current, event);
        if (step.changed()) {
            persist(event.getSessionId(), step, indexedDue);
        } else {
            metrics.duplicateIgnored(event.getEventType());
        }
    }

    private void settleDue(final long now) {
        final long started = System.nanoTime();
        final List<TimerIndex.Due> taken = timers.takeDue(now, MAX_DUE_PER_PUNCTUATION);
        for (final TimerIndex.Due due : taken) {
            final SessionState state = sessions.get(due.id());
            if (state == null || state.getDueAt().toEpochMilli() != due.dueAt()) {
                continue;
            }
            persist(due.id(), detector.onTime(state, now), 0);
        }
        if (timeMode == TimeMode.REPLAY && taken.size() < MAX_DUE_PER_PUNCTUATION) {
            promise(now - 1);
        }
        metrics.punctuation(NODE, Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * Tells every arbitration partition that this task has sent all it will send up to {@code upTo}:
     * every due session up to stream time is settled, and a later event (unless late) can only
     * settle deadlines and fire signals at its own time or after, which is at least stream time.
     */
    private void promise(final long upTo) {
        if (upTo <= promised) {
            return;
        }
        promised = upTo;
        final StreamProgress progress = new StreamProgress(context.taskId().partition(), streamPartitions,
                Instant.ofEpochMilli(upTo));
        context.forward(new Record<>(PROGRESS_KEY, new ArbitrationInput(PROGRESS_KEY, progress), upTo));
    }

    /**
     * Writes the step: forwards its outputs, stores or removes the state, and keeps the timer index
     * in line. {@code indexedDue} is the due time under which the session is in the index (0 if not).
     */
    private void persist(final String sessionId, final SessionDetector.Step step, final long indexedDue) {
        forward(step.outputs());
        final SessionState state = step.state();
        if (state == null) {
            if (indexedDue > 0) {
                timers.cancel(indexedDue, sessionId);
            }
            sessions.delete(sessionId);
            return;
        }
        final long wanted = step.nextDueAt();
        if (indexedDue > 0 && indexedDue <= wanted) {
            state.setDueAt(Instant.ofEpochMilli(indexedDue));
        } else {
            if (indexedDue > 0) {
                timers.cancel(indexedDue, sessionId);
            }
            if (wanted != Long.MAX_VALUE) {
                timers.schedule(wanted, sessionId);
            }
            state.setDueAt(Instant.ofEpochMilli(wanted == Long.MAX_VALUE ? 0 : wanted));
        }
        sessions.put(sessionId, state);
    }

    private void forward(final List<ArbitrationInput> outputs) {
        for (int i = 0; i < outputs.size(); i++) {
            final ArbitrationInput output = outputs.get(i);
            if (output.getBody() instanceof Candidate candidate) {
                measure(candidate);
            }
            context.forward(new Record<>(output.getCustomerKey(), output, timestampOf(output)));
        }
    }

    private void measure(final Candidate candidate) {
        metrics.signalFired(candidate.getSignal());
        if (candidate.getTrigger() == Trigger.TIMER && timeMode == TimeMode.LIVE) {
            metrics.detectionLag(Duration.ofMillis(context.currentSystemTimeMs() - candidate.getDetectedAt().toEpochMilli()));
        }
    }

    private static long timestampOf(final ArbitrationInput input) {
        if (input.getBody() instanceof Candidate candidate) {
            return candidate.getDetectedAt().toEpochMilli();
        }
        return ((SessionNotice) input.getBody()).getAt().toEpochMilli();
    }
}
