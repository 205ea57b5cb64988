package io.cartrescue.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartrescue.local.LocalStack;
import io.cartrescue.policy.PolicyLoader;
import io.cartrescue.replay.ReplayDriver;
import io.cartrescue.schema.EventType;
import io.cartrescue.schema.Intervention;
import io.cartrescue.schema.StorefrontEvent;
import io.cartrescue.serde.ConfluentAvroSerde;
import io.cartrescue.serde.SchemaRegistryClient;
import io.cartrescue.serde.SchemaRegistrySettings;
import io.cartrescue.serde.SerdeSettings;
import io.cartrescue.simulator.StorefrontSimulator;
import io.cartrescue.topology.TopicNames;
import io.cartrescue.topology.TopicPlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the oracle comparison: simulated shoppers' events, the interventions a replay of them
 * produces (the oracle), and the same events through live instances on a real broker in stream-time
 * mode, whose interventions a {@code read_committed} consumer collects. Each scenario has its own
 * topics and application id, so scenarios can share a broker.
 *
 * <p>The events end with a "clock" event on every partition, far after the last shopper: stream
 * time then passes every deadline on every partition, and the live instances settle everything the
 * replay settles.
 */
final class OracleScenario {
    private static final Logger LOG = LoggerFactory.getLogger(OracleScenario.class);
    static final int PARTITIONS = 4;
    /** Far enough after the last shopper for sessions to end, holds to be released and windows to close. */
    private static final Duration CLOCK_AFTER = Duration.ofDays(3).plusMillis(777);

    private final String name;
    private final LocalStack stack;
    private final TopicNames topics;
    private final List<StorefrontEvent> events;
    private final Map<String, Integer> oracle;
    private final int oracleSize;
    private final Path dir;
    private final AtomicLong produced = new AtomicLong();
    private final AtomicReference<Throwable> producerFailure = new AtomicReference<>();
    private volatile NewerWriter newerWriter;

    private OracleScenario(final String name, final LocalStack stack, final TopicNames topics,
                           final List<StorefrontEvent> events, final List<Intervention> oracle, final Path dir) {
        this.name = name;
        this.stack = stack;
        this.topics = topics;
        this.events = events;
        this.oracle = counts(oracle.stream().map(Intervention::toString).toList());
        this.oracleSize = oracle.size();
        this.dir = dir;
    }

