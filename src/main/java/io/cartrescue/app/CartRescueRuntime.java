package io.cartrescue.app;

import io.cartrescue.policy.Policy;
import io.cartrescue.processor.DeadLetters;
import io.cartrescue.serde.RegistrySerdeProvider;
import io.cartrescue.serde.SchemaRegistryClient;
import io.cartrescue.serde.SchemaRegistrySettings;
import io.cartrescue.topology.CartRescueTopology;
import io.cartrescue.topology.StreamsProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running cart-rescue instance: the topology, its Kafka Streams client, and the lifecycle an
 * operator can rely on. One log line per state change; a stream thread that dies is replaced (a
 * registry or broker outage is waited out this way, record by record, never skipped); closing
 * waits for a clean shutdown up to a timeout. Local state is never wiped on start.
 */
public final class CartRescueRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CartRescueRuntime.class);

    private final KafkaStreams streams;
    private final DeadLetters deadLetters;
    private final Duration shutdownTimeout;

    /**
     * What an instance needs.
     *
     * @param applicationId     Kafka Streams application id (consumer group, internal topic prefix)
     * @param bootstrapServers  the Kafka cluster
     * @param registry          the schema registry
     * @param autoRegister      whether schemas are registered by the application
     * @param stateDir          where RocksDB keeps the state
     * @param policy            the policy
     * @param topology          topic names and time mode
     * @param kafkaOverrides    further Kafka / Streams settings from the operator (may be empty)
     * @param shutdownTimeout   how long closing may take
     */
    public record Settings(String applicationId, String bootstrapServers, SchemaRegistrySettings registry,
                           boolean autoRegister, Path stateDir, Policy policy, CartRescueTopology.Settings topology,
                           Properties kafkaOverrides, Duration shutdownTimeout) {
        public Settings {
            Objects.requireNonNull(applicationId, "applicationId");
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(registry, "registry");
            Objects.requireNonNull(stateDir, "stateDir");
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(topology, "topology");
            kafkaOverrides = kafkaOverrides == null ? new Properties() : kafkaOverrides;
            Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        }
    }

    private CartRescueRuntime(final KafkaStreams streams, final DeadLetters deadLetters, final Duration shutdownTimeout) {
        this.streams = streams;
        this.deadLetters = deadLetters;
        this.shutdownTimeout = shutdownTimeout;
    }

    /** The Kafka Streams properties an instance runs with: the operator's settings, then what cart-rescue requires. */
    public static Properties streamsProperties(final Settings settings, final DeadLetters deadLetters) {
        final Properties props = new Properties();
        props.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().toString());
        props.putAll(settings.kafkaOverrides());
        props.putAll(StreamsProperties.required(settings.applicationId(), settings.bootstrapServers(),
                settings.topology().topics(), deadLetters));
        return props;
    }

    /** Builds and starts an instance. */
    public static CartRescueRuntime start(final Settings settings) {
        final DeadLetters deadLetters = new DeadLetters();
        final SchemaRegistryClient client = new SchemaRegistryClient(settings.registry());
        final Topology topology = CartRescueTopology.build(settings.topology(), settings.policy(),
                new RegistrySerdeProvider(client, settings.autoRegister()));
        final KafkaStreams streams = new KafkaStreams(topology, streamsProperties(settings, deadLetters));
        streams.setStateListener((now, before) -> LOG.info("state {} -> {}", before, now));
        streams.setUncaughtExceptionHandler(exception -> {
            LOG.error("stream thread failed; replacing it, the records it held will be processed again", exception);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        LOG.info("starting application {} against {} (time mode {}, policy {})", settings.applicationId(),
                settings.bootstrapServers(), settings.topology().timeMode(), settings.policy().version());
        streams.start();
        return new CartRescueRuntime(streams, deadLetters, settings.shutdownTimeout());
    }

    public KafkaStreams streams() {
        return streams;
    }

    public DeadLetters deadLetters() {
        return deadLetters;
    }

    public boolean isRunning() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    @Override
    public void close() {
        if (!streams.close(shutdownTimeout)) {
            LOG.warn("Kafka Streams did not close within {}", shutdownTimeout);
        }
    }
}
