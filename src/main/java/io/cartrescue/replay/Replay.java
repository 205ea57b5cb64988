package io.cartrescue.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cartrescue.policy.Policy;
import io.cartrescue.schema.CustomerProfile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One analyst replay: reads the input file once, pipes every event into one {@link ReplayEngine}
 * per policy (two for a what-if), optionally settles everything still open at the end, and returns
 * what each produced with its summary and, for a what-if, the sessions the policies treat
 * differently. Lines that cannot be read are reported with their line number and skipped, or stop
 * the replay with {@code strict}.
 */
public final class Replay {
    private static final Logger LOG = LoggerFactory.getLogger(Replay.class);
    private final Options options;
    private final BiFunction<ReplayEngine.Kind, Policy, ReplayEngine> engines;

    /**
     * What to replay and how.
     *
     * @param source        the events: a file or a topic range
     * @param policy        the policy
     * @param comparePolicy the policy to compare with (what-if), or null
     * @param profiles      a JSON-lines file of customer profiles, or null
     * @param strict        stop at the first line that cannot be read
     * @param flushAtEnd    move stream time past every deadline after the last event
     * @param currency      currency of REES46 amounts
     * @param engine        the engine that runs the topology
     */
    public record Options(ReplaySource source, Policy policy, Policy comparePolicy, Path profiles,
                          boolean strict, boolean flushAtEnd, String currency, ReplayEngine.Kind engine) {
        public Options {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(currency, "currency");
            Objects.requireNonNull(engine, "engine");
        }

        /** The same options on the direct engine. */
        public Options(final ReplaySource source, final Policy policy, final Policy comparePolicy, final Path profiles,
                       final boolean strict, final boolean flushAtEnd, final String currency) {
            this(source, policy, comparePolicy, profiles, strict, flushAtEnd, currency, ReplayEngine.Kind.DIRECT);
        }

        /** The same options on {@code kind}. */
        public Options on(final ReplayEngine.Kind kind) {
            return new Options(source, policy, comparePolicy, profiles, strict, flushAtEnd, currency, kind);
        }
    }

    /** One policy's outputs and summary. */
    public record Run(Policy policy, ReplayOutputs outputs, Map<String, Object> summary) {
    }

    /**
     * What the replay produced.
     *
     * @param main        the policy's run
     * @param compare     the compared policy's run, or null
     * @param differences the sessions the two decided differently (empty without a what-if)
     */
    public record Result(Run main, Run compare, List<PolicyComparison.SessionDifference> differences) {
    }

