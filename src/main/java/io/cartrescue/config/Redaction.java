package io.cartrescue.config;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides which settings are secret and how a value may be shown. A key is secret when it is a
 * secret cart-rescue setting, when Kafka declares it a password (with or without a client prefix),
 * when it is on the explicit list, or when its name says so ({@code password}, {@code secret},
 * {@code passphrase}, {@code jaas}, {@code user.info}). Names such as {@code key.serializer} are
 * not secret: a bare {@code key} is not enough.
 */
final class Redaction {
    static final String REDACTED = "[redacted]";
    private static final Set<String> EXPLICIT = Set.of(
            "sasl.jaas.config",
            "ssl.keystore.password",
            "ssl.key.password",
            "ssl.keystore.key",
            "ssl.truststore.password",
            "ssl.truststore.certificates",
            "sasl.oauthbearer.client.credentials.client.secret",
            "sasl.oauthbearer.assertion.private.key.passphrase",
            "basic.auth.user.info");
    private static final List<String> NAME_PARTS = List.of("password", "secret", "passphrase", "jaas", "user.info");
    private static final Pattern URL_CREDENTIALS = Pattern.compile("(?<=://)[^/@\\s]+@");

    private Redaction() {
    }

    static boolean isSecret(final String key) {
        final String lower = key.toLowerCase(Locale.ROOT);
        if (AppKey.byKey(lower).map(AppKey::isSecret).orElse(false)) {
            return true;
        }
        final String bare = KafkaKeys.withoutClientPrefix(lower);
        return EXPLICIT.contains(bare) || KafkaKeys.isPassword(lower)
                || NAME_PARTS.stream().anyMatch(lower::contains);
    }

    /** The value as it may appear in a log, a listing or a message. */
    static String show(final String key, final String value) {
        return isSecret(key) ? REDACTED : URL_CREDENTIALS.matcher(value).replaceAll(REDACTED + "@");
    }
}
