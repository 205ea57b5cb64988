package io.cartrescue.config;

import io.cartrescue.processor.DeadLetterDeserializationHandler;
import io.cartrescue.processor.DeadLetterProcessingHandler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Turns layered settings into an {@link AppConfig}: built-in defaults, then each input in order,
 * later ones winning; then checks names, values, required settings and combinations, collecting
 * every problem before it gives up.
 */
final class ConfigResolver {
    /** Kafka settings cart-rescue chooses for the operator unless the operator sets them. */
    static final Map<String, String> KAFKA_DEFAULTS = kafkaDefaults();

    private static final String REPLAY_PUNCTUATION_MS = "1000";
    private static final Pattern APPLICATION_ID = Pattern.compile("[a-zA-Z0-9._-]+");
    private static final Pattern HOST_AND_PORT = Pattern.compile("\\S+:\\d{1,5}");
    private static final Set<String> ALL_KEYS = allKeys();

    /**
     * Settings that cart-rescue sets itself, with why: an operator's value would be lost or would
     * break dead-letter routing, so it is refused rather than overwritten.
     */
    private static final Map<String, String> OWNED_BY_CART_RESCUE = Map.of(
            StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
            "cart-rescue sends records it cannot process to its dead-letter topic with "
                    + DeadLetterProcessingHandler.class.getName() + "; remove the setting",
            StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
            "cart-rescue sends records it cannot read to its dead-letter topic with "
                    + DeadLetterDeserializationHandler.class.getName() + "; remove the setting",
            "default.deserialization.exception.handler",
            "cart-rescue sets deserialization.exception.handler, which takes precedence; remove the setting",
            StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG,
            "set the dead-letter topic with " + AppKey.TOPIC_DEAD_LETTERS.key() + " (env "
                    + AppKey.TOPIC_DEAD_LETTERS.envVar() + ") instead");

    private final Map<AppKey, Setting> app = new EnumMap<>(AppKey.class);
    private final Map<String, Setting> kafka = new TreeMap<>();
    private final List<String> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    private ConfigResolver(final List<String> sourceProblems) {
        problems.addAll(sourceProblems);
    }

    /**
     * The configuration the inputs make.
     *
     * @param inputs         settings from the file, the environment and overrides, lowest precedence first
     * @param sourceProblems problems already found reading the inputs
     * @throws ConfigException listing every problem
     */
    static AppConfig resolve(final List<Setting> inputs, final List<String> sourceProblems) {
        final ConfigResolver resolver = new ConfigResolver(sourceProblems);
        resolver.applyDefaults();
        inputs.forEach(resolver::place);
        resolver.checkAppValues();
        resolver.checkKafkaValues();
        resolver.applyTimeModeDefaults();
        resolver.checkRequired();
        resolver.checkCombinations();
        if (!resolver.problems.isEmpty()) {
            throw new ConfigException(resolver.problems);
        }
        return new AppConfig(inputs, resolver.app, resolver.kafka, resolver.warnings);
    }

    private void applyDefaults() {
        for (final AppKey key : AppKey.values()) {
            key.defaultValue().ifPresent(value -> app.put(key, new Setting(key.key(), value, Origin.builtIn())));
        }
        KAFKA_DEFAULTS.forEach((key, value) -> kafka.put(key, new Setting(key, value, Origin.builtIn())));
    }

    private void place(final Setting setting) {
        final String key = setting.key();
        if (key.startsWith(AppKey.PREFIX)) {
            AppKey.byKey(key).ifPresentOrElse(known -> app.put(known, setting), () -> unknown(setting));
        } else if (KafkaKeys.isKnown(key)) {
            kafka.put(key, setting);
        } else {
            unknown(setting);
        }
    }

    private void unknown(final Setting setting) {
        final String hint = suggestion(setting.key())
                .map(suggested -> " — did you mean '" + suggested + "'"
                        + (setting.origin().kind() == Origin.Kind.ENVIRONMENT
                        ? " (" + EnvironmentVariables.variableFor(suggested) + ")" : "") + "?")
                .orElse(" — it is neither a cart-rescue setting nor a Kafka Streams or Kafka client setting");
        problems.add("unknown setting '" + setting.key() + "' " + setting.origin().from() + hint);
    }

    /** A valid key close to {@code key}; a key of the other family with the same name first. */
    private static Optional<String> suggestion(final String key) {
        final String lower = key.toLowerCase(Locale.ROOT);
        if (lower.startsWith(AppKey.PREFIX) && KafkaKeys.isKnown(lower.substring(AppKey.PREFIX.length()))) {
            return Optional.of(lower.substring(AppKey.PREFIX.length()));
        }
        if (AppKey.byKey(AppKey.PREFIX + lower).isPresent()) {
            return Optional.of(AppKey.PREFIX + lower);
        }
        return Suggestions.closest(key, ALL_KEYS);
    }

    private void checkAppValues() {
        for (final AppKey key : List.copyOf(app.keySet())) {
            final Setting setting = app.get(key);
            if (setting.value().isEmpty() && key.defaultValue().isEmpty() && !key.isRequired()) {
                app.remove(key);
                continue;
            }
            key.rule().problem(setting.value()).ifPresent(problem -> invalid(setting, problem));
        }
    }

