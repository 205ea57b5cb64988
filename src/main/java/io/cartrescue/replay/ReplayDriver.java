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
import io.cartrescue.schema.StorefrontEvent;
import io.cartrescue.schema.StreamProgress;
import io.cartrescue.topology.CartRescueTopology;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Runs the production topology ({@link CartRescueTopology}) in stream-time mode inside a
 * {@link TopologyTestDriver}: one thread, no broker, every timer fired on stream time, so the same
 * input gives the same output however fast it is read. Events go in keyed by session id, as the
 * storefront publishes them; the outputs of the intervention, decision and outcome topics and the
 * dead-letter topic are collected, and every other topic the driver keeps (changelogs, repartitions)
 * is discarded as it fills. A dead letter from the events topic is traced back to its input line by
 * its offset, which is the index of the event among those piped in.
 */
public final class ReplayDriver implements AutoCloseable {
    static final String APPLICATION_ID = "cart-rescue-replay";
    /** Session, anonymous and customer id of the clock records that move stream time at the end. */
    static final String CLOCK = "cart-rescue.replay.clock";
    private static final int DRAIN_EVERY = 2_000;
    private static final Duration TICK = Duration.ofSeconds(1);
    private static final int MAX_TICKS = 100_000;

    private final TopicNames topics = TopicNames.defaults();
    private final Policy policy;
    private final Path stateDir;
    private final TopologyTestDriver driver;
    private final InMemorySerdes serdes = new InMemorySerdes();
    private final TestInputTopic<String, StorefrontEvent> events;
    private final TestInputTopic<String, CustomerProfile> profiles;
    private final TestInputTopic<String, ArbitrationInput> arbitrationInput;
    private final Map<String, TestOutputTopic<String, Intervention>> interventions = new LinkedHashMap<>();
    private final TestOutputTopic<String, Decision> decisions;
    private final TestOutputTopic<String, Outcome> outcomes;
    private final TestOutputTopic<byte[], byte[]> deadLetters;
    private final Set<String> collected;
    private final ReplayOutputs outputs = new ReplayOutputs();
    private long[] lineOfOffset = new long[1024];
    private long piped;
    private long maxEventTime = Long.MIN_VALUE;

    /** A driver for the policy, with its state in a new temporary directory removed on close. */
    public ReplayDriver(final Policy policy) {
        this.policy = policy;
        try {
            this.stateDir = Files.createTempDirectory(stateParent(), "cart-rescue-replay-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a state directory for the replay", e);
        }
        final Properties props = StreamsProperties.required(APPLICATION_ID, "replay.invalid:9092", topics, new DeadLetters());
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(CartRescueTopology.build(CartRescueTopology.Settings.defaults(TimeMode.REPLAY),
                policy, serdes), props, Instant.EPOCH);
        events = driver.createInputTopic(topics.events(), Serdes.String().serializer(),
                serdes.valueSerde(StorefrontEvent.class).serializer());
        profiles = driver.createInputTopic(topics.profiles(), Serdes.String().serializer(),
                serdes.valueSerde(CustomerProfile.class).serializer());
        for (final String topic : List.of(topics.chatInterventions(), topics.onsiteInterventions(), topics.marketingInterventions())) {
            interventions.put(topic, driver.createOutputTopic(topic, Serdes.String().deserializer(),
                    serdes.valueSerde(Intervention.class).deserializer()));
        }
        decisions = driver.createOutputTopic(topics.decisions(), Serdes.String().deserializer(),
                serdes.valueSerde(Decision.class).deserializer());
        outcomes = driver.createOutputTopic(topics.outcomes(), Serdes.String().deserializer(),
                serdes.valueSerde(Outcome.class).deserializer());
        deadLetters = driver.createOutputTopic(topics.deadLetters(), Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer());
        arbitrationInput = driver.createInputTopic(APPLICATION_ID + "-" + CartRescueTopology.ARBITRATION_INPUT + "-repartition",
                Serdes.String().serializer(), serdes.valueSerde(ArbitrationInput.class).serializer());
        collected = Set.of(topics.chatInterventions(), topics.onsiteInterventions(), topics.marketingInterventions(),
                topics.decisions(), topics.outcomes(), topics.deadLetters());
    }