    /** A new directory under {@code target/reliability/} for a run's state directories and logs, kept for inspection. */
    static Path workDirectory(final String scenario) {
        try {
            final Path parent = Path.of("target", "reliability");
            Files.createDirectories(parent);
            return Files.createTempDirectory(parent, scenario + "-").toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Generates the events, replays them for the oracle and creates the scenario's topics. */
    static OracleScenario create(final String name, final LocalStack stack, final int eventCount, final long seed,
                                 final Path dir) {
        final List<StorefrontEvent> events = events(eventCount, seed);
        final List<Intervention> oracle;
        try (ReplayDriver replay = new ReplayDriver(PolicyLoader.defaults())) {
            for (int i = 0; i < events.size(); i++) {
                replay.pipe(events.get(i), i + 1);
            }
            oracle = replay.finish().interventions();
        }
        final String prefix = name + "-" + System.currentTimeMillis() + ".";
        final TopicNames topics = new TopicNames(prefix + "events", prefix + "profiles", prefix + "chat-capacity",
                prefix + "interventions.chat", prefix + "interventions.onsite", prefix + "interventions.marketing",
                prefix + "decisions", prefix + "outcomes", prefix + "dead-letters");
        // The events are stamped in January 2026: topics keep them whatever their age.
        final List<NewTopic> plan = TopicPlan.topics(topics, PARTITIONS, (short) 1).stream()
                .map(t -> t.configs(withInfiniteRetention(t.configs()))).toList();
        stack.createTopics(plan);
        LOG.info("scenario {}: {} events, {} interventions expected (seed {})", name, events.size(), oracle.size(), seed);
        return new OracleScenario(name, stack, topics, events, oracle, dir);
    }

    private static Map<String, String> withInfiniteRetention(final Map<String, String> configs) {
        final Map<String, String> all = new HashMap<>(configs == null ? Map.of() : configs);
        if (!"compact".equals(all.get("cleanup.policy"))) {
            all.put("retention.ms", "-1");
        }
        return all;
    }

    private static List<StorefrontEvent> events(final int count, final long seed) {
        final StorefrontSimulator simulator = StorefrontSimulator.builder(seed).build();
        final List<StorefrontEvent> events = new ArrayList<>(count + PARTITIONS);
        while (events.size() < count && simulator.hasNext()) {
            events.add(simulator.next());
        }
        final Instant clock = events.get(events.size() - 1).getEventTime().plus(CLOCK_AFTER);
        final boolean[] covered = new boolean[PARTITIONS];
        for (int i = 0, found = 0; found < PARTITIONS; i++) {
            final String session = "clock-" + i;
            final int partition = Utils.toPositive(Utils.murmur2(session.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
            if (!covered[partition]) {
                covered[partition] = true;
                found++;
                events.add(StorefrontEvent.newBuilder().setEventId(session).setEventType(EventType.PAGE_PING)
                        .setEventTime(clock).setSessionId(session).setAnonymousId(session).build());
            }
        }
        return events;
    }

    /** The environment of a live instance in stream-time mode; each instance has its own state directory. */
    Map<String, String> environment(final String instance) {
        final Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers());
        env.put("KAFKA_APPLICATION_ID", "oracle-" + name);
        env.put("KAFKA_STATE_DIR", dir.resolve("state-" + instance).toString());
        // A killed member is noticed after this long (the broker's minimum); the default is 45 s.
        env.put("KAFKA_SESSION_TIMEOUT_MS", "6000");
        env.put("CART_RESCUE_SCHEMA_REGISTRY_URL", stack.registryUrl());
        env.put("CART_RESCUE_TIME_MODE", "replay");
        // -Dreliability.processing.guarantee=at_least_once shows what the oracle catches without exactly-once.
        final String guarantee = System.getProperty("reliability.processing.guarantee");
        if (guarantee != null && !guarantee.isBlank()) {
            env.put("KAFKA_PROCESSING_GUARANTEE", guarantee);
        }
        env.put("CART_RESCUE_TOPIC_EVENTS", topics.events());
        env.put("CART_RESCUE_TOPIC_PROFILES", topics.profiles());
        env.put("CART_RESCUE_TOPIC_CHAT_CAPACITY", topics.chatCapacity());
        env.put("CART_RESCUE_TOPIC_INTERVENTIONS_CHAT", topics.chatInterventions());
        env.put("CART_RESCUE_TOPIC_INTERVENTIONS_ONSITE", topics.onsiteInterventions());
        env.put("CART_RESCUE_TOPIC_INTERVENTIONS_MARKETING", topics.marketingInterventions());
        env.put("CART_RESCUE_TOPIC_DECISIONS", topics.decisions());
        env.put("CART_RESCUE_TOPIC_OUTCOMES", topics.outcomes());
        env.put("CART_RESCUE_TOPIC_DEAD_LETTERS", topics.deadLetters());
        return env;
    }

    AppInstance instance(final String instance) {
        return new AppInstance(instance, environment(instance), freePort(), dir.resolve("logs"));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends the events in the background at about {@code perSecond}, keyed by session id as a
     * storefront does, so that instances can be killed and restarted while input still arrives.
     */
    Thread produceInBackground(final int perSecond) {
        final Thread thread = new Thread(() -> {
            try {
                produce(perSecond);
            } catch (final Throwable e) {
                producerFailure.set(e);
            }
        }, "oracle-producer-" + name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /**
     * From now on the storefront writes its events with a newer schema (one more optional field),
     * registered beforehand under the events subject: the application meets a schema id it has not
     * seen and must fetch it from the registry.
     */
    void switchToNewerWriterSchema(final NewerWriter writer) {
        newerWriter = writer;
    }

    /** Registers the newer event schema now, while the registry is up; returns the writer that uses it. */
    NewerWriter registerNewerWriterSchema() {
        final SchemaRegistryClient registry = new SchemaRegistryClient(SchemaRegistrySettings.builder(stack.registryUrl()).build());
        return NewerWriter.register(registry, topics.events() + "-value");
    }

    private void produce(final int perSecond) throws InterruptedException {
        final SchemaRegistryClient registry = new SchemaRegistryClient(SchemaRegistrySettings.builder(stack.registryUrl()).build());
        final ConfluentAvroSerde<StorefrontEvent> serde = new ConfluentAvroSerde<>(StorefrontEvent.class, registry,
                SerdeSettings.forValues());
        final Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
        final long started = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            for (final StorefrontEvent e : events) {
                final NewerWriter newer = newerWriter;
                final byte[] value = newer == null ? serde.serializer().serialize(topics.events(), e) : newer.write(e);
                producer.send(new ProducerRecord<>(topics.events(), null, e.getEventTime().toEpochMilli(), e.getSessionId(), value));
                final long sent = produced.incrementAndGet();
                final long due = started + sent * 1_000_000_000L / perSecond;
                final long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
            producer.flush();
        }
        LOG.info("scenario {}: {} events sent in {} ms", name, events.size(), (System.nanoTime() - started) / 1_000_000);
    }

    long produced() {
        return produced.get();
    }

    int eventCount() {
        return events.size();
    }

    int expectedInterventions() {
        return oracleSize;
    }

    /**
     * Reads every intervention topic with {@code read_committed} until as many interventions as the
     * oracle has arrived and then {@code quiet} passes without another one, or until {@code timeout};
     * returns the comparison with the oracle.
     */
    Comparison awaitComparison(final Duration timeout, final Duration quiet) {
        final Map<String, Integer> seen = new TreeMap<>();
        int received = 0;
        final List<TopicPartition> partitions = new ArrayList<>();
        for (final String topic : List.of(topics.chatInterventions(), topics.onsiteInterventions(), topics.marketingInterventions())) {
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(topic, p));
            }
        }
        final SchemaRegistryClient registry = new SchemaRegistryClient(SchemaRegistrySettings.builder(stack.registryUrl()).build());
        final ConfluentAvroSerde<Intervention> serde = new ConfluentAvroSerde<>(Intervention.class, registry, SerdeSettings.forValues());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final long deadline = System.nanoTime() + timeout.toNanos();
            long lastArrival = System.nanoTime();
            while (System.nanoTime() < deadline) {
                for (final ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    seen.merge(serde.deserializer().deserialize(r.topic(), r.value()).toString(), 1, Integer::sum);
                    received++;
                    lastArrival = System.nanoTime();
                }
                if (received >= oracleSize && System.nanoTime() - lastArrival > quiet.toNanos()) {
                    break;
                }
            }
        }
        return Comparison.of(oracle, seen, received);
    }

    /**
     * The bar of every run: all events were sent, the interventions equal the oracle's (none missing,
     * none twice, none else), and nothing went to the dead-letter topic.
     */
    void assertMatchesOracle(final Comparison result) {
        assertThat(producerFailure.get()).as("the storefront's sending").isNull();
        assertThat(result.expected()).isPositive();
        assertThat(result.equal()).as(result.toString()).isTrue();
        assertThat(deadLetters()).as("dead letters").isZero();
    }

    /** Records on the dead-letter topic (read_committed). */
    int deadLetters() {
        final List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            partitions.add(new TopicPartition(topics.deadLetters(), p));
        }
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            int count = 0;
            final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline && partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                count += consumer.poll(Duration.ofMillis(200)).count();
            }
            return count;
        }
    }