    /** A line that cannot be read, under {@code --strict}. */
    public static final class StrictFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StrictFailure(final String file, final long line, final MalformedLineException cause) {
            super(file + ":" + line + ": " + cause.reason() + ": " + cause.getMessage(), cause);
        }
    }

    public Replay(final Options options) {
        this(options, ReplayEngine.Kind::create);
    }

    /** A replay whose engines {@code engines} makes. */
    Replay(final Options options, final BiFunction<ReplayEngine.Kind, Policy, ReplayEngine> engines) {
        this.options = options;
        this.engines = engines;
    }

    /**
     * Runs the replay, reporting progress as it reads. Should the direct engine be unable to go on
     * (see {@link DirectReplayEngine.CannotContinue}), the input is read again on the Kafka Streams
     * engine, and a warning says why.
     */
    public Result run(final Progress progress) throws IOException {
        try {
            return run(options.engine(), progress);
        } catch (DirectReplayEngine.CannotContinue e) {
            LOG.warn("the direct replay engine cannot go on ({}); replaying the input again on the Kafka Streams engine",
                    e.getMessage(), e);
            return run(ReplayEngine.Kind.KAFKA_STREAMS, progress);
        }
    }

    private Result run(final ReplayEngine.Kind kind, final Progress progress) throws IOException {
        final List<ReplayEngine> drivers = new ArrayList<>();
        final InputStats stats = new InputStats();
        final Funnel funnel = new Funnel();
        // The reader starts first: it reads ahead while the engines are built and the profiles loaded.
        try (ReadAhead source = new ReadAhead(options.source().open(options.currency()), kind.encoder(), tally(stats, funnel))) {
            drivers.add(engines.apply(kind, options.policy()));
            if (options.comparePolicy() != null) {
                drivers.add(engines.apply(kind, options.comparePolicy()));
            }
            final List<DeadLetter> unread = new ArrayList<>();
            if (options.profiles() != null) {
                readProfiles(drivers, unread);
            }
            readEvents(source, drivers, unread, progress);
            final List<Run> runs = new ArrayList<>();
            for (final ReplayEngine driver : drivers) {
                if (options.flushAtEnd()) {
                    driver.flushToTheEnd();
                }
                final ReplayOutputs outputs = driver.finish();
                unread.forEach(outputs::add);
                outputs.sort();
                runs.add(new Run(driver.policy(), outputs, Summary.of(new Summary.Context(options.source().name(),
                        options.source().format(), driver.policy().version(), options.flushAtEnd(), stats, funnel), outputs)));
            }
            final Run compare = runs.size() > 1 ? runs.get(1) : null;
            final List<PolicyComparison.SessionDifference> differences = compare == null ? List.of()
                    : PolicyComparison.differences(runs.get(0).outputs().decisions(), compare.outputs().decisions());
            return new Result(runs.get(0), compare, differences);
        } finally {
            drivers.forEach(ReplayEngine::close);
        }
    }

    private void readEvents(final ReadAhead source, final List<ReplayEngine> drivers, final List<DeadLetter> unread,
                            final Progress progress) throws IOException {
        for (ReadAhead.Read read = source.next(); read != null; read = source.next()) {
            final EventSource.Item item = read.item();
            if (item.problem() != null) {
                if (options.strict()) {
                    throw new StrictFailure(source.name(), item.position(), item.problem());
                }
                unread.add(new DeadLetter("events", item.position(), "read", item.problem().reason(),
                        item.problem().getMessage(), item.topic(), item.offset()));
            } else if (item.event() != null) {
                for (final ReplayEngine driver : drivers) {
                    driver.pipe(item.event(), read.encoded(), item.position());
                }
            }
            progress.update(source.progress(), source.total(), source.events());
        }
    }

    /** Counts every item read into {@code stats} and its events into {@code funnel}, as the summary reports them. */
    public static Consumer<EventSource.Item> tally(final InputStats stats, final Funnel funnel) {
        return item -> {
            stats.line();
            if (item.skipped()) {
                stats.skip();
            } else if (item.problem() != null) {
                stats.malformed(item.problem().reason());
            } else {
                stats.event(item.event());
                funnel.accept(item.event());
            }
        };
    }

    private void readProfiles(final List<ReplayEngine> drivers, final List<DeadLetter> unread) throws IOException {
        final ObjectMapper mapper = new ObjectMapper();
        final String name = options.profiles().getFileName().toString();
        try (LineSource source = new LineSource(options.profiles())) {
            for (String line = source.next(); line != null; line = source.next()) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    final CustomerProfile profile = JsonRecords.read(json(mapper, line), CustomerProfile.class);
                    drivers.forEach(d -> d.profile(profile));
                } catch (MalformedLineException e) {
                    if (options.strict()) {
                        throw new StrictFailure(name, source.lineNumber(), e);
                    }
                    unread.add(new DeadLetter("profiles", source.lineNumber(), "read", e.reason(), e.getMessage(), null, null));
                }
            }
        }
    }

    private static JsonNode json(final ObjectMapper mapper, final String line) throws MalformedLineException {
        try {
            return mapper.readTree(line);
        } catch (JsonProcessingException e) {
            throw new MalformedLineException("invalid-json", "not JSON: " + e.getOriginalMessage());
        }
    }
}
