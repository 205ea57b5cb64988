package io.cartrescue.config;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The names Kafka Streams and its clients accept, taken from their own config definitions, so that
 * a misspelled Kafka setting stops start-up instead of being ignored. Values are checked against
 * the same definitions: type and, where Kafka declares one, the allowed range or values.
 */
final class KafkaKeys {
    private static final ConfigDef STREAMS = StreamsConfig.configDef();
    private static final ConfigDef CONSUMER = ConsumerConfig.configDef();
    private static final ConfigDef PRODUCER = ProducerConfig.configDef();
    private static final ConfigDef ADMIN = AdminClientConfig.configDef();

    /** Prefixes by which Streams passes a setting to one kind of client only. */
    private static final Map<String, ConfigDef> CLIENT_PREFIXES = clientPrefixes();
    /** Prefixes followed by names the application chooses (rack tags, metrics context). */
    private static final List<String> OPEN_PREFIXES =
            List.of(StreamsConfig.CLIENT_TAG_PREFIX, CommonClientConfigs.METRICS_CONTEXT_PREFIX);
    private static final Set<String> TOPIC_CONFIGS = topicConfigs();
    private static final Map<String, ConfigDef.ConfigKey> UNPREFIXED = unprefixed();
    private static final Set<String> ALL = allNames();

    private KafkaKeys() {
    }

    /** Every name accepted, prefixed ones included; for suggestions. */
    static Set<String> names() {
        return ALL;
    }

    static boolean isKnown(final String key) {
        if (ALL.contains(key)) {
            return true;
        }
        final String bare = withoutClientPrefix(key);
        return OPEN_PREFIXES.stream().anyMatch(prefix -> bare.startsWith(prefix) && bare.length() > prefix.length());
    }

    /** The key without a {@code consumer.}, {@code producer.}, ... prefix. */
    static String withoutClientPrefix(final String key) {
        for (final String prefix : CLIENT_PREFIXES.keySet()) {
            if (key.startsWith(prefix)) {
                return key.substring(prefix.length());
            }
        }
        return key.startsWith(StreamsConfig.TOPIC_PREFIX) ? key.substring(StreamsConfig.TOPIC_PREFIX.length()) : key;
    }

    /** Whether Kafka declares the setting as a password, which it never logs. */
    static boolean isPassword(final String key) {
        return definition(key).map(definition -> definition.type == ConfigDef.Type.PASSWORD).orElse(false);
    }

    /** Kafka's definition of the setting, when Kafka has one (topic and tag settings have none here). */
    static Optional<ConfigDef.ConfigKey> definition(final String key) {
        for (final Map.Entry<String, ConfigDef> prefixed : CLIENT_PREFIXES.entrySet()) {
            if (key.startsWith(prefixed.getKey())) {
                return Optional.ofNullable(prefixed.getValue().configKeys().get(key.substring(prefixed.getKey().length())));
            }
        }
        return Optional.ofNullable(UNPREFIXED.get(key));
    }

    /**
     * Why Kafka would refuse {@code value} for {@code key}, or empty when it would accept it. Class
     * names are looked up without initialising the class.
     */
    static Optional<String> valueProblem(final String key, final String value, final boolean secret) {
        final Optional<ConfigDef.ConfigKey> found = definition(key);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        final ConfigDef.ConfigKey definition = found.get();
        if (definition.type == ConfigDef.Type.CLASS) {
            return classProblem(value);
        }
        try {
            final Object parsed = ConfigDef.parseType(definition.name, value, definition.type);
            if (definition.validator != null) {
                definition.validator.ensureValid(definition.name, parsed);
            }
            return Optional.empty();
        } catch (final RuntimeException e) {
            return Optional.of(secret ? "must be a valid " + typeName(definition.type) : reason(e, definition));
        }
    }

    private static Optional<String> classProblem(final String value) {
        final ClassLoader context = Thread.currentThread().getContextClassLoader();
        try {
            Class.forName(value, false, context != null ? context : KafkaKeys.class.getClassLoader());
            return Optional.empty();
        } catch (final ClassNotFoundException | LinkageError e) {
            return Optional.of("must be the name of a class on the class path; class '" + value + "' was not found");
        }
    }

    private static String reason(final RuntimeException e, final ConfigDef.ConfigKey definition) {
        final String message = String.valueOf(e.getMessage());
        final String marker = " for configuration " + definition.name + ": ";
        final int at = message.indexOf(marker);
        final String reason = at >= 0 ? message.substring(at + marker.length()) : message;
        return "must be a valid " + typeName(definition.type) + " (" + reason + ")";
    }

    private static String typeName(final ConfigDef.Type type) {
        return switch (type) {
            case BOOLEAN -> "boolean (true or false)";
            case INT, SHORT, LONG -> "integer";
            case DOUBLE -> "number";
            case LIST -> "comma-separated list";
            case CLASS -> "class name";
            case STRING, PASSWORD -> "value";
        };
    }

    private static Map<String, ConfigDef> clientPrefixes() {
        final Map<String, ConfigDef> prefixes = new LinkedHashMap<>();
        prefixes.put(StreamsConfig.MAIN_CONSUMER_PREFIX, CONSUMER);
        prefixes.put(StreamsConfig.RESTORE_CONSUMER_PREFIX, CONSUMER);
        prefixes.put(StreamsConfig.GLOBAL_CONSUMER_PREFIX, CONSUMER);
        prefixes.put(StreamsConfig.CONSUMER_PREFIX, CONSUMER);
        prefixes.put(StreamsConfig.PRODUCER_PREFIX, PRODUCER);
        prefixes.put(StreamsConfig.ADMIN_CLIENT_PREFIX, ADMIN);
        return Collections.unmodifiableMap(prefixes);
    }

    private static Map<String, ConfigDef.ConfigKey> unprefixed() {
        final Map<String, ConfigDef.ConfigKey> keys = new LinkedHashMap<>();
        for (final ConfigDef definitions : List.of(STREAMS, CONSUMER, PRODUCER, ADMIN)) {
            definitions.configKeys().forEach(keys::putIfAbsent);
        }
        return Collections.unmodifiableMap(keys);
    }

    /** The per-topic settings Streams accepts with {@code topic.} for its internal topics. */
    private static Set<String> topicConfigs() {
        final Set<String> names = new TreeSet<>();
        for (final Field field : TopicConfig.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class
                    && field.getName().endsWith("_CONFIG")) {
                try {
                    names.add((String) field.get(null));
                } catch (final IllegalAccessException e) {
                    throw new IllegalStateException("cannot read " + field, e);
                }
            }
        }
        return Collections.unmodifiableSet(names);
    }

    private static Set<String> allNames() {
        final Set<String> names = new TreeSet<>(UNPREFIXED.keySet());
        CLIENT_PREFIXES.forEach((prefix, definitions) ->
                definitions.names().forEach(name -> names.add(prefix + name)));
        TOPIC_CONFIGS.forEach(name -> names.add(StreamsConfig.TOPIC_PREFIX + name));
        return Collections.unmodifiableSet(names);
    }
}
