package io.cartrescue.bench;

import io.cartrescue.schema.StorefrontEvent;
import io.cartrescue.serde.ConfluentAvroSerde;
import io.cartrescue.serde.SchemaRegistryClient;
import io.cartrescue.serde.SchemaRegistrySettings;
import io.cartrescue.serde.SerdeSettings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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
 * serialize then deserialize (what the pass-through application does per record). The registry's
 * answers are cached after the set-up, as in production. Not final: JMH generates subclasses of its
 * state classes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SerdeBenchmark {
    static final int EVENTS = 1_000;
    private static final String TOPIC = "storefront.events";

    private BenchRegistry registry;
    private ConfluentAvroSerde<StorefrontEvent> serde;
    private List<StorefrontEvent> events;
    private List<byte[]> encoded;

    @Setup
    public void setUp() throws IOException {
        registry = new BenchRegistry();
        serde = new ConfluentAvroSerde<>(StorefrontEvent.class,
                new SchemaRegistryClient(SchemaRegistrySettings.builder(registry.url()).build()), SerdeSettings.forValues());
        final var storefront = SimulatedEvents.storefront(2_000);
        events = new ArrayList<>(EVENTS);
        encoded = new ArrayList<>(EVENTS);
        for (int i = 0; i < EVENTS; i++) {
            final StorefrontEvent event = storefront.next();
            events.add(event);
            encoded.add(serde.serializer().serialize(TOPIC, event));
        }
        serde.deserializer().deserialize(TOPIC, encoded.get(0));
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
}
