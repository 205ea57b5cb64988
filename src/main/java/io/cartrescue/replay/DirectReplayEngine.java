package io.cartrescue.replay;

import io.cartrescue.metrics.CartRescueMetrics;
import io.cartrescue.policy.Policy;
import io.cartrescue.processor.ArbitrationProcessor;
import io.cartrescue.processor.ArbitrationProcessorSupplier;
import io.cartrescue.processor.ArbitrationStores;
import io.cartrescue.processor.DeadLetterException;
import io.cartrescue.processor.DeadLetters;
import io.cartrescue.processor.EventTimeExtractor;
import io.cartrescue.processor.EventValidationProcessor;
import io.cartrescue.processor.SessionDetectorProcessor;
import io.cartrescue.schema.ArbitrationInput;
import io.cartrescue.schema.CustomerProfile;
import io.cartrescue.schema.Decision;
import io.cartrescue.schema.Intervention;
import io.cartrescue.schema.Outcome;
import io.cartrescue.schema.SessionState;
import io.cartrescue.schema.StorefrontEvent;
import io.cartrescue.schema.StreamProgress;
import io.cartrescue.topology.CartRescueTopology;
import io.cartrescue.topology.StoreKind;
import io.cartrescue.topology.TimeMode;
import io.cartrescue.topology.TopicNames;
import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * The replay engine that calls the topology's processors directly: the same processor classes, built
 * by the same suppliers with the same policy and settings as {@link CartRescueTopology} in stream-time
 * mode, wired as its graph wires them, and fed as Kafka Streams' stream task feeds them (see
 * {@link ReplayDriver}, the engine it is held to):
 * <ul>
 *   <li>an event's time is taken as the topology's {@link EventTimeExtractor} takes it; stream time is the
 *       largest record time taken so far;</li>
 *   <li>a record goes through {@code validate-events}, the split by key and {@code session-detector}
 *       in one call chain; what the detector sends to arbitration, and events that must be re-keyed,
 *       wait in queues standing for the two repartition topics, and are processed after the record
 *       that sent them, the queue with the earliest record first;</li>
 *   <li>after each record, stream-time punctuations that are due fire, on the schedule Kafka
 *       Streams keeps (first at the first record, then at multiples of the interval, skipping missed ones);</li>
 *   <li>a {@link DeadLetterException} sends the record to the dead letters with its reason, as the
 *       topology's processing exception handler does, and the call chain goes on above the node that
 *       threw it.</li>
 * </ul>
 * What it leaves out is the work of encoding: events are not encoded, stores keep objects
 * ({@link ObjectStore}), and records crossing a repartition topic or leaving the topology are copied
 * through their Avro encoding, so that no processor sees an object another one still holds.
 *
 * <p>Anything else that goes wrong in a processor (a defect: a processing error, an output that
 * cannot be encoded) would leave state changed half-way in an object store, where a store of bytes
 * keeps the last value written. So the engine stops with {@link CannotContinue} instead, and
 * {@link Replay} runs the input again on the Kafka Streams engine, whose exception handlers know what
 * to do with such a record.
 *
 * <p>The engine checks at start that the topology still has exactly the nodes and stores it wires,
 * and fails naming the difference if a change to the topology has not been brought here.
 */
