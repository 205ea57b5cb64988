package io.cartrescue.bench;

import io.cartrescue.app.CartRescueRuntime;
import io.cartrescue.local.LocalStack;
import io.cartrescue.policy.Policy;
import io.cartrescue.schema.ChatCapacity;
import io.cartrescue.schema.StorefrontEvent;
import io.cartrescue.simulator.StorefrontSimulator;
import io.cartrescue.topology.CartRescueTopology;
import io.cartrescue.topology.TopicNames;
import io.cartrescue.topology.TopicPlan;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * End-to-end latency under load: cart-rescue runs on its own topics while the simulator's shoppers
 * are sent at a fixed rate with the wall clock as event time, and probe shoppers ({@link Probes})
 * are mixed in. A {@code read_committed} consumer reads the intervention topics and the internal
 * topic into arbitration, so each probe's latency is split into detection (trigger to candidate
 * committed) and arbitration (candidate to intervention committed, hold included). Each run starts
 * with a warm-up of the same load and payment probes that is not counted.
 */
public final class LatencyBench {
    static final String SECTION = "latency";
    private static final int PARTITIONS = 3;
    private static final int CONCURRENT_SESSIONS = 20_000;
    private static final int PAYMENT_PROBES_PER_SECOND = 25;
    private static final Duration STALL_PROBE_GAP = Duration.ofSeconds(1);
    private static final Duration DRAIN = Duration.ofSeconds(8);
    /**
     * Load and payment probes before the measured run, whose latencies are not counted: the JIT
     * compiles the hot paths of the application (and of the broker) during the first tens of seconds,
     * on the same two cores, and the figures are meant for a running instance.
     */
    private static final Duration WARM_UP = Duration.ofSeconds(30);
    private static final long TARGET_P99_MS = 400;
    private static final long TARGET_STALL_MS = 1_500;

    private final LocalStack stack;
    private final BenchOptions options;
    private final Results results;

    public LatencyBench(final LocalStack stack, final BenchOptions options, final Results results) {
        this.stack = stack;
        this.options = options;
        this.results = results;
    }

    /** What one probe went through, in nanoTime (payment) or epoch milliseconds (stall). */
    private static final class Probe {
        final boolean stall;
        final long startedAt;
        volatile long candidateAt;
        volatile long publishedAt;

        Probe(final boolean stall, final long startedAt) {
            this.stall = stall;
            this.startedAt = startedAt;
        }
    }

    /** One run with {@code policy} under {@code rate} background events per second. */
    public void run(final String label, final Policy policy, final double rate) throws Exception {
        final String app = "bench-latency-" + label;
        final TopicNames topics = topics("lat-" + label + ".");
        stack.createTopics(TopicPlan.topics(topics, PARTITIONS, (short) 1));
        final Map<String, Probe> probes = new ConcurrentHashMap<>();
        final AtomicBoolean stop = new AtomicBoolean();
        final Path state = options.outDir().resolve("work").resolve(app).toAbsolutePath();
        long sent;
        try (CartRescueRuntime runtime = BenchApps.cartRescue(stack, app, topics, policy, state);
             KafkaProducer<String, SpecificRecord> producer = BenchApps.producer(stack, 5)) {
            BenchApps.awaitRunning(runtime.streams());
            for (final String queue : List.of("chat-de", "chat-en")) {
                producer.send(new ProducerRecord<>(topics.chatCapacity(), queue, new ChatCapacity(queue, 1_000, 0, Instant.now())));
            }
            producer.flush();
            final Thread reader = new Thread(() -> read(app, topics, probes, stop), "bench-latency-reader");
            reader.start();
            final Probes shoppers = new Probes(policy, app);
            drive(producer, topics, shoppers, new ConcurrentHashMap<>(), rate, options.quick() ? WARM_UP.dividedBy(3) : WARM_UP, false);
            sent = drive(producer, topics, shoppers, probes, rate, options.latencyLoad(), true);
            final long drainUntil = System.nanoTime() + DRAIN.toNanos();
            while (System.nanoTime() < drainUntil && probes.values().stream().anyMatch(p -> p.publishedAt == 0)) {
                Thread.sleep(100);
            }
            stop.set(true);
            reader.join(10_000);
        }
        report(label, policy, probes, rate, sent);
    }

    /**
     * Sends background events at {@code rate} and payment probes (and, with {@code stallProbes}, stall
     * probes) for {@code duration}, noting each probe in {@code probes}; returns the events sent.
     */
    private long drive(final KafkaProducer<String, SpecificRecord> producer, final TopicNames topics, final Probes shoppers,
                       final Map<String, Probe> probes, final double rate, final Duration duration,
                       final boolean stallProbes) throws InterruptedException {
        final StorefrontSimulator storefront = SimulatedEvents.storefront(CONCURRENT_SESSIONS);
        final long start = System.nanoTime();
        final long end = start + duration.toNanos();
        final long stallUntil = !stallProbes ? start : start + duration.toNanos()
                - shoppers.stallDeadline(Instant.EPOCH).toEpochMilli() * 1_000_000L - DRAIN.toNanos() / 2;
        long background = 0;
        long payments = 0;
        long stalls = 0;
        while (true) {
            final long now = System.nanoTime();
            if (now >= end) {
                break;
            }
            final double elapsed = (now - start) / 1e9;
            while (background < elapsed * rate) {
                final StorefrontEvent event = storefront.next();
                event.setEventTime(Instant.now());
                send(producer, topics, event);
                background++;
            }
            while (payments < elapsed * PAYMENT_PROBES_PER_SECOND) {
                final Probes.Shopper s = shoppers.nextShopper();
                Probes.paymentLeadIn(s, Instant.now()).forEach(e -> send(producer, topics, e));
                final StorefrontEvent trigger = Probes.paymentTrigger(s, Instant.now());
                probes.put(s.customerId(), new Probe(false, System.nanoTime()));
                send(producer, topics, trigger);
                payments++;
            }
            if (now < stallUntil && stalls < elapsed / STALL_PROBE_GAP.toSeconds()) {
                final Probes.Shopper s = shoppers.nextShopper();
                final Instant at = Instant.now();
                probes.put(s.customerId(), new Probe(true, shoppers.stallDeadline(at).toEpochMilli()));
                Probes.stall(s, at).forEach(e -> send(producer, topics, e));
                stalls++;
            }
            Thread.sleep(1);
        }
        producer.flush();
        return background + payments * 4 + stalls * 3;
    }

