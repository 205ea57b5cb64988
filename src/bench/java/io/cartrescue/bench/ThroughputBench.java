package io.cartrescue.bench;

import io.cartrescue.app.CartRescueRuntime;
import io.cartrescue.local.LocalStack;
import io.cartrescue.policy.PolicyLoader;
import io.cartrescue.topology.TopicNames;
import io.cartrescue.topology.TopicPlan;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Sustained throughput on the local broker: the simulator's events are pre-loaded into one topic,
 * then (a) a pass-through application and (b) cart-rescue each read the whole topic from the start,
 * one after the other, with the same serde and exactly-once v2. The ratio b/a says how much of the
 * engine's limit cart-rescue's own work costs.
 */
public final class ThroughputBench {
    static final String SECTION = "throughput";
    private static final int PARTITIONS = 3;
    private static final int CONCURRENT_SESSIONS = 20_000;
    private static final Duration STALL = Duration.ofSeconds(90);

    private final LocalStack stack;
    private final BenchOptions options;
    private final Results results;

    public ThroughputBench(final LocalStack stack, final BenchOptions options, final Results results) {
        this.stack = stack;
        this.options = options;
        this.results = results;
    }

    /** Runs both applications; returns cart-rescue's sustained events/s (NaN if it did not finish). */
    public double run() throws Exception {
        final TopicNames topics = TopicNames.defaults();
        final String copies = "bench.passthrough.out";
        final List<NewTopic> plan = new ArrayList<>(TopicPlan.topics(topics, PARTITIONS, (short) 1));
        plan.add(new NewTopic(copies, PARTITIONS, (short) 1));
        stack.createTopics(plan);
        final int events = options.throughputEvents();
        final long loadStart = System.nanoTime();
        preload(topics.events(), events);
        System.err.printf(Locale.ROOT, "pre-loaded %,d events in %.1f s%n", events, (System.nanoTime() - loadStart) / 1e9);
        final Path work = options.outDir().resolve("work").toAbsolutePath();

        final OffsetProgress.Outcome a;
        final KafkaStreams passThrough = BenchApps.passThrough(stack, "bench-passthrough", topics.events(), copies,
                work.resolve("passthrough-state"));
        try (Admin admin = admin()) {
            a = OffsetProgress.follow(admin, "bench-passthrough", topics.events(), events, STALL);
        } finally {
            passThrough.close(Duration.ofSeconds(30));
        }
        final OffsetProgress.Outcome b;
        try (CartRescueRuntime app = BenchApps.cartRescue(stack, "bench-cart-rescue", topics, PolicyLoader.defaults(),
                work.resolve("cart-rescue-state"));
             Admin admin = admin()) {
            b = OffsetProgress.follow(admin, "bench-cart-rescue", topics.events(), events, STALL);
        }
        report(a, b, events);
        return b.complete() ? b.sustainedPerSecond() : Double.NaN;
    }

    private void report(final OffsetProgress.Outcome a, final OffsetProgress.Outcome b, final int events) {
        final String input = String.format(Locale.ROOT, "%,d simulator events (~%,d concurrent sessions), %d partitions,"
                + " 1 stream thread, exactly_once_v2, commit.interval.ms 100, Confluent Avro serde, local broker;"
                + " events/s between 10%% and 90%% of the topic by committed offsets", events, CONCURRENT_SESSIONS,
                PARTITIONS);
        if (!a.complete() || !b.complete()) {
            results.failed(SECTION, "ratio cart-rescue / pass-through", ">= 0.70",
                    "did not finish: pass-through committed " + a.committed() + ", cart-rescue " + b.committed()
                            + " of " + events);
        }
        results.info(SECTION, "(a) pass-through events/s", a.sustainedPerSecond(), "ev/s",
                input + String.format(Locale.ROOT, "; whole topic in %.1f s", a.seconds()));
        results.info(SECTION, "(b) cart-rescue full topology events/s", b.sustainedPerSecond(), "ev/s",
                String.format(Locale.ROOT, "same input; whole topic in %.1f s", b.seconds()));
        final double ratio = b.sustainedPerSecond() / a.sustainedPerSecond();
        results.target(SECTION, "ratio b/a", ratio, "", ">= 0.70", ratio >= 0.7,
                ratio >= 0.7 ? "" : String.format(Locale.ROOT, "%.0f%% below the target", 100 * (0.7 - ratio) / 0.7));
    }

    private void preload(final String topic, final int events) throws ExecutionException, InterruptedException {
        try (KafkaProducer<String, SpecificRecord> producer = BenchApps.producer(stack, 20)) {
            SimulatedEvents.endingAt(events, CONCURRENT_SESSIONS, Instant.now(), event -> producer.send(
                    new ProducerRecord<>(topic, null, event.getEventTime().toEpochMilli(), event.getSessionId(), event)));
            producer.flush();
        }
    }

    private Admin admin() {
        return Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()));
    }
}
