package io.cartrescue.serde;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The configuration keys the serdes read when Kafka configures them ({@code configure(Map, isKey)}),
 * named as in Confluent's serializers so that existing client configurations keep working.
 *
 * <p>It exists to turn a Kafka client configuration into {@link SchemaRegistrySettings} and
 * {@link SerdeSettings} in one place, rejecting what this implementation does not do (another
 * subject name strategy, generic records, credentials from an unknown source) instead of quietly
 * behaving differently from what the operator configured.
 */
public final class ConfluentSerdeConfig {
    /** Registry base URL(s), comma-separated; required. */
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    /** Where basic auth credentials come from: {@code USER_INFO} or {@code URL} (the default). */
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    /** Basic auth credentials as {@code user:password}, with source {@code USER_INFO}. */
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    /** Confluent's alternative name of {@link #BASIC_AUTH_USER_INFO}. */
    public static final String SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO = "schema.registry.basic.auth.user.info";
    /** Whether the serializer registers unknown schemas; true by default. */
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    /** Must be true when given: these serdes read specific records only. */
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
    /** The specific record class keys are read into; by default the class named by the writer's schema. */
    public static final String SPECIFIC_AVRO_KEY_TYPE = "specific.avro.key.type";
    /** The specific record class values are read into; by default the class named by the writer's schema. */
    public static final String SPECIFIC_AVRO_VALUE_TYPE = "specific.avro.value.type";
    /** Subject naming for keys; only TopicNameStrategy is supported. */
    public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
    /** Subject naming for values; only TopicNameStrategy is supported. */
    public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";
    /** A trust store with private CA certificates for a TLS registry, trusted on top of the JDK's. */
    public static final String SSL_TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
    /** The trust store's password. */
    public static final String SSL_TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
    /** The trust store's type, PKCS12 or JKS. */
    public static final String SSL_TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
    /** How long an unreachable registry is retried before a call fails, in milliseconds; 60000 by default. */
    public static final String RETRY_TIMEOUT_MS = "schema.registry.retry.timeout.ms";
    /** How long one registry request may take, in milliseconds; 10000 by default. */
    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";

    private static final String TOPIC_NAME_STRATEGY = "io.confluent.kafka.serializers.subject.TopicNameStrategy";

    private final SchemaRegistrySettings registry;
    private final SerdeSettings serde;
    private final Class<? extends SpecificRecord> readerType;

    private ConfluentSerdeConfig(final SchemaRegistrySettings registry, final SerdeSettings serde,
                                 final Class<? extends SpecificRecord> readerType) {
        this.registry = registry;
        this.serde = serde;
        this.readerType = readerType;
    }

    static ConfluentSerdeConfig parse(final Map<String, ?> configs, final boolean isKey) {
        final String url = string(configs, SCHEMA_REGISTRY_URL)
                .orElseThrow(() -> new ConfigException("Missing required configuration " + SCHEMA_REGISTRY_URL));
        final SchemaRegistrySettings.Builder registry = SchemaRegistrySettings.builder(url);
        credentials(configs).ifPresent(registry::basicAuth);
        string(configs, SSL_TRUSTSTORE_LOCATION).ifPresent(location -> registry.trustStore(Path.of(location),
                string(configs, SSL_TRUSTSTORE_PASSWORD).orElse(null), string(configs, SSL_TRUSTSTORE_TYPE).orElse(null)));
        millis(configs, RETRY_TIMEOUT_MS).ifPresent(registry::retryTimeout);
        millis(configs, REQUEST_TIMEOUT_MS).ifPresent(registry::requestTimeout);
        if (!bool(configs, SPECIFIC_AVRO_READER, true)) {
            throw new ConfigException(SPECIFIC_AVRO_READER + "=false is not supported: these serdes read specific records");
        }
        final String strategyKey = isKey ? KEY_SUBJECT_NAME_STRATEGY : VALUE_SUBJECT_NAME_STRATEGY;
        string(configs, strategyKey).ifPresent(strategy -> {
            if (!strategy.equals(TOPIC_NAME_STRATEGY) && !strategy.equals("TopicNameStrategy")) {
                throw new ConfigException(strategyKey + "=" + strategy + " is not supported: only TopicNameStrategy");
            }
        });
        final SerdeSettings serde = (isKey ? SerdeSettings.forKeys() : SerdeSettings.forValues())
                .withAutoRegister(bool(configs, AUTO_REGISTER_SCHEMAS, true));
        final SchemaRegistrySettings registrySettings;
        try {
            registrySettings = registry.build();
        } catch (final IllegalArgumentException e) {
            throw new ConfigException("Invalid schema registry configuration: " + e.getMessage());
        }
        return new ConfluentSerdeConfig(registrySettings, serde,
                readerType(configs, isKey ? SPECIFIC_AVRO_KEY_TYPE : SPECIFIC_AVRO_VALUE_TYPE));
    }

