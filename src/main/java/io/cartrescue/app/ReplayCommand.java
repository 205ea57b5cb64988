package io.cartrescue.app;

import ch.qos.logback.classic.Level;
import io.cartrescue.detection.EventValidator;
import io.cartrescue.policy.Policy;
import io.cartrescue.policy.PolicyException;
import io.cartrescue.policy.PolicyLoader;
import io.cartrescue.replay.InputFormat;
import io.cartrescue.replay.Progress;
import io.cartrescue.replay.Replay;
import io.cartrescue.replay.ReplayEngine;
import io.cartrescue.replay.ReplayFiles;
import io.cartrescue.replay.ReplaySource;
import io.cartrescue.replay.TopicEvents;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.KafkaException;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code replay}: runs the production topology in stream-time mode, with no broker, over a file of
 * recorded events, and writes what it decided, a summary and an offline HTML report. With
 * {@code --compare-policy} it replays the same events under a second policy and lists the sessions
 * the two treat differently (what-if).
 */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Replay recorded storefront events through the same topology, in stream time, with no broker, "
                + "and write interventions, decisions, outcomes, dead letters, summary.json and report.html.",
        footerHeading = "%nExit codes:%n",
        footer = {"  0  replayed", "  1  failed (with --strict: a line that cannot be read)",
                "  2  bad command line or unreadable input", "  3  invalid policy", "",
                "A replay of a file of " + ReplayCommand.RELAUNCH_MIN_MIB + " MiB or more, started with no -XX option, starts"
                        + " itself again in a JVM with " + ReplayCommand.JVM_OPTIONS_TEXT + ", which makes large replays"
                        + " faster (--same-jvm to stay in the JVM as started)."})
public final class ReplayCommand implements Callable<Integer> {
    /**
     * JVM options for replays of millions of events, on few cores: the throughput collector (a batch
     * job has no pause target), and a smaller inlining limit for hot methods, so that the JIT's
     * optimizing compiler finishes the hot paths early instead of competing with the replay for the
     * cores for most of the run.
     */
    public static final List<String> JVM_OPTIONS = List.of(ReplayCommand.JVM_OPTIONS_TEXT.split(" "));
    /** {@link #JVM_OPTIONS} as they are typed. */
    static final String JVM_OPTIONS_TEXT = "-XX:+UseParallelGC -XX:FreqInlineSize=100";
    /** The smallest input, in MiB, for which a replay starts itself again with {@link #JVM_OPTIONS}. */
    static final int RELAUNCH_MIN_MIB = 64;

    @Spec
    private CommandSpec spec;

    @Option(names = "--input", paramLabel = "FILE",
            description = "Events: JSON lines (.jsonl, .ndjson, .json) or a REES46 CSV export (.csv). Or --topic.")
    private Path input;

    @Option(names = "--topic", paramLabel = "NAME",
            description = "Instead of --input: a recorded storefront events topic, read with the replay's own consumer "
                    + "(assigned partitions, no group, no commits); needs --bootstrap-servers and --schema-registry-url.")
    private String topic;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT,...", description = "The cluster of --topic.")
    private String bootstrapServers;

    @Option(names = "--schema-registry-url", paramLabel = "URL", description = "The schema registry of --topic's records.")
    private String registryUrl;

    @Option(names = "--from-offset", paramLabel = "N", description = "--topic: first offset of each partition.")
    private Long fromOffset;

    @Option(names = "--to-offset", paramLabel = "N", description = "--topic: last offset of each partition (inclusive).")
    private Long toOffset;

    @Option(names = "--from-time", paramLabel = "ISO-8601", description = "--topic: first record time, e.g. 2026-03-02T00:00:00Z.")
    private Instant fromTime;

    @Option(names = "--to-time", paramLabel = "ISO-8601",
            description = "--topic: records from this time on are left out. Without --to-offset or --to-time, the end "
                    + "offsets when the replay starts.")
    private Instant toTime;

