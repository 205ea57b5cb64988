package io.cartrescue.config;

import io.cartrescue.processor.DeadLetters;
import io.cartrescue.topology.CartRescueTopology;
import io.cartrescue.topology.StreamsProperties;
import io.cartrescue.topology.TimeMode;
import io.cartrescue.topology.TopicNames;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration of the {@code run}, {@code demo} and {@code replay} commands, resolved once
 * and immutable. Layers, lowest precedence first: built-in defaults, a properties file
 * ({@code --config}), environment variables ({@code CART_RESCUE_*} for cart-rescue settings,
 * {@code KAFKA_*} for Kafka settings). Unknown keys and bad values stop start-up with every problem
 * listed; secrets never appear in {@link #toString()}, {@link #describe()} or error messages.
 *
 * <p>Loading has no side effects: it reads the file and the map it is given, never the process
 * environment or system properties, and changes nothing.
 */
public final class AppConfig {
    private static final Logger LOG = LoggerFactory.getLogger(AppConfig.class);
    private static final String NOT_SET = "<not set>";

    private final List<Setting> inputs;
    private final Map<AppKey, Setting> app;
    private final Map<String, Setting> kafka;
    private final List<String> warnings;

    AppConfig(final List<Setting> inputs, final Map<AppKey, Setting> app, final Map<String, Setting> kafka,
              final List<String> warnings) {
        this.inputs = List.copyOf(inputs);
        this.app = Collections.unmodifiableMap(new EnumMap<>(app));
        this.kafka = Collections.unmodifiableMap(new TreeMap<>(kafka));
        this.warnings = List.copyOf(warnings);
    }

    /**
     * Reads the configuration.
     *
     * @param file the {@code --config} file, UTF-8 Java properties, if given
     * @param env  the environment, usually {@code System.getenv()}
     * @throws ConfigException listing every problem, one per line
     */
    public static AppConfig load(final Optional<Path> file, final Map<String, String> env) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(env, "env");
        final List<Setting> inputs = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        file.ifPresent(path -> {
            final PropertiesFile.Contents contents = PropertiesFile.read(path);
            inputs.addAll(contents.settings());
            problems.addAll(contents.problems());
        });
        inputs.addAll(EnvironmentVariables.read(env));
        return warned(ConfigResolver.resolve(inputs, problems));
    }

    /**
     * This configuration with {@code overrides} on top of every layer, validated the same way.
     * Keys are setting names, as in the file ({@code bootstrap.servers}, {@code cart-rescue.http.port}).
     *
     * @throws ConfigException listing every problem, one per line
     */
    public AppConfig withOverrides(final Map<String, String> overrides) {
        final List<Setting> layered = new ArrayList<>(inputs);
        new TreeMap<>(overrides).forEach((key, value) ->
                layered.add(new Setting(key, Objects.requireNonNull(value, key).strip(), Origin.override())));
        return warned(ConfigResolver.resolve(layered, List.of()));
    }

    private static AppConfig warned(final AppConfig config) {
        config.warnings.forEach(LOG::warn);
        return config;
    }

    public String applicationId() {
        return kafkaValue(StreamsConfig.APPLICATION_ID_CONFIG);
    }

    public String bootstrapServers() {
        return kafkaValue(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG);
    }

    /** Where Kafka Streams keeps its state stores; by default {@code ./cart-rescue-state}, not the temp dir. */
    public Path stateDir() {
        return Path.of(kafkaValue(StreamsConfig.STATE_DIR_CONFIG));
    }

    public TopicNames topics() {
        return new TopicNames(value(AppKey.TOPIC_EVENTS), value(AppKey.TOPIC_PROFILES),
                value(AppKey.TOPIC_CHAT_CAPACITY), value(AppKey.TOPIC_INTERVENTIONS_CHAT),
                value(AppKey.TOPIC_INTERVENTIONS_ONSITE), value(AppKey.TOPIC_INTERVENTIONS_MARKETING),
                value(AppKey.TOPIC_DECISIONS), value(AppKey.TOPIC_OUTCOMES), value(AppKey.TOPIC_DEAD_LETTERS));
    }

    public TimeMode timeMode() {
        return TimeMode.valueOf(value(AppKey.TIME_MODE).toUpperCase(Locale.ROOT));
    }

    /** How often timers are checked: 200 ms of wall clock in live mode, 1 s of stream time in replay, unless set. */
    public Duration punctuationInterval() {
        return Duration.ofMillis(Long.parseLong(value(AppKey.PUNCTUATION_INTERVAL_MS)));
    }

    /** The policy file; empty for the built-in policy. */
    public Optional<Path> policyFile() {
        return optional(AppKey.POLICY_FILE).map(Path::of);
    }

    public boolean autoCreateTopics() {
        return Boolean.parseBoolean(value(AppKey.TOPICS_AUTO_CREATE));
    }

    public int topicPartitions() {
        return Integer.parseInt(value(AppKey.TOPICS_PARTITIONS));
    }

    /** Replication factor for topics cart-rescue creates; -1 asks for the broker's default. */
    public short topicReplicationFactor() {
        return Short.parseShort(value(AppKey.TOPICS_REPLICATION_FACTOR));
    }

    public RegistrySettings registry() {
        return new RegistrySettings(URI.create(value(AppKey.SCHEMA_REGISTRY_URL)),
                optional(AppKey.SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO).map(Secret::of),
                Boolean.parseBoolean(value(AppKey.SCHEMA_REGISTRY_AUTO_REGISTER)),
                optional(AppKey.SCHEMA_REGISTRY_TRUSTSTORE_LOCATION).map(Path::of),
                optional(AppKey.SCHEMA_REGISTRY_TRUSTSTORE_PASSWORD).map(Secret::of));
    }

    public String httpHost() {
        return value(AppKey.HTTP_HOST);
    }

    /** Port of the HTTP endpoint; 0 for any free port. */
    public int httpPort() {
        return Integer.parseInt(value(AppKey.HTTP_PORT));
    }

    public Duration shutdownTimeout() {
        return Duration.ofMillis(Long.parseLong(value(AppKey.SHUTDOWN_TIMEOUT_MS)));
    }

    /** What the topology builder needs from this configuration. */
    public CartRescueTopology.Settings topologySettings() {
        return new CartRescueTopology.Settings(topics(), timeMode(), punctuationInterval());
    }

    /**
     * Every Kafka setting (cart-rescue's defaults, the file, the environment), never a cart-rescue
     * one; a new object each call. Settings Kafka declares as passwords ({@code sasl.jaas.config},
     * {@code ssl.truststore.password}, ...) are {@link Password} values, which Kafka accepts and
     * which print as {@code [hidden]}; read them with {@code get}, not {@code getProperty}.
     */
    public Properties kafkaProperties() {
        final Properties properties = new Properties();
        kafka.forEach((key, setting) -> properties.put(key,
                KafkaKeys.isPassword(key) ? new Password(setting.value()) : setting.value()));
        return properties;
    }

    /**
     * The properties for {@code new KafkaStreams(...)}: {@link #kafkaProperties()} with the settings
     * cart-rescue always needs ({@link StreamsProperties#required}). Nothing the operator set is
     * overwritten: conflicting settings were refused when loading, and an operator's
     * {@code processing.guarantee=at_least_once} is kept (with a warning when loading).
     */
    public Properties streamsProperties(final DeadLetters deadLetters) {
        final Properties properties = kafkaProperties();
        final Properties required = StreamsProperties.required(applicationId(), bootstrapServers(), topics(), deadLetters);
        required.forEach((key, value) -> {
            if (!(StreamsConfig.PROCESSING_GUARANTEE_CONFIG.equals(key) && properties.containsKey(key))) {
                properties.put(key, value);
            }
        });
        return properties;
    }

    /** What loading warned about (each also logged at WARN), e.g. a weaker processing guarantee. */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * The effective settings, one per line, sorted by key, each with its source ({@code default},
     * {@code file ... line n}, {@code env NAME}, {@code override}); secrets show as {@code [redacted]}.
     * For {@code --print-config} and a start-up log line.
     */
    public String describe() {
        final Map<String, String> lines = new TreeMap<>();
        for (final AppKey key : AppKey.values()) {
            final Setting setting = app.get(key);
            lines.put(key.key(), setting == null ? key.key() + " = " + NOT_SET : line(setting));
        }
        kafka.values().forEach(setting -> lines.put(setting.key(), line(setting)));
        return String.join(System.lineSeparator(), lines.values());
    }

    private static String line(final Setting setting) {
        return setting.key() + " = " + setting.shownValue() + "  (" + setting.origin().label() + ")";
    }

    @Override
    public String toString() {
        return "AppConfig[" + describe().lines().collect(Collectors.joining(", ")) + "]";
    }

    private String value(final AppKey key) {
        return app.get(key).value();
    }

    private Optional<String> optional(final AppKey key) {
        return Optional.ofNullable(app.get(key)).map(Setting::value);
    }

    private String kafkaValue(final String key) {
        return kafka.get(key).value();
    }
}