    SchemaRegistrySettings registry() {
        return registry;
    }

    SerdeSettings serde() {
        return serde;
    }

    Optional<Class<? extends SpecificRecord>> readerType() {
        return Optional.ofNullable(readerType);
    }

    private static Optional<String> credentials(final Map<String, ?> configs) {
        final String source = string(configs, BASIC_AUTH_CREDENTIALS_SOURCE).orElse("URL").toUpperCase(Locale.ROOT);
        if (source.equals("URL")) {
            return Optional.empty();
        }
        if (!source.equals("USER_INFO")) {
            throw new ConfigException(BASIC_AUTH_CREDENTIALS_SOURCE + "=" + source + " is not supported: use USER_INFO or URL");
        }
        final Optional<String> userInfo = string(configs, BASIC_AUTH_USER_INFO)
                .or(() -> string(configs, SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO));
        if (userInfo.isEmpty() || !userInfo.get().contains(":")) {
            throw new ConfigException(BASIC_AUTH_CREDENTIALS_SOURCE + "=USER_INFO needs "
                    + BASIC_AUTH_USER_INFO + " in the form user:password");
        }
        return userInfo;
    }

    private static Class<? extends SpecificRecord> readerType(final Map<String, ?> configs, final String key) {
        final Object value = configs.get(key);
        if (value == null || value.toString().isBlank()) {
            return null;
        }
        final Class<?> type;
        if (value instanceof Class<?>) {
            type = (Class<?>) value;
        } else {
            try {
                type = Class.forName(value.toString().trim(), true, classLoader());
            } catch (final ClassNotFoundException e) {
                throw new ConfigException(key + "=" + value + ": no such class");
            }
        }
        if (!SpecificRecord.class.isAssignableFrom(type)) {
            throw new ConfigException(key + "=" + type.getName() + " is not an Avro specific record class");
        }
        return type.asSubclass(SpecificRecord.class);
    }

    private static ClassLoader classLoader() {
        final ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : ConfluentSerdeConfig.class.getClassLoader();
    }

    private static Optional<String> string(final Map<String, ?> configs, final String key) {
        final Object value = configs.get(key);
        if (value == null) {
            return Optional.empty();
        }
        final String text = value instanceof Password ? ((Password) value).value() : value.toString();
        return text.isBlank() ? Optional.empty() : Optional.of(text.trim());
    }

    private static boolean bool(final Map<String, ?> configs, final String key, final boolean defaultValue) {
        final Optional<String> value = string(configs, key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        return switch (value.get().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(key + " must be true or false, not " + value.get());
        };
    }

    private static Optional<Duration> millis(final Map<String, ?> configs, final String key) {
        final Optional<String> value = string(configs, key);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            final long ms = Long.parseLong(value.get());
            if (ms < 0) {
                throw new ConfigException(key + " must not be negative, not " + ms);
            }
            return Optional.of(Duration.ofMillis(ms));
        } catch (final NumberFormatException e) {
            throw new ConfigException(key + " must be a number of milliseconds, not " + value.get());
        }
    }
}