    /**
     * Where the throwaway state goes: a RAM-backed directory when the system has one, since the
     * driver commits after every record and each commit writes checkpoint and position files;
     * the system's temporary directory otherwise.
     */
    static Path stateParent() {
        final Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** The policy this driver runs. */
    public Policy policy() {
        return policy;
    }

    /** Adds a customer profile to the global profile store, as the compacted topic would. */
    public void profile(final CustomerProfile profile) {
        profiles.pipeInput(profile.getCustomerId(), profile, profile.getUpdatedAt());
    }

    /** Pipes one event, read from {@code line} of the input, keyed by its session id. */
    public void pipe(final StorefrontEvent event, final long line) {
        if (piped == lineOfOffset.length) {
            lineOfOffset = Arrays.copyOf(lineOfOffset, lineOfOffset.length * 2);
        }
        lineOfOffset[(int) piped++] = line;
        final long time = event.getEventTime().toEpochMilli();
        maxEventTime = Math.max(maxEventTime, time);
        events.pipeInput(event.getSessionId(), event, time);
        if (piped % DRAIN_EVERY == 0) {
            drain();
        }
    }

    /**
     * Moves stream time past every deadline, so that open sessions settle (stalls, abandonment),
     * held offers are released and every attribution window closes. Clock records go straight to
     * the two internal topics (events by session, arbitration input), whose sources take the
     * record time as stream time: the last event may be recent, and the events topic refuses times
     * ahead of the real clock.
     */
    public void flushToTheEnd() {
        if (maxEventTime == Long.MIN_VALUE) {
            return;
        }
        final TestInputTopic<String, StorefrontEvent> sessionClock = driver.createInputTopic(
                APPLICATION_ID + "-" + CartRescueTopology.EVENTS_BY_SESSION + "-repartition",
                Serdes.String().serializer(), serdes.valueSerde(StorefrontEvent.class).serializer());
        long now = maxEventTime + detectionHorizon().toMillis();
        for (int i = 0; i < MAX_TICKS; i++) {
            final StorefrontEvent tick = clockEvent(now, i);
            sessionClock.pipeInput(CLOCK, tick, now);
            drain();
            if (earliestSessionDue() > now) {
                break;
            }
            now += TICK.toMillis();
        }
        promise(now + arbitrationHorizon().toMillis());
    }

    /**
     * Lets arbitration go up to {@code upTo}: the promise a detection task makes in stream-time mode
     * (here there is one task), sent straight to the arbitration input.
     */
    private void promise(final long upTo) {
        final StreamProgress progress = new StreamProgress(0, 1, Instant.ofEpochMilli(upTo));
        arbitrationInput.pipeInput(SessionDetectorProcessor.PROGRESS_KEY,
                new ArbitrationInput(SessionDetectorProcessor.PROGRESS_KEY, progress), upTo);
        drain();
    }

    /** Every output collected so far, in stable order; the driver is spent afterwards. */
    public ReplayOutputs finish() {
        if (maxEventTime != Long.MIN_VALUE) {
            promise(maxEventTime);
        }
        drain();
        outputs.sort();
        return outputs;
    }

    /** Events piped so far. */
    public long piped() {
        return piped;
    }

    private Duration detectionHorizon() {
        final Duration gap = policy.detection().inactivityGap();
        final Duration tail = policy.detection().orderTail();
        final Duration longestStall = Duration.ofHours(1);
        return Stream.of(gap, tail, longestStall).max(Comparator.naturalOrder()).orElseThrow().plus(TICK);
    }

    private Duration arbitrationHorizon() {
        return policy.arbitration().holds().marketing().plus(Duration.ofDays(1))
                .plus(policy.arbitration().attribution().window()).plus(TICK);
    }

    private static StorefrontEvent clockEvent(final long now, final int tick) {
        return StorefrontEvent.newBuilder().setEventId(CLOCK + "-" + tick).setEventType(EventType.PAGE_PING)
                .setEventTime(Instant.ofEpochMilli(now)).setSessionId(CLOCK).setAnonymousId(CLOCK).build();
    }

    private long earliestSessionDue() {
        final KeyValueStore<Bytes, byte[]> timers = driver.getKeyValueStore(SessionDetectorProcessor.TIMER_STORE);
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

    private void drain() {
        final Set<String> produced = driver.producedTopicNames();
        interventions.forEach((name, topic) -> readIfProduced(produced, name, topic).forEach(r -> outputs.add(r.value())));
        readIfProduced(produced, topics.decisions(), decisions).forEach(r -> outputs.add(r.value()));
        readIfProduced(produced, topics.outcomes(), outcomes).forEach(r -> outputs.add(r.value()));
        readIfProduced(produced, topics.deadLetters(), deadLetters).forEach(r -> outputs.add(deadLetter(r)));
        for (final String topic : new ArrayList<>(produced)) {
            if (!collected.contains(topic)) {
                driver.createOutputTopic(topic, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer())
                        .readRecordsToList();
            }
        }
    }

    /** Reads a topic only once something was sent to it: the driver warns about topics it has not seen. */
    private static <K, V> List<TestRecord<K, V>> readIfProduced(final Set<String> produced, final String name,
                                                                final TestOutputTopic<K, V> topic) {
        return produced.contains(name) ? topic.readRecordsToList() : List.of();
    }

    private DeadLetter deadLetter(final TestRecord<byte[], byte[]> record) {
        final String topic = header(record, DeadLetters.TOPIC_HEADER);
        final Long offset = parseLong(header(record, DeadLetters.OFFSET_HEADER));
        final Long line = topics.events().equals(topic) && offset != null && offset >= 0 && offset < piped
                ? lineOfOffset[offset.intValue()] : null;
        return new DeadLetter("events", line, "topology", header(record, DeadLetters.REASON_HEADER),
                header(record, DeadLetters.DETAIL_HEADER), topic, offset);
    }

    private static String header(final TestRecord<byte[], byte[]> record, final String name) {
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