    @Option(names = "--consumer-property", paramLabel = "KEY=VALUE",
            description = "--topic: a Kafka consumer setting (security.protocol, sasl.*, ssl.*); repeatable.")
    private Map<String, String> consumerProperties = new LinkedHashMap<>();

    @Option(names = "--format", paramLabel = "jsonl|rees46", description = "Input format, when the extension does not tell.")
    private String format;

    @Option(names = "--policy", paramLabel = "FILE", description = "Policy YAML merged over the built-in one (default: built-in).")
    private Path policy;

    @Option(names = "--compare-policy", paramLabel = "FILE",
            description = "What-if: replay the same events under this policy too and list the sessions decided differently.")
    private Path comparePolicy;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (created if missing; files in it are replaced).")
    private Path out;

    @Option(names = "--profiles", paramLabel = "FILE",
            description = "Customer profiles as JSON lines (plain JSON form of CustomerProfile), loaded before the events.")
    private Path profiles;

    @Option(names = "--strict", description = "Stop at the first line that cannot be read (exit code 1) instead of reporting and skipping it.")
    private boolean strict;

    @Option(names = "--flush-at-end", description = "After the last event, move stream time past every deadline so that "
            + "open sessions settle: stalls and abandonment fire, held offers are released, attribution windows close. "
            + "Off by default: a recording ends at an arbitrary moment, and settling would call \"abandoned\" sessions "
            + "that were only cut off, and \"not converted\" shoppers who ordered after the recording ended.")
    private boolean flushAtEnd;

    @Option(names = "--currency", paramLabel = "CODE", defaultValue = "USD",
            description = "Currency of REES46 amounts (the data set does not name one; default: ${DEFAULT-VALUE}).")
    private String currency;

    @Option(names = "--engine", paramLabel = "direct|kafka-streams", defaultValue = "direct",
            converter = EngineConverter.class,
            description = "direct (default): the topology's processors called in its order, state kept as objects; "
                    + "kafka-streams: the topology in Kafka Streams' own stream task, every record and state value encoded "
                    + "as in production (several times slower). Both give the same files.")
    private ReplayEngine.Kind engine;

    @Option(names = "--same-jvm", description = "Stay in the JVM as it was started, even for a large file "
            + "(see below).")
    private boolean sameJvm;

    /** Reads --engine. */
    static final class EngineConverter implements CommandLine.ITypeConverter<ReplayEngine.Kind> {
        @Override
        public ReplayEngine.Kind convert(final String value) {
            return switch (value) {
                case "direct" -> ReplayEngine.Kind.DIRECT;
                case "kafka-streams" -> ReplayEngine.Kind.KAFKA_STREAMS;
                default -> throw new CommandLine.TypeConversionException(
                        "'" + value + "' is not an engine: use direct or kafka-streams");
            };
        }
    }

