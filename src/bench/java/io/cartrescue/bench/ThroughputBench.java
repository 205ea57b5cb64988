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

        final int rounds = options.quick() ? 1 : 2;
        final List<OffsetProgress.Outcome> a = new ArrayList<>();
        final List<OffsetProgress.Outcome> b = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            a.add(passThrough(topics.events(), copies, events, work, "bench-passthrough-" + round));
            b.add(cartRescue(topics, events, work, "bench-cart-rescue-" + round));
        }
        report(a, b, events);
        final OffsetProgress.Outcome cartRescue = mean(b);
        return cartRescue.complete() ? cartRescue.sustainedPerSecond() : Double.NaN;
    }

    private OffsetProgress.Outcome passThrough(final String input, final String output, final int events, final Path work,
                                               final String app) throws Exception {
        final KafkaStreams passThrough = BenchApps.passThrough(stack, app, input, output, work.resolve(app));
        try (Admin admin = admin()) {
            return OffsetProgress.follow(admin, app, input, events, STALL);
        } finally {
            passThrough.close(Duration.ofSeconds(30));
        }
    }

    private OffsetProgress.Outcome cartRescue(final TopicNames topics, final int events, final Path work, final String app)
            throws Exception {
        try (CartRescueRuntime runtime = BenchApps.cartRescue(stack, app, topics, PolicyLoader.defaults(), work.resolve(app));
             Admin admin = admin()) {
            return OffsetProgress.follow(admin, app, topics.events(), events, STALL);
        }
    }

    private void report(final List<OffsetProgress.Outcome> as, final List<OffsetProgress.Outcome> bs, final int events) {
        final OffsetProgress.Outcome a = mean(as);
        final OffsetProgress.Outcome b = mean(bs);
        final String input = String.format(Locale.ROOT, "%,d simulator events (~%,d concurrent sessions), %d partitions,"
                + " 1 stream thread, exactly_once_v2, commit.interval.ms 100, Confluent Avro serde, local broker;"
                + " events/s between 10%% and 90%% of the topic by committed offsets; mean of %d run(s), a then b"
                + " each time", events, CONCURRENT_SESSIONS, PARTITIONS, as.size());
        if (!a.complete() || !b.complete()) {
            results.failed(SECTION, "ratio cart-rescue / pass-through", ">= 0.70",
                    "did not finish: pass-through committed " + a.committed() + ", cart-rescue " + b.committed()
                            + " of " + events);
        }
        results.info(SECTION, "(a) pass-through events/s", a.sustainedPerSecond(), "ev/s",
                input + "; runs: " + rates(as));
        results.info(SECTION, "(b) cart-rescue full topology events/s", b.sustainedPerSecond(), "ev/s",
                "same input; runs: " + rates(bs));
        final double ratio = b.sustainedPerSecond() / a.sustainedPerSecond();
        results.target(SECTION, "ratio b/a", ratio, "", ">= 0.70", ratio >= 0.7,
                ratio >= 0.7 ? "" : String.format(Locale.ROOT, "%.0f%% below the target", 100 * (0.7 - ratio) / 0.7));
    }

    private static OffsetProgress.Outcome mean(final List<OffsetProgress.Outcome> runs) {
        return new OffsetProgress.Outcome(runs.stream().mapToDouble(OffsetProgress.Outcome::sustainedPerSecond).average().orElse(Double.NaN),
                runs.stream().mapToDouble(OffsetProgress.Outcome::seconds).average().orElse(Double.NaN),
                runs.stream().mapToLong(OffsetProgress.Outcome::committed).min().orElse(0),
                runs.stream().allMatch(OffsetProgress.Outcome::complete));
    }

    private static String rates(final List<OffsetProgress.Outcome> runs) {
        final List<String> parts = new ArrayList<>();
        for (final OffsetProgress.Outcome run : runs) {
            parts.add(String.format(Locale.ROOT, "%,.0f ev/s (whole topic %.1f s)", run.sustainedPerSecond(), run.seconds()));
        }
        return String.join(", ", parts);
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
