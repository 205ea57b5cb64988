package io.cartrescue.bench;

import io.cartrescue.app.CartRescueRuntime;
import io.cartrescue.local.LocalStack;
import io.cartrescue.policy.Policy;
import io.cartrescue.schema.StorefrontEvent;
import io.cartrescue.serde.ConfluentAvroSerde;
import io.cartrescue.serde.SchemaRegistryClient;
import io.cartrescue.serde.SchemaRegistrySettings;
import io.cartrescue.serde.SerdeSettings;
import io.cartrescue.topology.CartRescueTopology;
import io.cartrescue.topology.TimeMode;
import io.cartrescue.topology.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The applications and clients the broker benchmarks run: cart-rescue as {@code run} starts it, a
 * pass-through Kafka Streams application with the same serde and guarantee, and a producer writing
 * the Confluent wire format.
 */
public final class BenchApps {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private BenchApps() {
    }

    /** Registry settings for the local stack. */
    public static SchemaRegistrySettings registry(final LocalStack stack) {
        return SchemaRegistrySettings.builder(stack.registryUrl()).build();
    }

    /** cart-rescue with live timers, the given topics and policy, and Kafka's defaults otherwise (exactly-once v2, commit every 100 ms). */
    public static CartRescueRuntime cartRescue(final LocalStack stack, final String applicationId, final TopicNames topics,
                                               final Policy policy, final Path stateDir) {
        final CartRescueTopology.Settings topology = new CartRescueTopology.Settings(topics, TimeMode.LIVE,
                CartRescueTopology.Settings.defaults(TimeMode.LIVE).punctuationInterval());
        return CartRescueRuntime.start(new CartRescueRuntime.Settings(applicationId, stack.bootstrapServers(),
                registry(stack), true, stateDir, policy, topology, new Properties(), Duration.ofSeconds(30)));
    }

    /**
     * Reads {@code input}, deserializes each event with the Confluent serde, serializes it again and
     * writes it to {@code output}, with exactly-once v2 as cart-rescue: the engine's own limit.
     */
    public static KafkaStreams passThrough(final LocalStack stack, final String applicationId, final String input,
                                           final String output, final Path stateDir) {
        final ConfluentAvroSerde<StorefrontEvent> serde = new ConfluentAvroSerde<>(StorefrontEvent.class,
                new SchemaRegistryClient(registry(stack)), SerdeSettings.forValues());
        final StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), serde).withName("events"))
                .to(output, Produced.with(Serdes.String(), serde).withName("copy"));
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        final KafkaStreams streams = new KafkaStreams(builder.build(), props);
        streams.start();
        return streams;
    }

    /** Waits until {@code streams} is RUNNING. */
    public static void awaitRunning(final KafkaStreams streams) throws InterruptedException {
        final long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR) {
                throw new IllegalStateException("Kafka Streams did not reach RUNNING (state " + streams.state() + ")");
            }
            Thread.sleep(50);
        }
    }

    /** An idempotent producer of any cart-rescue record in the Confluent wire format. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static KafkaProducer<String, SpecificRecord> producer(final LocalStack stack, final int lingerMs) {
        final ConfluentAvroSerde serde = new ConfluentAvroSerde(SpecificRecordBase.class,
                new SchemaRegistryClient(registry(stack)), SerdeSettings.forValues());
        return new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, lingerMs,
                ProducerConfig.BATCH_SIZE_CONFIG, 262_144),
                new StringSerializer(), serde.serializer());
    }
}