    @Override
    public Integer call() {
        final PrintWriter err = spec.commandLine().getErr();
        final PrintWriter stdout = spec.commandLine().getOut();
        if ((input == null) == (topic == null)) {
            err.println("replay: give either --input FILE or --topic NAME");
            return Main.EXIT_USAGE;
        }
        for (final Path file : new Path[] {input, profiles}) {
            if (file != null && !(Files.isRegularFile(file) && Files.isReadable(file))) {
                err.println("replay: cannot read " + file);
                return Main.EXIT_USAGE;
            }
        }
        if (!EventValidator.knownCurrency(currency)) {
            err.println("replay: --currency " + currency + " is not an ISO 4217 code (e.g. USD, EUR)");
            return Main.EXIT_USAGE;
        }
        if (input != null && !sameJvm && large(input) && JvmRelaunch.possible()) {
            err.println("replay: a large input: starting again in a JVM with " + JVM_OPTIONS_TEXT + " (--same-jvm to stay)");
            err.flush();
            try {
                return JvmRelaunch.run(JVM_OPTIONS);
            } catch (IOException e) {
                err.println("replay: cannot start a JVM (" + e.getMessage() + "); replaying in this one");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Main.EXIT_FAILURE;
            }
        }
        final ReplaySource source;
        try {
            source = input != null ? ReplaySource.file(input, InputFormat.of(input, format)) : topicSource();
        } catch (IllegalArgumentException e) {
            err.println("replay: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        final Policy main;
        final Policy compare;
        try {
            main = policy == null ? PolicyLoader.defaults() : PolicyLoader.load(policy);
            compare = comparePolicy == null ? null : PolicyLoader.load(comparePolicy);
        } catch (PolicyException e) {
            err.println("replay: " + e.getMessage());
            e.errors().forEach(error -> err.println("  " + error));
            return Main.EXIT_CONFIG;
        } catch (UncheckedIOException e) {
            err.println("replay: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        quietKafkaLogs();
        final Replay replay = new Replay(new Replay.Options(source, main, compare, profiles, strict,
                flushAtEnd, currency, engine));
        try {
            final long started = System.nanoTime();
            final Replay.Result result;
            try (Progress progress = Progress.forConsole(input != null, System.err)) {
                result = replay.run(progress);
            }
            final long replayed = System.nanoTime();
            ReplayFiles.write(out, result);
            err.println(timing(result, replayed - started, System.nanoTime() - replayed));
            stdout.println(done(result));
            return 0;
        } catch (Replay.StrictFailure e) {
            err.println("replay: " + e.getMessage());
            return Main.EXIT_FAILURE;
        } catch (IOException | UncheckedIOException | KafkaException | IllegalArgumentException e) {
            err.println("replay: " + e.getMessage());
            return Main.EXIT_FAILURE;
        }
    }

    private static boolean large(final Path file) {
        try {
            return Files.size(file) >= RELAUNCH_MIN_MIB * 1024L * 1024L;
        } catch (IOException e) {
            return false;
        }
    }

    private ReplaySource topicSource() {
        if (bootstrapServers == null || registryUrl == null) {
            throw new IllegalArgumentException("--topic needs --bootstrap-servers and --schema-registry-url");
        }
        final Properties consumer = new Properties();
        consumer.putAll(consumerProperties);
        consumer.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return TopicEvents.source(new TopicEvents.Range(topic, fromOffset, toOffset, fromTime, toTime), consumer, registryUrl);
    }

    /** How long the replay took, and how long writing its files and report took. */
    @SuppressWarnings("unchecked")
    private static String timing(final Replay.Result result, final long replayNanos, final long filesNanos) {
        final long events = ((Number) ((Map<String, Object>) result.main().summary().get("input")).get("events")).longValue();
        final double seconds = replayNanos / 1e9;
        return String.format(Locale.ROOT, "replay: %,d events replayed in %.2f s (%,.0f events/s); files and report"
                + " written in %.2f s", events, seconds, seconds > 0 ? events / seconds : 0, filesNanos / 1e9);
    }

    @SuppressWarnings("unchecked")
    private String done(final Replay.Result result) {
        final Map<String, Object> summary = result.main().summary();
        final Map<String, Object> in = (Map<String, Object>) summary.get("input");
        final Map<String, Object> decisions = (Map<String, Object>) summary.get("decisions");
        final Map<String, Object> interventions = (Map<String, Object>) summary.get("interventions");
        final StringBuilder line = new StringBuilder(String.format("replayed %,d events (%,d malformed, %,d dead-lettered): "
                        + "%,d decisions, %,d interventions -> %s", in.get("events"), in.get("malformedLines"), in.get("deadLettered"),
                decisions.get("total"), interventions.get("total"), out.resolve("report.html")));
        if (result.compare() != null) {
            line.append(String.format("%nwhat-if: %,d sessions decided differently (differences.jsonl)", result.differences().size()));
        }
        return line.toString();
    }

    /**
     * The driver's own warnings (a temporary state directory, the global exception handler) say
     * nothing to an analyst and would break the progress bar; errors still show.
     */
    private static void quietKafkaLogs() {
        if (LoggerFactory.getLogger("org.apache.kafka") instanceof ch.qos.logback.classic.Logger kafka) {
            kafka.setLevel(Level.ERROR);
        }
    }
}
