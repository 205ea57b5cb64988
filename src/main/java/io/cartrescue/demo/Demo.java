package io.cartrescue.demo;

import io.cartrescue.app.CartRescueRuntime;
import io.cartrescue.http.HttpSettings;
import io.cartrescue.local.LocalStack;
import io.cartrescue.policy.Policy;
import io.cartrescue.schema.ChatCapacity;
import io.cartrescue.schema.CustomerProfile;
import io.cartrescue.schema.Decision;
import io.cartrescue.schema.Intervention;
import io.cartrescue.schema.Outcome;
import io.cartrescue.schema.StorefrontEvent;
import io.cartrescue.serde.ConfluentAvroSerde;
import io.cartrescue.serde.SchemaRegistryClient;
import io.cartrescue.serde.SchemaRegistrySettings;
import io.cartrescue.serde.SerdeSettings;
import io.cartrescue.simulator.StorefrontSimulator;
import io.cartrescue.topology.CartRescueTopology;
import io.cartrescue.topology.TimeMode;
import io.cartrescue.topology.TopicNames;
import io.cartrescue.topology.TopicPlan;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The demo: a real broker and registry, cart-rescue itself, and a storefront of simulated shoppers
 * whose interventions are printed as they are published. Shoppers act {@code speed} times faster than
 * real ones (the demo policy's time thresholds are scaled to match); the shoppers also answer the
 * on-site and chat interventions they receive (accept or dismiss), as real ones would.
 */
public final class Demo {
    /**
     * @param duration         how long to run the storefront, or null until stopped
     * @param speed            how much faster than real shoppers the simulated ones act
     * @param concurrentShoppers shoppers on the site at once
     * @param seed             seed of the simulator
     * @param workDir          where the broker, registry and state keep their files
     */
    public record Options(Duration duration, int speed, int concurrentShoppers, long seed, Path workDir) {
    }

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final List<String> CHAT_QUEUES = List.of("chat-de", "chat-en");

    private final Options options;
    private final Policy policy;
    private final PrintStream out;
    private final AtomicBoolean stop;
    private final TopicNames topics = TopicNames.defaults();
    private final DemoTally tally = new DemoTally();
    private final ConcurrentLinkedQueue<Intervention> toAnswer = new ConcurrentLinkedQueue<>();

    public Demo(final Options options, final Policy policy, final PrintStream out, final AtomicBoolean stop) {
        this.options = options;
        this.policy = policy;
        this.out = out;
        this.stop = stop;
    }

    /** Runs until the duration is over or {@code stop} is set; every process it started is stopped on return. */
    public void run() throws Exception {
        out.println("Starting a local Kafka broker and schema registry in " + options.workDir() + " ...");
        final long t0 = System.nanoTime();
        try (LocalStack stack = LocalStack.start(options.workDir())) {
            out.printf("Broker %s, registry %s, ready in %.1f s%n", stack.bootstrapServers(), stack.registryUrl(),
                    (System.nanoTime() - t0) / 1e9);
            stack.createTopics(TopicPlan.topics(topics, 3, (short) 1));
            final SchemaRegistrySettings registry = SchemaRegistrySettings.builder(stack.registryUrl()).build();
            final SchemaRegistryClient client = new SchemaRegistryClient(registry);
            try (CartRescueRuntime app = CartRescueRuntime.start(runtimeSettings(stack, registry));
                 OutputReader reader = new OutputReader(stack.bootstrapServers(), client)) {
                if (!awaitRunning(app)) {
                    out.println("Stopped before cart-rescue was running.");
                    return;
                }
                out.printf("cart-rescue is running (policy %s); shoppers act %dx faster than real ones.%n",
                        policy.version(), options.speed());
                app.httpPort().ifPresent(port -> out.printf(
                        "Health, metrics and sessions: http://127.0.0.1:%d/health/ready  /metrics  /sessions/{sessionId}%n%n", port));
                reader.start();
                final long published = publishStorefront(stack.bootstrapServers(), client);
                out.println();
                out.println("Stopping: letting the last decisions through ...");
                reader.drain(Duration.ofSeconds(3));
                out.println("Summary");
                out.println("  storefront events published: " + published);
                tally.print(out);
            }
        }
        out.println("Stopped the application, the broker and the registry.");
    }

    private CartRescueRuntime.Settings runtimeSettings(final LocalStack stack, final SchemaRegistrySettings registry) {
        final Properties kafka = new Properties();
        kafka.put("commit.interval.ms", "100");
        return new CartRescueRuntime.Settings("cart-rescue-demo", stack.bootstrapServers(), registry, true,
                options.workDir().resolve("state"), policy,
                CartRescueTopology.Settings.defaults(TimeMode.LIVE), kafka, Duration.ofSeconds(10),
                new HttpSettings("127.0.0.1", 0));
    }

    /** Waits for RUNNING; false when the demo was stopped first. */
    private boolean awaitRunning(final CartRescueRuntime app) throws InterruptedException {
        final long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!app.isRunning()) {
            if (stop.get()) {
                return false;
            }
            if (System.nanoTime() > deadline || app.streams().state() == KafkaStreams.State.ERROR) {
                throw new IllegalStateException("cart-rescue did not reach RUNNING within " + START_TIMEOUT.toSeconds()
                        + " s (state " + app.streams().state() + ")");
            }
            Thread.sleep(100);
        }
        return true;
    }

    /** Publishes the simulated storefront in (compressed) real time; returns the number of events. */
    private long publishStorefront(final String bootstrap, final SchemaRegistryClient client) throws InterruptedException {
        final Instant start = Instant.now();
        final long end = options.duration() == null ? Long.MAX_VALUE : System.currentTimeMillis() + options.duration().toMillis();
        final StorefrontSimulator simulator = StorefrontSimulator.builder(options.seed()).start(start)
                .concurrentSessions(options.concurrentShoppers()).build();
        final PriorityQueue<StorefrontEvent> answers = new PriorityQueue<>((a, b) -> a.getEventTime().compareTo(b.getEventTime()));
        final Set<String> knownCustomers = new HashSet<>();
        long published = 0;
        long nextCapacity = 0;
        try (KafkaProducer<String, Object> producer = producer(bootstrap, client)) {
            while (!stop.get() && System.currentTimeMillis() < end) {
                if (System.currentTimeMillis() >= nextCapacity) {
                    publishCapacity(producer, nextCapacity);
                    nextCapacity = System.currentTimeMillis() + 15_000;
                }
                for (Intervention i = toAnswer.poll(); i != null; i = toAnswer.poll()) {
                    simulator.answer(toSimulated(i, start)).ifPresent(answers::add);
                }
                final boolean answerFirst = !answers.isEmpty()
                        && answers.peek().getEventTime().toEpochMilli() <= simulator.nextDueTime();
                final long simulatedDue = answerFirst ? answers.peek().getEventTime().toEpochMilli() : simulator.nextDueTime();
                final long realDue = toReal(simulatedDue, start);
                final long wait = realDue - System.currentTimeMillis();
                if (wait > 0) {
                    Thread.sleep(Math.min(wait, 100));
                    continue;
                }
                final StorefrontEvent simulated = answerFirst ? answers.poll() : simulator.next();
                final StorefrontEvent event = StorefrontEvent.newBuilder(simulated)
                        .setEventTime(Instant.ofEpochMilli(toReal(simulated.getEventTime().toEpochMilli(), start))).build();
                if (event.getCustomerId() != null && knownCustomers.add(event.getCustomerId())) {
                    final CustomerProfile profile = DemoProfiles.profileFor(event, Instant.now());
                    producer.send(new ProducerRecord<>(topics.profiles(), profile.getCustomerId(), profile));
                }
                producer.send(new ProducerRecord<>(topics.events(), null, event.getEventTime().toEpochMilli(),
                        event.getSessionId(), event));
                published++;
            }
            producer.flush();
        }
        return published;
    }

    /** Chat capacity: chat-de always has agents; chat-en is busy every other quarter minute (chat offers then fall to the next rung). */
    private void publishCapacity(final KafkaProducer<String, Object> producer, final long previous) {
        final boolean englishBusy = previous != 0 && (System.currentTimeMillis() / 15_000) % 2 == 1;
        for (final String queue : CHAT_QUEUES) {
            final int agents = queue.equals("chat-en") && englishBusy ? 0 : 2;
            producer.send(new ProducerRecord<>(topics.chatCapacity(), queue,
                    new ChatCapacity(queue, agents, 0, Instant.now())));
        }
    }

    private long toReal(final long simulatedMillis, final Instant start) {
        return start.toEpochMilli() + (simulatedMillis - start.toEpochMilli()) / options.speed();
    }

    private Intervention toSimulated(final Intervention i, final Instant start) {
        final long s = start.toEpochMilli();
        return Intervention.newBuilder(i)
                .setCreatedAt(Instant.ofEpochMilli(s + (i.getCreatedAt().toEpochMilli() - s) * options.speed()))
                .setSendAt(Instant.ofEpochMilli(s + (i.getSendAt().toEpochMilli() - s) * options.speed()))
                .setExpiresAt(Instant.ofEpochMilli(s + (i.getExpiresAt().toEpochMilli() - s) * options.speed()))
                .build();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static KafkaProducer<String, Object> producer(final String bootstrap, final SchemaRegistryClient client) {
        final Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5);
        final ConfluentAvroSerde serde = new ConfluentAvroSerde(org.apache.avro.specific.SpecificRecordBase.class, client,
                SerdeSettings.forValues());
        return new KafkaProducer<>(config, new StringSerializer(), serde.serializer());
    }

    /** Reads the output topics with read_committed, prints interventions, and hands on-site and chat ones to the shoppers. */
    private final class OutputReader implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        private final ConfluentAvroSerde<Intervention> interventions;
        private final ConfluentAvroSerde<Decision> decisions;
        private final ConfluentAvroSerde<Outcome> outcomes;
        private final Thread thread;
        private final AtomicBoolean closing = new AtomicBoolean();
        private volatile long lastRecordAt = System.currentTimeMillis();

        OutputReader(final String bootstrap, final SchemaRegistryClient client) {
            consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.GROUP_ID_CONFIG, "cart-rescue-demo-console",
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                    new StringDeserializer(), new ByteArrayDeserializer());
            interventions = new ConfluentAvroSerde<>(Intervention.class, client, SerdeSettings.forValues());
            decisions = new ConfluentAvroSerde<>(Decision.class, client, SerdeSettings.forValues());
            outcomes = new ConfluentAvroSerde<>(Outcome.class, client, SerdeSettings.forValues());
            thread = new Thread(this::loop, "cart-rescue-demo-console");
            thread.setDaemon(true);
        }

        void start() {
            consumer.subscribe(List.of(topics.chatInterventions(), topics.onsiteInterventions(),
                    topics.marketingInterventions(), topics.decisions(), topics.outcomes(), topics.deadLetters()));
            thread.start();
        }

        private void loop() {
            while (!closing.get()) {
                for (final ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    lastRecordAt = System.currentTimeMillis();
                    handle(r);
                }
            }
        }

        private void handle(final ConsumerRecord<String, byte[]> r) {
            final String topic = r.topic();
            if (topic.equals(topics.decisions())) {
                tally.decision(decisions.deserializer().deserialize(topic, r.value()));
            } else if (topic.equals(topics.outcomes())) {
                tally.outcome(outcomes.deserializer().deserialize(topic, r.value()).getConverted());
            } else if (topic.equals(topics.deadLetters())) {
                tally.deadLetter();
            } else {
                final Intervention i = interventions.deserializer().deserialize(topic, r.value());
                tally.intervention(i);
                out.println(InterventionLine.format(i));
                toAnswer.add(i);
            }
        }

        /** Waits until the output has been quiet for a moment (or the time is up). */
        void drain(final Duration atMost) throws InterruptedException {
            final long deadline = System.currentTimeMillis() + atMost.toMillis();
            while (System.currentTimeMillis() < deadline && System.currentTimeMillis() - lastRecordAt < 1_000) {
                Thread.sleep(100);
            }
        }

        @Override
        public void close() throws InterruptedException {
            closing.set(true);
            thread.join(5_000);
            consumer.close(Duration.ofSeconds(2));
        }
    }
}