public final class DirectReplayEngine implements ReplayEngine {
    /** The topology's processor nodes, sources and sinks that this engine runs, by name. */
    static final Set<String> NODES = Set.of("storefront-events", "validate-events", "key-", "key-by-session",
            "key-other", "rekey-by-session", "events-by-session-repartition-filter",
            "events-by-session-repartition-sink", "events-by-session-repartition-source", "session-events",
            SessionDetectorProcessor.NODE, "arbitration-input-repartition-filter", "arbitration-input-repartition-sink",
            "arbitration-input-repartition-source", ArbitrationProcessor.NODE, "route-", "route-chat", "route-marketing",
            "route-onsite", "route-decisions", "route-outcomes", "to-chat", "to-marketing", "to-onsite",
            "to-decisions", "to-outcomes", "customer-profiles-source", "customer-profiles", "chat-capacity-source",
            "chat-capacity");
    /** The stores keyed by bytes; every other store of the topology is keyed by string. */
    private static final Set<String> BYTE_KEYED = Set.of(SessionDetectorProcessor.TIMER_STORE,
            ArbitrationStores.INPUT_BUFFER);
    /** The stores the processors scan in key order; the others they only look up by key. */
    private static final Set<String> SCANNED = Set.of(SessionDetectorProcessor.TIMER_STORE, ArbitrationStores.TIMERS,
            ArbitrationStores.PENDING_HOLDS, ArbitrationStores.INPUT_BUFFER);
    private static final TaskId TASK = new TaskId(0, 0);
    private static final String VALIDATE = "validate-events";
    private static final String DETECT = SessionDetectorProcessor.NODE;
    private static final String ARBITRATE = ArbitrationProcessor.NODE;

    private final Policy policy;
    private final TopicNames topics = TopicNames.defaults();
    private final String bySessionTopic = internalTopic(CartRescueTopology.EVENTS_BY_SESSION);
    private final String arbitrationTopic = internalTopic(CartRescueTopology.ARBITRATION_INPUT);
    private final InMemorySerdes serdes = new InMemorySerdes();
    private final Serde<StorefrontEvent> eventCopy = serdes.valueSerde(StorefrontEvent.class);
    private final Serde<ArbitrationInput> inputCopy = serdes.valueSerde(ArbitrationInput.class);
    private final Serde<Intervention> interventionCopy = serdes.valueSerde(Intervention.class);
    private final Serde<Decision> decisionCopy = serdes.valueSerde(Decision.class);
    private final Serde<Outcome> outcomeCopy = serdes.valueSerde(Outcome.class);
    private final DeadLetters deadLetters = new DeadLetters();
    private final ReplayOutputs outputs = new ReplayOutputs();
    private final Map<String, ObjectStore<?, ?>> stores = new LinkedHashMap<>();
    private final ArrayDeque<Queued<StorefrontEvent>> bySession = new ArrayDeque<>();
    private final ArrayDeque<Queued<ArbitrationInput>> toArbitration = new ArrayDeque<>();
    private final Map<String, Long> nextOffsets = new HashMap<>();
    private final List<Schedule> schedules = new ArrayList<>();
    private final Processor<String, StorefrontEvent, String, StorefrontEvent> validate;
    private final Processor<String, StorefrontEvent, String, ArbitrationInput> detect;
    private final Processor<String, ArbitrationInput, String, SpecificRecord> arbitrate;
    private long[] lineOfOffset = new long[1024];
    private long piped;
    private long maxEventTime = Long.MIN_VALUE;
    private long eventsPartitionTime = -1;
    private long streamTime = -1;
    /** The record being processed, for dead letters and {@link ProcessorContext#recordMetadata()}; null in a punctuation. */
    private Queued<?> current;

    /** A record read from one of the task's topics. */
    private record Queued<V>(String topic, long offset, long timestamp, String key, V value) implements RecordMetadata {
        @Override
        public int partition() {
            return 0;
        }
    }

    /** A stream-time punctuation and the time it is next due. */
    private static final class Schedule {
        private final String node;
        private final long interval;
        private final Punctuator punctuator;
        private long due;
        private boolean cancelled;

        Schedule(final String node, final long interval, final Punctuator punctuator) {
            this.node = node;
            this.interval = interval;
            this.punctuator = punctuator;
        }
    }

