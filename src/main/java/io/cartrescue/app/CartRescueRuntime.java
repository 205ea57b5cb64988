package io.cartrescue.app;

import io.cartrescue.config.AppConfig;
import io.cartrescue.config.RegistrySettings;
import io.cartrescue.config.Secret;
import io.cartrescue.http.AppServer;
import io.cartrescue.http.HttpSettings;
import io.cartrescue.http.Routes;
import io.cartrescue.http.SessionLookup;
import io.cartrescue.http.StreamsHealth;
import io.cartrescue.metrics.MicrometerCartRescueMetrics;
import io.cartrescue.policy.Policy;
import io.cartrescue.processor.Causes;
import io.cartrescue.processor.DeadLetters;
import io.cartrescue.serde.RegistrySerdeProvider;
import io.cartrescue.serde.SchemaRegistryClient;
import io.cartrescue.serde.SchemaRegistryException;
import io.cartrescue.serde.SchemaRegistrySettings;
import io.cartrescue.topology.CartRescueTopology;
import io.cartrescue.topology.StreamsProperties;
import io.cartrescue.topology.TopicNames;
import io.cartrescue.topology.WrittenSchemas;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running cart-rescue instance: the topology, its Kafka Streams client, and the lifecycle an
 * operator can rely on. One log line per state change; a stream thread that dies is replaced (a
 * registry or broker outage is waited out this way, record by record, never skipped); closing
 * waits for a clean shutdown up to a timeout. Local state is never wiped on start. When it has HTTP
 * settings it serves health, metrics and session look-ups on one port ({@link AppServer}), which
 * it also advertises to the other instances as {@code application.server}, unless the operator set that.
 */