    private static void send(final KafkaProducer<String, SpecificRecord> producer, final TopicNames topics,
                             final StorefrontEvent event) {
        producer.send(new ProducerRecord<>(topics.events(), null, event.getEventTime().toEpochMilli(),
                event.getSessionId(), event));
    }

    private void read(final String app, final TopicNames topics, final Map<String, Probe> probes, final AtomicBoolean stop) {
        final String candidates = app + "-" + CartRescueTopology.ARBITRATION_INPUT + "-repartition";
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, app + "-reader",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.METADATA_MAX_AGE_CONFIG, 1_000),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topics.chatInterventions(), topics.onsiteInterventions(), candidates));
            while (!stop.get()) {
                for (final ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                    final Probe probe = probes.get(r.key());
                    if (probe == null) {
                        continue;
                    }
                    final long at = probe.stall ? System.currentTimeMillis() : System.nanoTime();
                    if (r.topic().equals(candidates)) {
                        if (probe.candidateAt == 0) {
                            probe.candidateAt = at;
                        }
                    } else if (probe.publishedAt == 0) {
                        probe.publishedAt = at;
                    }
                }
            }
        }
    }

    private void report(final String label, final Policy policy, final Map<String, Probe> probes, final double rate,
                        final long sent) {
        final Histogram total = new Histogram(3_600_000_000L, 3);
        final Histogram detection = new Histogram(3_600_000_000L, 3);
        final Histogram arbitration = new Histogram(3_600_000_000L, 3);
        final Histogram stall = new Histogram(3_600_000_000L, 3);
        int missing = 0;
        int stallMissing = 0;
        for (final Probe p : probes.values()) {
            if (p.stall) {
                if (p.publishedAt == 0) {
                    stallMissing++;
                } else {
                    stall.recordValue(Math.max(0, p.publishedAt - p.startedAt));
                }
                continue;
            }
            if (p.publishedAt == 0) {
                missing++;
                continue;
            }
            total.recordValue((p.publishedAt - p.startedAt) / 1_000_000);
            if (p.candidateAt != 0) {
                detection.recordValue(Math.max(0, p.candidateAt - p.startedAt) / 1_000_000);
                arbitration.recordValue(Math.max(0, p.publishedAt - p.candidateAt) / 1_000_000);
            }
        }
        final String hold = policy.arbitration().holds().inSessionSeconds() + " s hold";
        final String name = label + " (" + hold + ")";
        final String setup = String.format(Locale.ROOT, "%,.0f background ev/s for %d s (%,d events sent), %d payment"
                        + " probes/s; %d of %d probes got no intervention", rate, options.latencyLoad().toSeconds(), sent,
                PAYMENT_PROBES_PER_SECOND, missing, total.getTotalCount() + missing);
        final long p99 = total.getValueAtPercentile(99);
        results.info(SECTION, name + " payment p50", total.getValueAtPercentile(50), "ms", setup);
        results.target(SECTION, name + " payment p99", p99, "ms", "<= " + TARGET_P99_MS + " ms", p99 <= TARGET_P99_MS
                        && total.getTotalCount() > 0, p99 <= TARGET_P99_MS ? ""
                        : String.format(Locale.ROOT, "%,d ms over the target", p99 - TARGET_P99_MS));
        results.info(SECTION, name + " payment p99.9", total.getValueAtPercentile(99.9), "ms",
                "max " + total.getMaxValue() + " ms over " + total.getTotalCount() + " probes");
        results.info(SECTION, name + " detection stage p50/p99", detection.getValueAtPercentile(50), "ms",
                "trigger sent -> candidate committed on the arbitration repartition topic; p99 "
                        + detection.getValueAtPercentile(99) + " ms");
        results.info(SECTION, name + " arbitration stage p50/p99", arbitration.getValueAtPercentile(50), "ms",
                "candidate committed -> intervention committed (hold, punctuation, commit); p99 "
                        + arbitration.getValueAtPercentile(99) + " ms");
        final long stallP99 = stall.getValueAtPercentile(99);
        results.target(SECTION, name + " stall deadline->published max", stall.getMaxValue(), "ms",
                "<= " + TARGET_STALL_MS + " ms", stall.getTotalCount() > 0 && stall.getMaxValue() <= TARGET_STALL_MS,
                String.format(Locale.ROOT, "%d stall probes (payment step, %d s threshold), p50 %d ms, p99 %d ms, %d"
                                + " without intervention", stall.getTotalCount(),
                        policy.detection().stalledStep().forStep(4).toSeconds(), stall.getValueAtPercentile(50),
                        stallP99, stallMissing));
    }

    private static TopicNames topics(final String prefix) {
        final TopicNames d = TopicNames.defaults();
        return new TopicNames(prefix + d.events(), prefix + d.profiles(), prefix + d.chatCapacity(),
                prefix + d.chatInterventions(), prefix + d.onsiteInterventions(), prefix + d.marketingInterventions(),
                prefix + d.decisions(), prefix + d.outcomes(), prefix + d.deadLetters());
    }
}
