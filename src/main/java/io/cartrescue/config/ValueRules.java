package io.cartrescue.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The kinds of values cart-rescue settings take. */
final class ValueRules {
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final Pattern HOST = Pattern.compile("[a-zA-Z0-9.:%_\\[\\]-]+");

    private ValueRules() {
    }

    static ValueRule integer(final long min, final long max, final String note) {
        return ValueRule.of("an integer from " + min + " to " + max + note, value -> inRange(value, min, max));
    }

    static ValueRule replicationFactor() {
        return ValueRule.of("-1 (the broker's default) or an integer from 1 to " + Short.MAX_VALUE,
                value -> "-1".equals(value) || inRange(value, 1, Short.MAX_VALUE));
    }

    static ValueRule oneOf(final String... allowed) {
        final List<String> values = List.of(allowed);
        return ValueRule.of("one of: " + String.join(", ", values),
                value -> values.contains(value.toLowerCase(Locale.ROOT)));
    }

    static ValueRule bool() {
        return ValueRule.of("true or false", value -> "true".equalsIgnoreCase(value) || "false".equalsIgnoreCase(value));
    }

    static ValueRule topicName() {
        return ValueRule.of("a Kafka topic name: 1 to 249 of a-z, A-Z, 0-9, '.', '_' and '-' (not '.' or '..')",
                value -> TOPIC.matcher(value).matches() && !".".equals(value) && !"..".equals(value));
    }

    static ValueRule userInfo() {
        return ValueRule.of("user:password", value -> value.indexOf(':') > 0);
    }

    static ValueRule readableFile() {
        return ValueRule.of("the path of an existing, readable file", ValueRules::isReadableFile);
    }

    static ValueRule host() {
        return ValueRule.of("a host name or IP address to listen on, e.g. 127.0.0.1 or 0.0.0.0",
                value -> HOST.matcher(value).matches());
    }

    static ValueRule httpUrl() {
        final String expectation = "an http:// or https:// URL with a host, e.g. http://registry:8080/apis/ccompat/v7";
        return new ValueRule() {
            @Override
            public Optional<String> problem(final String value) {
                final URI uri;
                try {
                    uri = new URI(value);
                } catch (final URISyntaxException e) {
                    return Optional.of("must be " + expectation + "; it is not a valid URL");
                }
                if (uri.getRawUserInfo() != null) {
                    return Optional.of("must not contain credentials: set them with "
                            + AppKey.SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO.key() + " instead");
                }
                final String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                final boolean valid = ("http".equals(scheme) || "https".equals(scheme))
                        && uri.getHost() != null && uri.getRawQuery() == null && uri.getRawFragment() == null;
                return valid ? Optional.empty() : Optional.of("must be " + expectation);
            }

            @Override
            public String expectation() {
                return expectation;
            }
        };
    }

    private static boolean inRange(final String value, final long min, final long max) {
        try {
            final long parsed = Long.parseLong(value);
            return parsed >= min && parsed <= max;
        } catch (final NumberFormatException e) {
            return false;
        }
    }

    private static boolean isReadableFile(final String value) {
        try {
            final Path path = Path.of(value);
            return Files.isRegularFile(path) && Files.isReadable(path);
        } catch (final InvalidPathException e) {
            return false;
        }
    }
}
