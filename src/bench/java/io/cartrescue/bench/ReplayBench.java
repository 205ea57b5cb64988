package io.cartrescue.bench;

import io.cartrescue.app.Main;
import io.cartrescue.policy.PolicyLoader;
import io.cartrescue.processor.DeadLetters;
import io.cartrescue.processor.SessionDetectorProcessor;
import io.cartrescue.replay.ReplayFiles;
import io.cartrescue.schema.SessionState;
import io.cartrescue.schema.StorefrontEvent;
import io.cartrescue.topology.CartRescueTopology;
import io.cartrescue.topology.StreamsProperties;
import io.cartrescue.topology.TimeMode;
import io.cartrescue.topology.TopicNames;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Replay speed, two ways over the same simulator events. First the {@code replay} command itself,
 * run as an analyst runs it ({@code cart-rescue replay --input events.jsonl --out DIR}) in a child
 * JVM and timed from start to exit. Then the engine it runs on, directly: the events are read from
 * an Avro data file and piped through the whole topology in {@link TimeMode#REPLAY} in a
 * {@link TopologyTestDriver} (real RocksDB stores, no broker, registry-free Avro serdes); afterwards
 * the open sessions' states give the state size of a realistic mix.
 */
public final class ReplayBench {
    static final String SECTION = "replay";
    private static final int CONCURRENT_SESSIONS = 20_000;
    private static final double TARGET = 100_000;
    private static final int DRAIN_EVERY = 2_000;
    private static final long COMMAND_TIMEOUT_MINUTES = 20;

    private final BenchOptions options;
    private final Results results;

    public ReplayBench(final BenchOptions options, final Results results) {
        this.options = options;
        this.results = results;
    }

    public void run() throws IOException, InterruptedException {
        final int count = options.replayEvents();
        final Path work = options.outDir().resolve("work").toAbsolutePath();
        command(work, count);
        final Path file = work.resolve("replay-events.avro");
        write(file, count);
        final Path state = stateParent(work).resolve("cart-rescue-bench-replay-state");
        ScaleBench.deleteRecursively(state);
        final TopicNames topics = TopicNames.defaults();
        final PlainAvroSerdes serdes = new PlainAvroSerdes();
        final Properties props = StreamsProperties.required("bench-replay", "unused:9092", topics, new DeadLetters());
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(CartRescueTopology.build(
                CartRescueTopology.Settings.defaults(TimeMode.REPLAY), PolicyLoader.defaults(), serdes), props, Instant.now())) {
            final TestInputTopic<String, StorefrontEvent> input = driver.createInputTopic(topics.events(),
                    Serdes.String().serializer(), serdes.valueSerde(StorefrontEvent.class).serializer());
            final long start = System.nanoTime();
            int piped = 0;
            long interventions = 0;
            try (DataFileReader<StorefrontEvent> reader = new DataFileReader<>(file.toFile(),
                    new SpecificDatumReader<>(StorefrontEvent.class))) {
                StorefrontEvent event = null;
                while (reader.hasNext()) {
                    event = reader.next(event);
                    input.pipeInput(event.getSessionId(), event, event.getEventTime());
                    if (++piped % DRAIN_EVERY == 0) {
                        interventions += drain(driver, topics);
                    }
                }
            }
            interventions += drain(driver, topics);
            final double seconds = (System.nanoTime() - start) / 1e9;
            final double rate = piped / seconds;
            results.info(SECTION, "engine: TopologyTestDriver events/s", rate, "ev/s", String.format(Locale.ROOT,
                    "%,d events from an Avro file through the whole topology (REPLAY, TopologyTestDriver, RocksDB in"
                            + " %s, no broker, no output files) in %.1f s; %,d interventions", piped, state.getParent(),
                    seconds, interventions));
            stateSizes(driver.getKeyValueStore(SessionDetectorProcessor.STATE_STORE), serdes.valueSerde(SessionState.class));
        }
        Files.deleteIfExists(file);
        ScaleBench.deleteRecursively(state);
    }

    /**
     * Empties every topic the driver has written (it keeps them all in memory, changelogs included),
     * as a replay that collects its outputs must; returns the interventions among them.
     */
    /** Times {@code cart-rescue replay} on a JSON-lines file of {@code count} events, in a child JVM. */
    private void command(final Path work, final int count) throws IOException, InterruptedException {
        final Path input = work.resolve("replay-events.jsonl");
        Files.createDirectories(work);
        try (BufferedWriter writer = Files.newBufferedWriter(input, StandardCharsets.UTF_8)) {
            final var storefront = SimulatedEvents.storefront(CONCURRENT_SESSIONS);
            for (int i = 0; i < count; i++) {
                writer.write(ReplayFiles.jsonLine(storefront.next()));
                writer.write('\n');
            }
        }
        final Path out = work.resolve("replay-out");
        final Path log = work.resolve("replay-command.log");
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(Profiler.childOptions(options, SECTION + "-command"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "replay",
                "--input", input.toString(), "--out", out.toString()));
        System.err.println("replay: " + String.join(" ", command));
        final long start = System.nanoTime();
        final Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        final boolean finished = process.waitFor(COMMAND_TIMEOUT_MINUTES, TimeUnit.MINUTES);
        final double seconds = (System.nanoTime() - start) / 1e9;
        if (!finished || process.exitValue() != 0) {
            process.destroyForcibly();
            results.failed(SECTION, "replay command events/s", ">= 100,000 ev/s", "cart-rescue replay did not complete"
                    + " (exit " + (finished ? process.exitValue() : "timeout") + "); see " + log);
            return;
        }
        final double rate = count / seconds;
        results.target(SECTION, "replay command events/s", rate, "ev/s", ">= 100,000 ev/s", rate >= TARGET,
                String.format(Locale.ROOT, "cart-rescue replay --input (JSON lines, %,d simulator events) --out, child"
                        + " JVM, %.1f s from start to exit, summary and report written%s", count, seconds,
                        rate >= TARGET ? "" : String.format(Locale.ROOT, "; %.0f%% below the target",
                                100 * (TARGET - rate) / TARGET)));
        if (options.profile()) {
            Profiler.summarise(options.outDir().resolve(SECTION + "-command.jfr"),
                    options.outDir().resolve(SECTION + "-command-profile.txt"));
        }
        Files.deleteIfExists(input);
        ScaleBench.deleteRecursively(out);
    }

    private static long drain(final TopologyTestDriver driver, final TopicNames topics) {
        final Set<String> interventionTopics = Set.of(topics.chatInterventions(), topics.onsiteInterventions(),
                topics.marketingInterventions());
        long interventions = 0;
        for (final String topic : driver.producedTopicNames()) {
            final TestOutputTopic<byte[], byte[]> out = driver.createOutputTopic(topic, Serdes.ByteArray().deserializer(),
                    Serdes.ByteArray().deserializer());
            final long n = out.getQueueSize();
            if (interventionTopics.contains(topic)) {
                interventions += n;
            }
            if (n > 0) {
                out.readRecordsToList();
            }
        }
        return interventions;
    }

    /** A RAM-backed directory when the system has one (the driver commits, and so writes checkpoints, after every record). */
    private static Path stateParent(final Path fallback) {
        final Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : fallback;
    }

    private void stateSizes(final KeyValueStore<String, SessionState> store, final Serde<SessionState> serde) {
        int[] sizes = new int[1024];
        int n = 0;
        try (KeyValueIterator<String, SessionState> it = store.all()) {
            while (it.hasNext()) {
                final KeyValue<String, SessionState> entry = it.next();
                if (n == sizes.length) {
                    sizes = Arrays.copyOf(sizes, n * 2);
                }
                sizes[n++] = serde.serializer().serialize("", entry.value).length;
            }
        }
        if (n == 0) {
            return;
        }
        final int[] sorted = Arrays.copyOf(sizes, n);
        Arrays.sort(sorted);
        final double mean = Arrays.stream(sorted).average().orElse(0);
        final int p99 = sorted[(int) Math.min(n - 1, Math.ceil(n * 0.99) - 1)];
        results.target(SECTION, "state value per open session (Avro, mix)", mean, "B", "<= 1 KiB", mean + 5 <= 1024,
                String.format(Locale.ROOT, "%,d sessions open at the end of the replay (the simulator's mix); p99 %d B,"
                        + " max %d B; + 5 B Confluent header in the changelog", n, p99, sorted[n - 1]));
    }

    private static void write(final Path file, final int count) throws IOException {
        Files.createDirectories(file.getParent());
        try (DataFileWriter<StorefrontEvent> writer = new DataFileWriter<>(new SpecificDatumWriter<>(StorefrontEvent.class))) {
            writer.create(StorefrontEvent.getClassSchema(), file.toFile());
            final var storefront = SimulatedEvents.storefront(CONCURRENT_SESSIONS);
            for (int i = 0; i < count; i++) {
                writer.append(storefront.next());
            }
        }
    }
}
