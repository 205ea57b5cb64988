package io.cartrescue.replay;

import io.cartrescue.policy.Policy;
import io.cartrescue.processor.DeadLetters;
import io.cartrescue.processor.SessionDetectorProcessor;
import io.cartrescue.schema.ArbitrationInput;
import io.cartrescue.schema.CustomerProfile;
import io.cartrescue.schema.Decision;
import io.cartrescue.schema.EventType;
import io.cartrescue.schema.Intervention;
import io.cartrescue.schema.Outcome;
import io.cartrescue.schema.SessionState;
import io.cartrescue.schema.StorefrontEvent;
import io.cartrescue.schema.StreamProgress;
import io.cartrescue.topology.CartRescueTopology;
import io.cartrescue.topology.StoreKind;
import io.cartrescue.topology.StreamsProperties;
import io.cartrescue.topology.TimeMode;
import io.cartrescue.topology.TopicNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Runs the production topology ({@link CartRescueTopology}) in stream-time mode inside a
 * {@link TopologyTestDriver}: one thread, no broker, every timer fired on stream time, so the same
 * input gives the same output however fast it is read. The stores are kept in memory with no
 * changelog ({@link StoreKind#IN_MEMORY}), and records go through the driver's stream task with a
 * commit every few thousand records rather than after each ({@link StreamTaskLoop}); neither changes
 * what the processors see or decide. Events go in keyed by session id, as the storefront publishes
 * them; the records written to the intervention, decision, outcome and dead-letter topics are
 * collected. A dead letter from the events topic is traced back to its input line by its offset,
 * which is the index of the event among those piped in.
 */
public final class ReplayDriver implements ReplayEngine {
    static final String APPLICATION_ID = "cart-rescue-replay";
    /** Session, anonymous and customer id of the clock records that move stream time at the end. */
    static final String CLOCK = "cart-rescue.replay.clock";
    /** How far stream time moves with each clock record at the end. */
    static final Duration TICK = Duration.ofSeconds(1);
    /** Clock records at most at the end. */
    static final int MAX_TICKS = 100_000;

    private final TopicNames topics = TopicNames.defaults();
    private final Policy policy;
    private final Path stateDir;
    private final TopologyTestDriver driver;
    private final StreamTaskLoop loop;
    private final InMemorySerdes serdes = new InMemorySerdes();
    private final Serializer<String> keys = Serdes.String().serializer();
    private final Serializer<StorefrontEvent> eventWriter = serdes.valueSerde(StorefrontEvent.class).serializer();
    private final Serializer<ArbitrationInput> arbitrationWriter = serdes.valueSerde(ArbitrationInput.class).serializer();
    private final TestInputTopic<String, CustomerProfile> profiles;
    private final Map<String, Consumer<ProducerRecord<byte[], byte[]>>> collectors = new HashMap<>();
    private final ReplayOutputs outputs = new ReplayOutputs();
    private long[] lineOfOffset = new long[1024];
    private long piped;
    private long maxEventTime = Long.MIN_VALUE;

    /**
     * A driver for the policy. The stores are in memory; the driver still wants a state directory
     * (for its lock and task files), a new temporary one, removed on close.
     */
    public ReplayDriver(final Policy policy) {
        this.policy = policy;
        try {
            this.stateDir = Files.createTempDirectory("cart-rescue-replay-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a state directory for the replay", e);
        }
        final Properties props = StreamsProperties.required(APPLICATION_ID, "replay.invalid:9092", topics, new DeadLetters());
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // One task, one thread, nothing to recover from: exactly-once would only hold back the records
        // written to the repartition topics until a commit, and waiting for idle partitions only logs.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        driver = new TopologyTestDriver(CartRescueTopology.build(CartRescueTopology.Settings.defaults(TimeMode.REPLAY)
                .withStoreKind(StoreKind.IN_MEMORY), policy, serdes), props, Instant.EPOCH);
        loop = new StreamTaskLoop(driver, Instant.EPOCH.toEpochMilli(), this::collect);
        profiles = driver.createInputTopic(topics.profiles(), keys, serdes.valueSerde(CustomerProfile.class).serializer());
        final Deserializer<Intervention> interventions = serdes.valueSerde(Intervention.class).deserializer();
        for (final String topic : List.of(topics.chatInterventions(), topics.onsiteInterventions(), topics.marketingInterventions())) {
            collectors.put(topic, r -> outputs.add(interventions.deserialize(r.topic(), r.value())));
        }
        final Deserializer<Decision> decisions = serdes.valueSerde(Decision.class).deserializer();
        collectors.put(topics.decisions(), r -> outputs.add(decisions.deserialize(r.topic(), r.value())));
        final Deserializer<Outcome> outcomes = serdes.valueSerde(Outcome.class).deserializer();
        collectors.put(topics.outcomes(), r -> outputs.add(outcomes.deserialize(r.topic(), r.value())));
        collectors.put(topics.deadLetters(), r -> outputs.add(deadLetter(r, topics.events(), piped, lineOfOffset)));
    }

    @Override
    public Policy policy() {
        return policy;
    }

    @Override
    public void profile(final CustomerProfile profile) {
        profiles.pipeInput(profile.getCustomerId(), profile, profile.getUpdatedAt());
    }

    /**
     * Encodes events as the topology's source reads them, for {@link #pipe(StorefrontEvent, byte[], long)};
     * each call gives an encoder of its own, for one thread.
     */
    public static Function<StorefrontEvent, byte[]> encoder() {
        final Serializer<StorefrontEvent> writer = new InMemorySerdes().valueSerde(StorefrontEvent.class).serializer();
        final String topic = TopicNames.defaults().events();
        return event -> writer.serialize(topic, event);
    }

    /** Pipes one event, {@link #encoder() encoded} or not yet (null), read from {@code line} of the input, keyed by its session id. */
    @Override
    public void pipe(final StorefrontEvent event, final byte[] encoded, final long line) {
        final long time = event.getEventTime().toEpochMilli();
        maxEventTime = Math.max(maxEventTime, time);
        final String topic = topics.events();
        final long offset = loop.nextOffset(topic);
        if (offset >= lineOfOffset.length) {
            lineOfOffset = Arrays.copyOf(lineOfOffset, (int) Math.max(offset + 1, lineOfOffset.length * 2L));
        }
        lineOfOffset[(int) offset] = line;
        piped++;
        loop.pipe(topic, time, keys.serialize(topic, event.getSessionId()),
                encoded != null ? encoded : eventWriter.serialize(topic, event));
    }

    /**
     * Moves stream time past every deadline, so that open sessions settle (stalls, abandonment),
     * held offers are released and every attribution window closes. Clock records go straight to
     * the two internal topics (events by session, arbitration input), whose sources take the
     * record time as stream time: the last event may be recent, and the events topic refuses times
     * ahead of the real clock.
     */
    @Override
    public void flushToTheEnd() {
        if (maxEventTime == Long.MIN_VALUE) {
            return;
        }
        final String sessionClock = APPLICATION_ID + "-" + CartRescueTopology.EVENTS_BY_SESSION + "-repartition";
        long now = maxEventTime + detectionHorizon(policy).toMillis();
        for (int i = 0; i < MAX_TICKS; i++) {
            final StorefrontEvent tick = clockEvent(now, i);
            loop.pipe(sessionClock, now, keys.serialize(sessionClock, CLOCK), eventWriter.serialize(sessionClock, tick));
            if (earliestSessionDue() > now) {
                break;
            }
            now += TICK.toMillis();
        }
        promise(now + arbitrationHorizon(policy).toMillis());
    }

    /**
     * Lets arbitration go up to {@code upTo}: the promise a detection task makes in stream-time mode
     * (here there is one task), sent straight to the arbitration input.
     */
    private void promise(final long upTo) {
        final String arbitrationInput = APPLICATION_ID + "-" + CartRescueTopology.ARBITRATION_INPUT + "-repartition";
        final StreamProgress progress = new StreamProgress(0, 1, Instant.ofEpochMilli(upTo));
        loop.pipe(arbitrationInput, upTo, keys.serialize(arbitrationInput, SessionDetectorProcessor.PROGRESS_KEY),
                arbitrationWriter.serialize(arbitrationInput, new ArbitrationInput(SessionDetectorProcessor.PROGRESS_KEY, progress)));
    }

    @Override
    public ReplayOutputs finish() {
        if (maxEventTime != Long.MIN_VALUE) {
            promise(maxEventTime);
        }
        loop.commit();
        outputs.sort();
        return outputs;
    }

    @Override
    public void forEachOpenSession(final BiConsumer<String, SessionState> action) {
        final KeyValueStore<String, SessionState> sessions = driver.getKeyValueStore(SessionDetectorProcessor.STATE_STORE);
        try (KeyValueIterator<String, SessionState> all = sessions.all()) {
            all.forEachRemaining(entry -> action.accept(entry.key, entry.value));
        }
    }

    @Override
    public long piped() {
        return piped;
    }

    /** How far after the last event every session of the input has settled. */
    static Duration detectionHorizon(final Policy policy) {
        final Duration gap = policy.detection().inactivityGap();
        final Duration tail = policy.detection().orderTail();
        final Duration longestStall = Duration.ofHours(1);
        return Stream.of(gap, tail, longestStall).max(Comparator.naturalOrder()).orElseThrow().plus(TICK);
    }

    /** How far after the sessions settled every hold is released and every attribution window closed. */
    static Duration arbitrationHorizon(final Policy policy) {
        return policy.arbitration().holds().marketing().plus(Duration.ofDays(1))
                .plus(policy.arbitration().attribution().window()).plus(TICK);
    }

    /** The clock record that moves stream time to {@code now} at the end. */
    static StorefrontEvent clockEvent(final long now, final int tick) {
        return StorefrontEvent.newBuilder().setEventId(CLOCK + "-" + tick).setEventType(EventType.PAGE_PING)
                .setEventTime(Instant.ofEpochMilli(now)).setSessionId(CLOCK).setAnonymousId(CLOCK).build();
    }

    private long earliestSessionDue() {
        return earliestDue(driver.getKeyValueStore(SessionDetectorProcessor.TIMER_STORE));
    }

    /** The earliest time a session other than the clock's is due in the detector's timer index. */
    static long earliestDue(final KeyValueStore<Bytes, byte[]> timers) {
        try (KeyValueIterator<Bytes, byte[]> all = timers.all()) {
            while (all.hasNext()) {
                final byte[] key = all.next().key.get();
                final String session = new String(key, Long.BYTES, key.length - Long.BYTES, StandardCharsets.UTF_8);
                if (!CLOCK.equals(session)) {
                    return ByteBuffer.wrap(key, 0, Long.BYTES).getLong();
                }
            }
        }
        return Long.MAX_VALUE;
    }

    /** A record the topology wrote: an output is kept, anything else (none is expected) dropped. */
    private void collect(final ProducerRecord<byte[], byte[]> record) {
        final Consumer<ProducerRecord<byte[], byte[]>> collector = collectors.get(record.topic());
        if (collector != null) {
            collector.accept(record);
        }
    }

    /**
     * A dead-letter record as the replay reports it: from an event of the input (traced back to its
     * line by its offset on the events topic, {@code lineOfOffset} for the first {@code piped}) or
     * from a record of an internal topic.
     */
    static DeadLetter deadLetter(final ProducerRecord<byte[], byte[]> record, final String eventsTopic,
                                 final long piped, final long[] lineOfOffset) {
        final String topic = header(record, DeadLetters.TOPIC_HEADER);
        final Long offset = parseLong(header(record, DeadLetters.OFFSET_HEADER));
        final Long line = eventsTopic.equals(topic) && offset != null && offset >= 0 && offset < piped
                ? lineOfOffset[offset.intValue()] : null;
        return new DeadLetter("events", line, "topology", header(record, DeadLetters.REASON_HEADER),
                header(record, DeadLetters.DETAIL_HEADER), topic, offset);
    }

    private static String header(final ProducerRecord<byte[], byte[]> record, final String name) {
        final Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static Long parseLong(final String text) {
        try {
            return text == null ? null : Long.valueOf(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public void close() {
        try {
            driver.close();
        } finally {
            deleteRecursively(stateDir);
        }
    }

    private static void deleteRecursively(final Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary directory is harmless; the outputs are already written.
        }
    }
}
