package io.cartrescue.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Maps environment variables to settings: {@code CART_RESCUE_SCHEMA_REGISTRY_URL} to
 * {@code cart-rescue.schema.registry.url} and {@code KAFKA_BOOTSTRAP_SERVERS} to
 * {@code bootstrap.servers} (lower case, {@code _} to {@code .}), as streams-bootstrap and Strimzi
 * do. Other variables are not looked at.
 *
 * <p>Two kinds of variables with these prefixes are not settings and are skipped: the service
 * links Kubernetes adds for a service named {@code kafka} or {@code cart-rescue}
 * ({@code KAFKA_PORT}, {@code KAFKA_SERVICE_HOST}, {@code CART_RESCUE_PORT_8080_TCP}, ...), and JVM
 * options such as {@code KAFKA_OPTS} or {@code KAFKA_HEAP_OPTS}; and the two log levels that
 * {@link io.cartrescue.app.LogbackConfigurator} reads, {@code CART_RESCUE_LOG_LEVEL} and {@code CART_RESCUE_KAFKA_LOG_LEVEL}.
 */
final class EnvironmentVariables {
    static final String KAFKA_PREFIX = "KAFKA_";
    private static final Pattern NOT_SETTINGS = Pattern.compile(
            "(KAFKA|CART_RESCUE)_(SERVICE_HOST|SERVICE_PORT(_\\w+)?|PORT(_\\d+_(TCP|UDP|SCTP)(_PROTO|_PORT|_ADDR)?)?)"
                    + "|KAFKA_(\\w+_)?OPTS"
                    + "|CART_RESCUE_(KAFKA_)?LOG_LEVEL");

    private EnvironmentVariables() {
    }

    /** The settings {@code env} makes, in the order of the variables' names. */
    static List<Setting> read(final Map<String, String> env) {
        final List<Setting> settings = new ArrayList<>();
        new TreeMap<>(env).forEach((name, value) -> {
            if (value != null && !NOT_SETTINGS.matcher(name).matches()) {
                keyFor(name).ifPresent(key -> settings.add(new Setting(key, value.strip(), Origin.environment(name))));
            }
        });
        return List.copyOf(settings);
    }

    /** The setting a variable names, if it has one of the two prefixes. */
    static Optional<String> keyFor(final String name) {
        if (name.startsWith(AppKey.ENV_PREFIX) && name.length() > AppKey.ENV_PREFIX.length()) {
            return Optional.of(AppKey.PREFIX + dotted(name.substring(AppKey.ENV_PREFIX.length())));
        }
        if (name.startsWith(KAFKA_PREFIX) && name.length() > KAFKA_PREFIX.length()) {
            return Optional.of(dotted(name.substring(KAFKA_PREFIX.length())));
        }
        return Optional.empty();
    }

    /** The variable that sets {@code key}. */
    static String variableFor(final String key) {
        if (key.startsWith(AppKey.PREFIX)) {
            return AppKey.ENV_PREFIX + underscored(key.substring(AppKey.PREFIX.length()));
        }
        return KAFKA_PREFIX + underscored(key);
    }

    private static String dotted(final String name) {
        return name.toLowerCase(Locale.ROOT).replace('_', '.');
    }

    private static String underscored(final String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