    private static Map<String, Integer> counts(final List<String> values) {
        final Map<String, Integer> counts = new TreeMap<>();
        values.forEach(v -> counts.merge(v, 1, Integer::sum));
        return counts;
    }

    /** What the live run published against what the replay says it should have. */
    record Comparison(int expected, int received, List<String> missing, List<String> duplicated, List<String> unexpected) {
        static Comparison of(final Map<String, Integer> oracle, final Map<String, Integer> seen, final int received) {
            final List<String> missing = new ArrayList<>();
            final List<String> duplicated = new ArrayList<>();
            final List<String> unexpected = new ArrayList<>();
            int expected = 0;
            for (final Map.Entry<String, Integer> e : oracle.entrySet()) {
                expected += e.getValue();
                final int got = seen.getOrDefault(e.getKey(), 0);
                if (got < e.getValue()) {
                    missing.add(e.getKey());
                } else if (got > e.getValue()) {
                    duplicated.add(e.getKey());
                }
            }
            seen.keySet().stream().filter(k -> !oracle.containsKey(k)).forEach(unexpected::add);
            return new Comparison(expected, received, missing, duplicated, unexpected);
        }

        boolean equal() {
            return missing.isEmpty() && duplicated.isEmpty() && unexpected.isEmpty();
        }

        @Override
        public String toString() {
            return "expected " + expected + ", received " + received + ", missing " + missing.size() + ", duplicated "
                    + duplicated.size() + ", unexpected " + unexpected.size()
                    + (missing.isEmpty() ? "" : "\n  first missing: " + missing.get(0))
                    + (duplicated.isEmpty() ? "" : "\n  first duplicated: " + duplicated.get(0))
                    + (unexpected.isEmpty() ? "" : "\n  first unexpected: " + unexpected.get(0));
        }
    }
}