    private void checkKafkaValues() {
        kafka.values().forEach(setting -> KafkaKeys
                .valueProblem(setting.key(), setting.value(), Redaction.isSecret(setting.key()))
                .ifPresent(problem -> invalid(setting, problem)));
        Optional.ofNullable(kafka.get(StreamsConfig.APPLICATION_ID_CONFIG))
                .filter(setting -> !APPLICATION_ID.matcher(setting.value()).matches())
                .ifPresent(setting -> invalid(setting, "must be letters, digits, '.', '_' and '-' only, "
                        + "since it starts the names of cart-rescue's internal topics"));
        Optional.ofNullable(kafka.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG))
                .filter(setting -> !setting.value().isEmpty() && !allHostAndPort(setting.value()))
                .ifPresent(setting -> invalid(setting, "must be a comma-separated list of host:port, "
                        + "e.g. kafka-1:9092,kafka-2:9092"));
    }

    private static boolean allHostAndPort(final String servers) {
        for (final String server : servers.split(",", -1)) {
            if (!HOST_AND_PORT.matcher(server.strip()).matches()) {
                return false;
            }
        }
        return true;
    }

    private void invalid(final Setting setting, final String problem) {
        problems.add("invalid value '" + setting.shownValue() + "' for '" + setting.key() + "' "
                + setting.origin().from() + ": " + problem);
    }

    /** In replay mode timers follow stream time, which moves in larger steps than the wall clock. */
    private void applyTimeModeDefaults() {
        final Setting mode = app.get(AppKey.TIME_MODE);
        final Setting interval = app.get(AppKey.PUNCTUATION_INTERVAL_MS);
        if ("replay".equalsIgnoreCase(mode.value()) && interval.origin().kind() == Origin.Kind.DEFAULT) {
            app.put(AppKey.PUNCTUATION_INTERVAL_MS,
                    new Setting(AppKey.PUNCTUATION_INTERVAL_MS.key(), REPLAY_PUNCTUATION_MS, Origin.builtIn()));
        }
    }

    private void checkRequired() {
        if (isMissing(kafka.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG))) {
            missing(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "kafka-1:9092,kafka-2:9092");
        }
        if (!app.containsKey(AppKey.SCHEMA_REGISTRY_URL)) {
            missing(AppKey.SCHEMA_REGISTRY_URL.key(), "http://registry:8080/apis/ccompat/v7");
        }
    }

    private static boolean isMissing(final Setting setting) {
        return setting == null || setting.value().isEmpty();
    }

    private void missing(final String key, final String example) {
        problems.add("missing required setting '" + key + "': set it in the config file (" + key + "=" + example
                + ") or with the environment variable " + EnvironmentVariables.variableFor(key));
    }

    private void checkCombinations() {
        if (app.containsKey(AppKey.SCHEMA_REGISTRY_TRUSTSTORE_PASSWORD)
                && !app.containsKey(AppKey.SCHEMA_REGISTRY_TRUSTSTORE_LOCATION)) {
            problems.add("'" + AppKey.SCHEMA_REGISTRY_TRUSTSTORE_PASSWORD.key() + "' is set "
                    + app.get(AppKey.SCHEMA_REGISTRY_TRUSTSTORE_PASSWORD).origin().from() + " but '"
                    + AppKey.SCHEMA_REGISTRY_TRUSTSTORE_LOCATION.key() + "' is not: set the trust store's path too");
        }
        checkDistinctTopics();
        OWNED_BY_CART_RESCUE.forEach((key, why) -> {
            final Setting setting = kafka.get(key);
            if (setting != null && !setting.value().equals(ownedValue(key))) {
                problems.add("'" + key + "' " + setting.origin().from() + " cannot be changed: " + why);
            }
        });
        final Setting guarantee = kafka.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG);
        if (guarantee != null && StreamsConfig.AT_LEAST_ONCE.equalsIgnoreCase(guarantee.value())) {
            warnings.add("processing.guarantee=at_least_once " + guarantee.origin().from()
                    + ": after a failure, records may be processed twice and interventions sent twice; "
                    + "cart-rescue is built for exactly_once_v2");
        }
    }

    private String ownedValue(final String key) {
        return switch (key) {
            case StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG -> DeadLetterProcessingHandler.class.getName();
            case StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG ->
                    DeadLetterDeserializationHandler.class.getName();
            case StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG ->
                    Optional.ofNullable(app.get(AppKey.TOPIC_DEAD_LETTERS)).map(Setting::value).orElse("");
            default -> "";
        };
    }

    private void checkDistinctTopics() {
        final Map<String, List<String>> keysByTopic = new LinkedHashMap<>();
        app.forEach((key, setting) -> {
            if (AppKey.topicKeys().contains(key)) {
                keysByTopic.computeIfAbsent(setting.value(), topic -> new ArrayList<>()).add(key.key());
            }
        });
        keysByTopic.forEach((topic, keys) -> {
            if (keys.size() > 1) {
                problems.add("topic '" + topic + "' is named by " + String.join(" and ", keys)
                        + ": each needs its own topic");
            }
        });
    }

    private static Map<String, String> kafkaDefaults() {
        final Map<String, String> defaults = new TreeMap<>();
        defaults.put(StreamsConfig.APPLICATION_ID_CONFIG, "cart-rescue");
        defaults.put(StreamsConfig.STATE_DIR_CONFIG, "./cart-rescue-state");
        defaults.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1");
        return Collections.unmodifiableMap(defaults);
    }

    private static Set<String> allKeys() {
        final Set<String> keys = new TreeSet<>(KafkaKeys.names());
        for (final AppKey key : AppKey.values()) {
            keys.add(key.key());
        }
        return Collections.unmodifiableSet(keys);
    }
}
