package io.cartrescue.config;

import io.cartrescue.topology.TopicNames;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The cart-rescue settings (as opposed to Kafka's): each with its key, default, accepted values, a
 * line of documentation and whether it is secret. It is the single list that validation, error
 * suggestions, {@link AppConfig#describe()} and the configuration reference are made from.
 */
public enum AppKey {
    POLICY_FILE("policy.file", null, ValueRules.readableFile(),
            "YAML file with the detection and arbitration policy; the built-in policy when not set"),
    TIME_MODE("time.mode", "live", ValueRules.oneOf("live", "replay"),
            "live: timers follow the wall clock; replay: timers follow event time, for re-processing history"),
    PUNCTUATION_INTERVAL_MS("punctuation.interval.ms", "200", ValueRules.integer(50, 60_000, ""),
            "how often timers are checked, in ms (wall clock in live mode; in replay mode stream time, default 1000)"),
    TOPIC_EVENTS("topic.events", TopicNames.defaults().events(), ValueRules.topicName(),
            "input: storefront events, keyed by session id"),
    TOPIC_PROFILES("topic.profiles", TopicNames.defaults().profiles(), ValueRules.topicName(),
            "input: customer profiles, compacted"),
    TOPIC_CHAT_CAPACITY("topic.chat.capacity", TopicNames.defaults().chatCapacity(), ValueRules.topicName(),
            "input: chat queue capacity, compacted"),
    TOPIC_INTERVENTIONS_CHAT("topic.interventions.chat", TopicNames.defaults().chatInterventions(),
            ValueRules.topicName(), "output: chat offers"),
    TOPIC_INTERVENTIONS_ONSITE("topic.interventions.onsite", TopicNames.defaults().onsiteInterventions(),
            ValueRules.topicName(), "output: on-site offers"),
    TOPIC_INTERVENTIONS_MARKETING("topic.interventions.marketing", TopicNames.defaults().marketingInterventions(),
            ValueRules.topicName(), "output: recovery reminders"),
    TOPIC_DECISIONS("topic.decisions", TopicNames.defaults().decisions(), ValueRules.topicName(),
            "output: the audit of every decision"),
    TOPIC_OUTCOMES("topic.outcomes", TopicNames.defaults().outcomes(), ValueRules.topicName(),
            "output: conversion after each decision"),
    TOPIC_DEAD_LETTERS("topic.dead.letters", TopicNames.defaults().deadLetters(), ValueRules.topicName(),
            "output: input that could not be used, with the reason in headers"),
    TOPICS_AUTO_CREATE("topics.auto.create", "false", ValueRules.bool(),
            "create missing topics at start-up (for local and demo use; production topics are declared in deploy/)"),
    TOPICS_PARTITIONS("topics.partitions", "6", ValueRules.integer(1, 10_000, ""),
            "partitions of topics created at start-up"),
    TOPICS_REPLICATION_FACTOR("topics.replication.factor", "-1", ValueRules.replicationFactor(),
            "replication factor of topics created at start-up; -1 for the broker's default"),
    SCHEMA_REGISTRY_URL("schema.registry.url", null, ValueRules.httpUrl(),
            "schema registry base URL, path included", Trait.REQUIRED),
    SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO("schema.registry.basic.auth.user.info", null, ValueRules.userInfo(),
            "HTTP basic credentials for the registry, user:password", Trait.SECRET),
    SCHEMA_REGISTRY_AUTO_REGISTER("schema.registry.auto.register", "true", ValueRules.bool(),
            "register cart-rescue's schemas when the registry does not have them yet"),
    SCHEMA_REGISTRY_TRUSTSTORE_LOCATION("schema.registry.truststore.location", null, ValueRules.readableFile(),
            "trust store for the registry's TLS certificate; the JVM's default trust when not set"),
    SCHEMA_REGISTRY_TRUSTSTORE_PASSWORD("schema.registry.truststore.password", null,
            ValueRule.of("the trust store's password", value -> true), "password of the registry trust store",
            Trait.SECRET),
    HTTP_HOST("http.host", "127.0.0.1", ValueRules.host(),
            "address the health and metrics endpoint listens on"),
    HTTP_PORT("http.port", "8080", ValueRules.integer(0, 65_535, " (0 = any free port)"),
            "port of the health and metrics endpoint"),
    SHUTDOWN_TIMEOUT_MS("shutdown.timeout.ms", "30000", ValueRules.integer(0, 3_600_000, ""),
            "how long a shutdown waits for Kafka Streams to close, in ms");

    /** Prefix of every cart-rescue key in a config file. */
    public static final String PREFIX = "cart-rescue.";
    /** Prefix of the environment variables that set cart-rescue keys. */
    public static final String ENV_PREFIX = "CART_RESCUE_";

    private static final Map<String, AppKey> BY_KEY =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(AppKey::key, Function.identity()));

    /** Properties of a key beyond its value. */
    enum Trait { REQUIRED, SECRET }

    private final String key;
    private final String defaultValue;
    private final ValueRule rule;
    private final String doc;
    private final Set<Trait> traits;

    AppKey(final String suffix, final String defaultValue, final ValueRule rule, final String doc,
           final Trait... traits) {
        this.key = PREFIX + suffix;
        this.defaultValue = defaultValue;
        this.rule = rule;
        this.doc = doc;
        this.traits = Set.of(traits);
    }

    /** The key with a matching name, if any. */
    public static Optional<AppKey> byKey(final String key) {
        return Optional.ofNullable(BY_KEY.get(key));
    }

    /** The key as written in a config file, e.g. {@code cart-rescue.http.port}. */
    public String key() {
        return key;
    }

    /** The environment variable that sets it, e.g. {@code CART_RESCUE_HTTP_PORT}. */
    public String envVar() {
        return ENV_PREFIX + key.substring(PREFIX.length()).toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** The built-in value; empty for a required key or one that is off when not set. */
    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** The accepted values, in words. */
    public String allowed() {
        return rule.expectation();
    }

    /** One line on what it does. */
    public String doc() {
        return doc;
    }

    public boolean isSecret() {
        return traits.contains(Trait.SECRET);
    }

    public boolean isRequired() {
        return traits.contains(Trait.REQUIRED);
    }

    /** The keys that name topics, in {@link TopicNames} order. */
    static Set<AppKey> topicKeys() {
        return EnumSet.range(TOPIC_EVENTS, TOPIC_DEAD_LETTERS);
    }

    ValueRule rule() {
        return rule;
    }
}