    /**
     * Thrown when a processor fails other than with a {@link DeadLetterException}, or an output
     * cannot be encoded: the state may be half-changed, so the replay must start again on the Kafka
     * Streams engine.
     */
    public static final class CannotContinue extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CannotContinue(final String message, final Throwable cause) {
            super(message, cause);
        }
    }

    public DirectReplayEngine(final Policy policy) {
        this.policy = policy;
        final CartRescueTopology.Settings settings = CartRescueTopology.Settings.defaults(TimeMode.REPLAY)
                .withStoreKind(StoreKind.IN_MEMORY);
        checkTopology(settings, policy, serdes);
        final ProcessorSupplier<String, StorefrontEvent, String, ArbitrationInput> detector =
                SessionDetectorProcessor.supplier(policy, settings.timeMode(), settings.punctuationInterval(),
                        settings.streamPartitions(), serdes.valueSerde(SessionState.class), CartRescueMetrics.none(),
                        settings.storeKind());
        final ArbitrationProcessorSupplier arbitration = new ArbitrationProcessorSupplier(policy, settings.timeMode(),
                serdes, CartRescueMetrics.none(), settings.storeKind());
        addStores(detector.stores());
        addStores(arbitration.stores());
        addStore(ArbitrationStores.PROFILES);
        addStore(ArbitrationStores.CHAT_CAPACITY);
        validate = new EventValidationProcessor();
        detect = detector.get();
        arbitrate = arbitration.get();
        validate.init(new Context<>(VALIDATE));
        detect.init(new Context<>(DETECT));
        arbitrate.init(new Context<>(ARBITRATE));
    }

    @Override
    public Policy policy() {
        return policy;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void profile(final CustomerProfile profile) {
        ((ObjectStore<String, CustomerProfile>) stores.get(ArbitrationStores.PROFILES))
                .put(profile.getCustomerId(), profile);
    }

    @Override
    public void pipe(final StorefrontEvent event, final byte[] encoded, final long line) {
        final long time = event.getEventTime().toEpochMilli();
        maxEventTime = Math.max(maxEventTime, time);
        final String topic = topics.events();
        final long offset = piped++;
        if (offset >= lineOfOffset.length) {
            lineOfOffset = Arrays.copyOf(lineOfOffset, (int) Math.max(offset + 1, lineOfOffset.length * 2L));
        }
        lineOfOffset[(int) offset] = line;
        final long timestamp = EventTimeExtractor.timestampOf(event, time, eventsPartitionTime);
        eventsPartitionTime = Math.max(eventsPartitionTime, timestamp);
        deliver(new Queued<>(topic, offset, timestamp, event.getSessionId(), event), validate, VALIDATE);
        afterRecord();
    }

    @Override
    public void flushToTheEnd() {
        if (maxEventTime == Long.MIN_VALUE) {
            return;
        }
        long now = maxEventTime + ReplayDriver.detectionHorizon(policy).toMillis();
        for (int i = 0; i < ReplayDriver.MAX_TICKS; i++) {
            bySession.add(new Queued<>(bySessionTopic, nextOffset(bySessionTopic), now, ReplayDriver.CLOCK,
                    ReplayDriver.clockEvent(now, i)));
            processQueued();
            if (earliestSessionDue() > now) {
                break;
            }
            now += ReplayDriver.TICK.toMillis();
        }
        promise(now + ReplayDriver.arbitrationHorizon(policy).toMillis());
    }

    @Override
    public ReplayOutputs finish() {
        if (maxEventTime != Long.MIN_VALUE) {
            promise(maxEventTime);
        }
        outputs.sort();
        return outputs;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void forEachOpenSession(final BiConsumer<String, SessionState> action) {
        try (KeyValueIterator<String, SessionState> all =
                     ((ObjectStore<String, SessionState>) stores.get(SessionDetectorProcessor.STATE_STORE)).all()) {
            all.forEachRemaining(entry -> action.accept(entry.key, entry.value));
        }
    }

    @Override
    public long piped() {
        return piped;
    }

    @Override
    public void close() {
        stores.values().forEach(ObjectStore::close);
    }

    /** Lets arbitration go up to {@code upTo}, as the one detection task's promise would. */
    private void promise(final long upTo) {
        final StreamProgress progress = new StreamProgress(0, 1, Instant.ofEpochMilli(upTo));
        toArbitration.add(new Queued<>(arbitrationTopic, nextOffset(arbitrationTopic), upTo,
                SessionDetectorProcessor.PROGRESS_KEY, new ArbitrationInput(SessionDetectorProcessor.PROGRESS_KEY, progress)));
        processQueued();
    }

    /** The split after validation: events keyed by their session go on; others through the re-keying topic. */
    private void route(final Record<String, StorefrontEvent> record) {
        if (record.value().getSessionId().equals(record.key())) {
            try {
                detect.process(record);
            } catch (RuntimeException e) {
                failed(DETECT, e);
            }
        } else {
            final String key = record.value().getSessionId();
            bySession.add(new Queued<>(bySessionTopic, nextOffset(bySessionTopic), record.timestamp(), key,
                    copy(eventCopy, bySessionTopic, record.value())));
        }
    }

    private void sendToArbitration(final Record<String, ArbitrationInput> record) {
        toArbitration.add(new Queued<>(arbitrationTopic, nextOffset(arbitrationTopic), record.timestamp(), record.key(),
                copy(inputCopy, arbitrationTopic, record.value())));
    }

    /** Arbitration's outputs, routed as the topology's split routes them to their topics. */
    private void collect(final Record<String, SpecificRecord> record) {
        if (record.value() instanceof Intervention intervention) {
            outputs.add(copy(interventionCopy, topics.onsiteInterventions(), intervention));
        } else if (record.value() instanceof Decision decision) {
            outputs.add(copy(decisionCopy, topics.decisions(), decision));
        } else if (record.value() instanceof Outcome outcome) {
            outputs.add(copy(outcomeCopy, topics.outcomes(), outcome));
        }
    }

    /** Processes the queued records of the repartition topics until none is left, earliest first. */
    private void processQueued() {
        while (!bySession.isEmpty() || !toArbitration.isEmpty()) {
            final boolean session = toArbitration.isEmpty()
                    || !bySession.isEmpty() && bySession.peek().timestamp() < toArbitration.peek().timestamp();
            if (session) {
                deliver(bySession.poll(), detect, DETECT);
            } else {
                deliver(toArbitration.poll(), arbitrate, ARBITRATE);
            }
            punctuate();
        }
    }

    /** Hands {@code record} to {@code processor} (the node {@code node}) as the current record. */
    private <V> void deliver(final Queued<V> record, final Processor<String, V, ?, ?> processor, final String node) {
        take(record);
        try {
            processor.process(new Record<>(record.key(), record.value(), record.timestamp()));
        } catch (RuntimeException e) {
            failed(node, e);
        }
    }

    private void take(final Queued<?> record) {
        current = record;
        streamTime = Math.max(streamTime, record.timestamp());
    }

    private void afterRecord() {
        punctuate();
        processQueued();
    }

    /** Fires the stream-time punctuations that are due, as Kafka Streams' punctuation queue does. */
    private void punctuate() {
        if (streamTime < 0) {
            return;
        }
        current = null;
        while (true) {
            Schedule next = null;
            for (int i = 0; i < schedules.size(); i++) {
                final Schedule schedule = schedules.get(i);
                if (!schedule.cancelled && schedule.due <= streamTime && (next == null || schedule.due < next.due)) {
                    next = schedule;
                }
            }
            if (next == null) {
                return;
            }
            final Schedule firing = next;
            try {
                firing.punctuator.punctuate(streamTime);
            } catch (RuntimeException e) {
                throw new CannotContinue("a punctuation of " + firing.node + " failed at stream time "
                        + Instant.ofEpochMilli(streamTime), e);
            }
            firing.due += ((streamTime - firing.due) / firing.interval + 1) * firing.interval;
        }
    }

    /**
     * What the processing exception handler does when a node fails on the current record: a dead
     * letter for a {@link DeadLetterException}; anything else means the replay cannot go on here.
     */
    private void failed(final String node, final RuntimeException e) {
        if (e instanceof DeadLetterException dead) {
            deadLetter(node, dead);
        } else if (e instanceof CannotContinue cannot) {
            throw cannot;
        } else {
            throw new CannotContinue("node " + node + " failed on the record at " + where(), e);
        }
    }

    private void deadLetter(final String node, final DeadLetterException e) {
        final Queued<?> record = current;
        outputs.add(ReplayDriver.deadLetter(deadLetters.record(topics.deadLetters(), new Origin(node, record),
                e.reason(), e.getMessage()), topics.events(), piped, lineOfOffset));
    }

    private <T> T copy(final Serde<T> serde, final String topic, final T value) {
        try {
            return serde.deserializer().deserialize(topic, serde.serializer().serialize(topic, value));
        } catch (RuntimeException e) {
            throw new CannotContinue("cannot encode a record for " + topic + " made from the record at " + where(), e);
        }
    }

    private String where() {
        return current == null ? "a punctuation" : current.topic() + "-0@" + current.offset();
    }

    private long nextOffset(final String topic) {
        final long offset = nextOffsets.getOrDefault(topic, 0L);
        nextOffsets.put(topic, offset + 1);
        return offset;
    }

    private long earliestSessionDue() {
        @SuppressWarnings("unchecked")
        final ObjectStore<Bytes, byte[]> timers = (ObjectStore<Bytes, byte[]>) stores.get(SessionDetectorProcessor.TIMER_STORE);
        return ReplayDriver.earliestDue(timers);
    }

    private void addStores(final Set<StoreBuilder<?>> builders) {
        builders.forEach(builder -> addStore(builder.name()));
    }

    private void addStore(final String name) {
        final boolean ordered = SCANNED.contains(name);
        stores.put(name, BYTE_KEYED.contains(name) ? ObjectStore.byBytes(name, ordered) : ObjectStore.byString(name, ordered));
    }

    private static String internalTopic(final String name) {
        return ReplayDriver.APPLICATION_ID + "-" + name + "-repartition";
    }

    /** Fails if the topology has nodes or stores this engine does not wire, or lacks some it does. */
    private static void checkTopology(final CartRescueTopology.Settings settings, final Policy policy,
                                      final InMemorySerdes serdes) {
        final Set<String> nodes = new TreeSet<>();
        final Set<String> storeNames = new TreeSet<>();
        final TopologyDescription description = CartRescueTopology.build(settings, policy, serdes).describe();
        for (final TopologyDescription.Subtopology sub : description.subtopologies()) {
            for (final TopologyDescription.Node node : sub.nodes()) {
                nodes.add(node.name());
                if (node instanceof TopologyDescription.Processor processor) {
                    storeNames.addAll(processor.stores());
                }
            }
        }
        for (final TopologyDescription.GlobalStore global : description.globalStores()) {
            nodes.add(global.source().name());
            nodes.add(global.processor().name());
            storeNames.addAll(global.processor().stores());
        }
        final Set<String> expectedStores = new TreeSet<>(List.of(SessionDetectorProcessor.STATE_STORE,
                SessionDetectorProcessor.TIMER_STORE, ArbitrationStores.LEDGER, ArbitrationStores.PENDING_HOLDS,
                ArbitrationStores.TIMERS, ArbitrationStores.INPUT_BUFFER, ArbitrationStores.CLOCK,
                ArbitrationStores.PROFILES, ArbitrationStores.CHAT_CAPACITY));
        if (!nodes.equals(new TreeSet<>(NODES)) || !storeNames.equals(expectedStores)) {
            throw new IllegalStateException("the direct replay engine wires nodes " + new TreeSet<>(NODES) + " and stores "
                    + expectedStores + ", but the topology has nodes " + nodes + " and stores " + storeNames
                    + ": bring DirectReplayEngine in line with CartRescueTopology");
        }
    }

    /** Where a dead letter came from, as the processing exception handler is told. */
    private record Origin(String processorNodeId, Queued<?> record) implements ErrorHandlerContext {
        @Override
        public String topic() {
            return record == null ? null : record.topic();
        }

        @Override
        public int partition() {
            return record == null ? -1 : 0;
        }

        @Override
        public long offset() {
            return record == null ? -1 : record.offset();
        }

        @Override
        public Headers headers() {
            return new RecordHeaders();
        }

        @Override
        public TaskId taskId() {
            return TASK;
        }

        @Override
        public long timestamp() {
            return record == null ? -1 : record.timestamp();
        }

        @Override
        public byte[] sourceRawKey() {
            return null;
        }

        @Override
        public byte[] sourceRawValue() {
            return null;
        }
    }

    /** What a processor of this engine sees of its task. */
    private final class Context<K, V> implements ProcessorContext<K, V> {
        private final String node;

        Context(final String node) {
            this.node = node;
        }

        /** Hands the record to what follows the node in the topology. */
        @Override
        @SuppressWarnings("unchecked")
        public <K1 extends K, V1 extends V> void forward(final Record<K1, V1> record) {
            switch (node) {
                case VALIDATE -> route((Record<String, StorefrontEvent>) record);
                case DETECT -> sendToArbitration((Record<String, ArbitrationInput>) record);
                case ARBITRATE -> collect((Record<String, SpecificRecord>) record);
                default -> throw new IllegalStateException("no node " + node + " in the replay");
            }
        }

        @Override
        public <K1 extends K, V1 extends V> void forward(final Record<K1, V1> record, final String childName) {
            throw new UnsupportedOperationException("forwarding to a named child is not wired in the replay");
        }

        @Override
        public String applicationId() {
            return ReplayDriver.APPLICATION_ID;
        }

        @Override
        public TaskId taskId() {
            return TASK;
        }

        @Override
        public Optional<RecordMetadata> recordMetadata() {
            return Optional.ofNullable(current);
        }

        @Override
        public Serde<?> keySerde() {
            throw new UnsupportedOperationException("keySerde");
        }

        @Override
        public Serde<?> valueSerde() {
            throw new UnsupportedOperationException("valueSerde");
        }

        @Override
        public File stateDir() {
            throw new UnsupportedOperationException("stateDir");
        }

        @Override
        public StreamsMetrics metrics() {
            throw new UnsupportedOperationException("metrics");
        }

        @Override
        @SuppressWarnings("unchecked")
        public <S extends StateStore> S getStateStore(final String name) {
            final StateStore store = stores.get(name);
            if (store == null) {
                throw new IllegalArgumentException("no store " + name + " in the replay");
            }
            return (S) store;
        }

        /** Stream-time punctuations are kept; wall-clock ones never fire in a replay, whose clock stands still. */
        @Override
        public Cancellable schedule(final Duration interval, final PunctuationType type, final Punctuator punctuator) {
            if (type != PunctuationType.STREAM_TIME) {
                return () -> { };
            }
            final Schedule schedule = new Schedule(node, interval.toMillis(), punctuator);
            schedules.add(schedule);
            return () -> schedule.cancelled = true;
        }

        @Override
        public Cancellable schedule(final Instant startTime, final Duration interval, final PunctuationType type,
                                    final Punctuator punctuator) {
            throw new UnsupportedOperationException("punctuations with a start time are not wired in the replay");
        }

        @Override
        public void commit() {
        }

        @Override
        public Map<String, Object> appConfigs() {
            return Map.of();
        }

        @Override
        public Map<String, Object> appConfigsWithPrefix(final String prefix) {
            return Map.of();
        }

        @Override
        public long currentSystemTimeMs() {
            return Instant.EPOCH.toEpochMilli();
        }

        @Override
        public long currentStreamTimeMs() {
            return streamTime;
        }
    }
}