public final class CartRescueRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CartRescueRuntime.class);

    private final KafkaStreams streams;
    private final DeadLetters deadLetters;
    private final Duration shutdownTimeout;
    private final Monitoring monitoring;
    private final Failure failure;

    /** What made Kafka Streams stop for good, set by the uncaught-exception handler and the state listener. */
    private static final class Failure {
        private final CountDownLatch failed = new CountDownLatch(1);
        private volatile boolean notAuthorized;
    }

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
     * @param http              where the HTTP endpoint listens; null for none
     */
    public record Settings(String applicationId, String bootstrapServers, SchemaRegistrySettings registry,
                           boolean autoRegister, Path stateDir, Policy policy, CartRescueTopology.Settings topology,
                           Properties kafkaOverrides, Duration shutdownTimeout, HttpSettings http) {
        /** Settings of an instance without the HTTP endpoint. */
        public Settings(final String applicationId, final String bootstrapServers, final SchemaRegistrySettings registry,
                        final boolean autoRegister, final Path stateDir, final Policy policy,
                        final CartRescueTopology.Settings topology, final Properties kafkaOverrides,
                        final Duration shutdownTimeout) {
            this(applicationId, bootstrapServers, registry, autoRegister, stateDir, policy, topology, kafkaOverrides,
                    shutdownTimeout, null);
        }

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

        /** The same settings with another topology. */
        public Settings withTopology(final CartRescueTopology.Settings other) {
            return new Settings(applicationId, bootstrapServers, registry, autoRegister, stateDir, policy, other,
                    kafkaOverrides, shutdownTimeout, http);
        }

        /** What {@code run} starts: everything from the operator's configuration, the HTTP endpoint included. */
        public static Settings from(final AppConfig config, final Policy policy) {
            return new Settings(config.applicationId(), config.bootstrapServers(), registry(config.registry()),
                    config.registry().autoRegister(), config.stateDir(), policy, config.topologySettings(),
                    config.kafkaProperties(), config.shutdownTimeout(), new HttpSettings(config.httpHost(), config.httpPort()));
        }

        private static SchemaRegistrySettings registry(final RegistrySettings r) {
            final SchemaRegistrySettings.Builder builder = SchemaRegistrySettings.builder(r.url().toString());
            r.basicAuthUserInfo().ifPresent(secret -> builder.basicAuth(secret.reveal()));
            r.truststoreLocation().ifPresent(path -> builder.trustStore(path,
                    r.truststorePassword().map(Secret::reveal).orElse(null), null));
            return builder.build();
        }
    }

    /** The metrics registry and its binders, and the HTTP endpoint if any: what is closed after Kafka Streams. */
    private record Monitoring(PrometheusMeterRegistry registry, KafkaStreamsMetrics streamsMetrics, JvmGcMetrics gc,
                              AppServer server) implements AutoCloseable {
        @Override
        public void close() {
            if (server != null) {
                server.close();
            }
            streamsMetrics.close();
            gc.close();
            registry.close();
        }
    }

    private CartRescueRuntime(final KafkaStreams streams, final DeadLetters deadLetters, final Duration shutdownTimeout,
                              final Monitoring monitoring, final Failure failure) {
        this.streams = streams;
        this.deadLetters = deadLetters;
        this.shutdownTimeout = shutdownTimeout;
        this.monitoring = monitoring;
        this.failure = failure;
    }

    /** The permissions an instance with these settings needs, naming the principal its JAAS configuration logs in as. */
    static KafkaPermissions permissions(final String applicationId, final String bootstrapServers,
                                        final TopicNames topics, final Properties kafka) {
        return new KafkaPermissions(topics, applicationId,
                KafkaPermissions.principalOf(kafka.get(SaslConfigs.SASL_JAAS_CONFIG)), bootstrapServers);
    }

    /** The Kafka Streams properties an instance runs with: the operator's settings, then what cart-rescue requires. */
    public static Properties streamsProperties(final Settings settings, final DeadLetters deadLetters) {
        final Properties props = new Properties();
        props.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().toString());
        props.putAll(settings.kafkaOverrides());
        props.putAll(StreamsProperties.required(settings.applicationId(), settings.bootstrapServers(),
                settings.topology().topics(), deadLetters));
        // The one required setting an operator may choose otherwise (the configuration warns about it).
        final Object guarantee = settings.kafkaOverrides().get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG);
        if (guarantee != null) {
            props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        }
        return props;
    }

    /** Builds and starts an instance; with HTTP settings, binds the port first and fails if it is taken. */
    public static CartRescueRuntime start(final Settings settings) {
        final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("application", settings.applicationId());
        final MicrometerCartRescueMetrics metrics = new MicrometerCartRescueMetrics(registry);
        final DeadLetters deadLetters = new DeadLetters(metrics);
        final AppServer server = settings.http() == null ? null : AppServer.bind(settings.http());
        try {
            final Properties properties = streamsProperties(settings, deadLetters);
            if (server != null) {
                properties.putIfAbsent(StreamsConfig.APPLICATION_SERVER_CONFIG, endpoint(server.advertised()));
            }
            final StreamsHealth health = new StreamsHealth();
            final Failure failure = new Failure();
            final KafkaStreams streams = newStreams(settings, properties, metrics, health, failure);
            final Monitoring monitoring = monitor(registry, streams, server);
            if (server != null) {
                final HostInfo self = HostInfo.buildFromEndpoint(String.valueOf(
                        properties.get(StreamsConfig.APPLICATION_SERVER_CONFIG)));
                server.start(new Routes(health, registry::scrape, new SessionLookup(streams, self)));
            }
            LOG.info("starting application {} against {} (time mode {}, policy {})", settings.applicationId(),
                    settings.bootstrapServers(), settings.topology().timeMode(), settings.policy().version());
            streams.start();
            return new CartRescueRuntime(streams, deadLetters, settings.shutdownTimeout(), monitoring, failure);
        } catch (final RuntimeException e) {
            if (server != null) {
                server.close();
            }
            throw e;
        }
    }

    /**
     * Resolves, on a background thread, the schema id of every topic the topology writes (registering
     * the schemas if auto-registration is on), so that they are in the client's cache before the
     * first record needs them: a registry outage later then holds up only a schema that is really
     * new. If the registry does not answer now, the records that need an id wait for it as usual.
     */
    private static void resolveSchemaIds(final SchemaRegistryClient client, final Settings settings) {
        final Thread thread = new Thread(() -> {
            for (final Map.Entry<String, Schema> written
                    : WrittenSchemas.of(settings.applicationId(), settings.topology().topics()).entrySet()) {
                final String subject = written.getKey() + "-value";
                try {
                    if (settings.autoRegister()) {
                        client.register(subject, written.getValue());
                    } else {
                        client.lookUp(subject, written.getValue());
                    }
                } catch (final RuntimeException e) {
                    LOG.warn("could not resolve the schema id for {} at start ({}); records will wait for it",
                            subject, e.getMessage());
                }
            }
        }, "cart-rescue-schema-ids");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Kafka Streams for the topology, logging and reporting its state changes, replacing failed threads.
     * A thread that failed because Kafka denied access (an ACL is missing) or rejected the credentials
     * is not replaced: a new thread would fail the same way, forever. The instance stops instead, with
     * one ERROR line naming what is missing, and {@link #hasFailed()} turns true.
     */
    private static KafkaStreams newStreams(final Settings settings, final Properties properties,
                                           final MicrometerCartRescueMetrics metrics, final StreamsHealth health,
                                           final Failure failure) {
        final KafkaPermissions permissions = permissions(settings.applicationId(), settings.bootstrapServers(),
                settings.topology().topics(), settings.kafkaOverrides());
        final SchemaRegistryClient client = new SchemaRegistryClient(settings.registry());
        resolveSchemaIds(client, settings);
        final Topology topology = CartRescueTopology.build(settings.topology(), settings.policy(),
                new RegistrySerdeProvider(client, settings.autoRegister()), metrics);
        final KafkaStreams streams = new KafkaStreams(topology, properties);
        streams.setStateListener((now, before) -> {
            LOG.info("state {} -> {}", before, now);
            health.onChange(now, before);
            if (now == KafkaStreams.State.ERROR) {
                failure.failed.countDown();
            }
        });
        streams.setUncaughtExceptionHandler(exception -> {
            final Optional<List<String>> denied = permissions.explain(exception);
            if (denied.isPresent()) {
                failure.notAuthorized = true;
                LOG.error("{}{}stopping this instance: a restarted thread would be denied the same way ({})",
                        permissions.report(denied.get()), System.lineSeparator(), rootMessage(exception));
                LOG.debug("the failure in full", exception);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
            final Optional<String> refused = registryRefusal(exception);
            if (refused.isPresent()) {
                failure.notAuthorized = true;
                LOG.error("{}; stopping this instance: a restarted thread would be refused the same way", refused.get());
                LOG.debug("the failure in full", exception);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
            LOG.error("stream thread failed; replacing it, the records it held will be processed again", exception);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        return streams;
    }

    private static Monitoring monitor(final PrometheusMeterRegistry registry, final KafkaStreams streams,
                                      final AppServer server) {
        final KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        final JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return new Monitoring(registry, streamsMetrics, gc, server);
    }

    /** {@code host:port}, with an IPv6 literal in brackets as Kafka Streams parses it. */
    private static String endpoint(final HostInfo host) {
        return (host.host().contains(":") ? "[" + host.host() + "]" : host.host()) + ":" + host.port();
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

    /** Whether Kafka Streams has stopped with an error (state ERROR) and will not process any more. */
    public boolean hasFailed() {
        return failure.failed.getCount() == 0;
    }

    /** Whether it stopped because Kafka denied access or rejected the credentials. */
    public boolean notAuthorized() {
        return failure.notAuthorized;
    }

    /**
     * What to tell the operator when the failure is the schema registry refusing cart-rescue's
     * credentials (HTTP 401) or permissions (403) while running, say after a password rotation:
     * every record would fail the same way, so replacing the thread would only loop.
     */
    static Optional<String> registryRefusal(final Throwable failure) {
        return Causes.find(failure, SchemaRegistryException.class)
                .filter(refused -> refused.httpStatus() == 401 || refused.httpStatus() == 403)
                .map(refused -> "not authorized: the schema registry answered HTTP " + refused.httpStatus()
                        + (refused.httpStatus() == 401
                        ? " (credentials missing or wrong): check cart-rescue.schema.registry.basic.auth.user.info"
                                + " (CART_RESCUE_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO)"
                        : " (forbidden): the registry user needs to read and register schemas"));
    }

    private static String rootMessage(final Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    /** The port of the HTTP endpoint, empty when the instance has none. */
    public OptionalInt httpPort() {
        return monitoring.server() == null ? OptionalInt.empty() : OptionalInt.of(monitoring.server().port());
    }

    /** Closes Kafka Streams (waiting up to the shutdown timeout), then the HTTP endpoint and the metrics. */
    @Override
    public void close() {
        try {
            if (!streams.close(shutdownTimeout)) {
                LOG.warn("Kafka Streams did not close within {}", shutdownTimeout);
            }
        } finally {
            monitoring.close();
        }
    }
}
