package io.cartrescue.bench;

import io.cartrescue.detection.SessionDetector;
import io.cartrescue.policy.PolicyLoader;
import io.cartrescue.schema.SessionState;
import io.cartrescue.schema.StorefrontEvent;
import io.cartrescue.serde.ConfluentAvroSerde;
import io.cartrescue.serde.SchemaRegistryClient;
import io.cartrescue.serde.SchemaRegistrySettings;
import io.cartrescue.serde.SerdeSettings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The Confluent wire-format serde on storefront events of the simulator's mix: serialize, and
 * serialize then deserialize (what the pass-through application does per record); and on the
 * session states those events leave open, the value the session detector writes to its store on
 * every event. The registry's answers are cached after the set-up, as in production. Not final:
 * JMH generates subclasses of its state classes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SerdeBenchmark {
    static final int EVENTS = 1_000;
    static final int STATES = 1_000;
    private static final String TOPIC = "storefront.events";
    private static final String STATE_TOPIC = "cart-rescue-session-state-changelog";
    private static final int DETECTOR_EVENTS = 20_000;

    private BenchRegistry registry;
    private ConfluentAvroSerde<StorefrontEvent> serde;
    private List<StorefrontEvent> events;
    private List<byte[]> encoded;
    private ConfluentAvroSerde<SessionState> stateSerde;
    private List<SessionState> states;
    private List<byte[]> encodedStates;

    @Setup
    public void setUp() throws IOException {
        registry = new BenchRegistry();
        serde = new ConfluentAvroSerde<>(StorefrontEvent.class,
                new SchemaRegistryClient(SchemaRegistrySettings.builder(registry.url()).build()), SerdeSettings.forValues());
        stateSerde = new ConfluentAvroSerde<>(SessionState.class,
                new SchemaRegistryClient(SchemaRegistrySettings.builder(registry.url()).build()), SerdeSettings.forValues());
        final var storefront = SimulatedEvents.storefront(2_000);
        final List<StorefrontEvent> detected = new ArrayList<>(DETECTOR_EVENTS);
        events = new ArrayList<>(EVENTS);
        encoded = new ArrayList<>(EVENTS);
        for (int i = 0; i < DETECTOR_EVENTS; i++) {
            final StorefrontEvent event = storefront.next();
            detected.add(event);
            if (i < EVENTS) {
                events.add(event);
                encoded.add(serde.serializer().serialize(TOPIC, event));
            }
        }
        serde.deserializer().deserialize(TOPIC, encoded.get(0));
        final List<SessionState> open = new ArrayList<>(openSessions(detected).values());
        states = new ArrayList<>(STATES);
        encodedStates = new ArrayList<>(STATES);
        for (int i = 0; i < STATES; i++) {
            final SessionState state = open.get(i % open.size());
            states.add(state);
            encodedStates.add(stateSerde.serializer().serialize(STATE_TOPIC, state));
        }
        stateSerde.deserializer().deserialize(STATE_TOPIC, encodedStates.get(0));
    }

    /** The sessions {@code events} leave open, as the session detector's store would hold them. */
    private static Map<String, SessionState> openSessions(final List<StorefrontEvent> events) {
        final SessionDetector detector = new SessionDetector(PolicyLoader.defaults().detection(), "bench");
        final Map<String, SessionState> open = new HashMap<>(8_192);
        for (final StorefrontEvent event : events) {
            final SessionDetector.Step step = detector.onEvent(open.get(event.getSessionId()), event);
            if (step.state() == null) {
                open.remove(event.getSessionId());
            } else {
                open.put(event.getSessionId(), step.state());
            }
        }
        return open;
    }

    @TearDown
    public void tearDown() {
        registry.close();
    }

    /** One event to Confluent wire-format bytes. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void serialize(final Blackhole blackhole) {
        for (final StorefrontEvent event : events) {
            blackhole.consume(serde.serializer().serialize(TOPIC, event));
        }
    }

    /** One event from Confluent wire-format bytes. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void deserialize(final Blackhole blackhole) {
        for (final byte[] bytes : encoded) {
            blackhole.consume(serde.deserializer().deserialize(TOPIC, bytes));
        }
    }

    /** One event serialized and read back. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void roundTrip(final Blackhole blackhole) {
        for (final StorefrontEvent event : events) {
            blackhole.consume(serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, event)));
        }
    }

    /** One session state to Confluent wire-format bytes (the store write of every event). */
    @Benchmark
    @OperationsPerInvocation(STATES)
    public void serializeState(final Blackhole blackhole) {
        for (final SessionState state : states) {
            blackhole.consume(stateSerde.serializer().serialize(STATE_TOPIC, state));
        }
    }

    /** One session state from Confluent wire-format bytes (the store read of every event). */
    @Benchmark
    @OperationsPerInvocation(STATES)
    public void deserializeState(final Blackhole blackhole) {
        for (final byte[] bytes : encodedStates) {
            blackhole.consume(stateSerde.deserializer().deserialize(STATE_TOPIC, bytes));
        }
    }
}
