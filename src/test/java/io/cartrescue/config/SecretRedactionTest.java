package io.cartrescue.config;

import static io.cartrescue.config.ConfigFixtures.REGISTRY_URL;
import static io.cartrescue.config.ConfigFixtures.file;
import static io.cartrescue.config.ConfigFixtures.minimalEnvWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cartrescue.processor.DeadLetters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretRedactionTest {
    private static final String SECRET = "Zq9-hunter2-CANARY";
    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "username=\"shop\" password=\"" + SECRET + "\";";

    @TempDir
    Path dir;

    private AppConfig loadedWithSecretsEverywhere() throws Exception {
        final Path trustStore = Files.writeString(dir.resolve("registry.jks"), "not really a trust store");
        final Path file = file(dir,
                "sasl.jaas.config=" + JAAS,
                "ssl.key.password=" + SECRET,
                "producer.ssl.keystore.password=" + SECRET,
                "sasl.oauthbearer.client.credentials.client.secret=" + SECRET,
                "cart-rescue.schema.registry.truststore.location=" + trustStore,
                "cart-rescue.schema.registry.truststore.password=" + SECRET);
        return AppConfig.load(Optional.of(file), minimalEnvWith(
                "CART_RESCUE_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", "shop:" + SECRET,
                "KAFKA_SSL_TRUSTSTORE_PASSWORD", SECRET));
    }

    @Test
    void secretsAreRedactedInDescribeAndToString() throws Exception {
        // Given
        final AppConfig config = loadedWithSecretsEverywhere();

        // When
        final String description = config.describe();
        final String text = config.toString() + config.registry() + config.kafkaProperties();

        // Then
        assertThat(description).doesNotContain(SECRET).contains(
                "sasl.jaas.config = [redacted]",
                "ssl.key.password = [redacted]",
                "producer.ssl.keystore.password = [redacted]",
                "sasl.oauthbearer.client.credentials.client.secret = [redacted]",
                "cart-rescue.schema.registry.truststore.password = [redacted]",
                "cart-rescue.schema.registry.basic.auth.user.info = [redacted]",
                "ssl.truststore.password = [redacted]");
        assertThat(text).doesNotContain(SECRET);
    }

    @Test
    void secretsRemainAvailableToTheCodeThatNeedsThem() throws Exception {
        // Given
        final AppConfig config = loadedWithSecretsEverywhere();

        // When
        final RegistrySettings registry = config.registry();
        final Properties kafka = config.kafkaProperties();

        // Then
        assertThat(registry.basicAuthUserInfo()).map(Secret::reveal).contains("shop:" + SECRET);
        assertThat(registry.truststorePassword()).map(Secret::chars).map(String::new).contains(SECRET);
        assertThat(kafka.get("sasl.jaas.config")).isEqualTo(new Password(JAAS));
        assertThat(kafka.get("producer.ssl.keystore.password")).isEqualTo(new Password(SECRET));
        assertThat(kafka.get("sasl.oauthbearer.client.credentials.client.secret")).isEqualTo(new Password(SECRET));
    }

    @Test
    void kafkaAcceptsThePropertiesWithPasswordsHidden() throws Exception {
        // Given
        final AppConfig config = loadedWithSecretsEverywhere();

        // When
        final StreamsConfig streams = new StreamsConfig(config.streamsProperties(new DeadLetters()));

        // Then
        assertThat(streams.getProducerConfigs("client").get("ssl.keystore.password"))
                .isEqualTo(new Password(SECRET));
        assertThat(streams.getMainConsumerConfigs("group", "client", 0).get("sasl.jaas.config"))
                .isEqualTo(new Password(JAAS));
    }

    @Test
    void secretsNeverAppearInErrorMessages() {
        // Given bad secret values, and good secrets next to other problems
        final Path file = file(dir,
                "cart-rescue.schema.registry.basic.auth.user.info=" + SECRET,
                "ssl.key.password=" + SECRET,
                "sasl.jaas.config=" + JAAS,
                "ssl.keystore.pasword=" + SECRET,
                "cart-rescue.schema.registry.truststore.password=" + SECRET,
                "cart-rescue.schema.registry.url=https://shop:" + SECRET + "@registry:8081",
                "cart-rescue.http.port=70000");

        // When
        final ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> AppConfig.load(Optional.of(file), Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
                        "KAFKA_SASL_JAAS_CONFIG", JAAS, "KAFKA_SSL_TRUSTSTORE_PASWORD", SECRET)));

        // Then
        assertThat(e.problems()).contains(
                "invalid value '[redacted]' for 'cart-rescue.schema.registry.basic.auth.user.info' (from " + file
                        + " line 1): must be user:password",
                "invalid value 'https://[redacted]@registry:8081' for 'cart-rescue.schema.registry.url' (from " + file
                        + " line 6): must not contain credentials: set them with "
                        + "cart-rescue.schema.registry.basic.auth.user.info instead");
        assertThat(e.problems()).anySatisfy(problem -> assertThat(problem).startsWith("unknown setting 'ssl.keystore.pasword'"));
        assertThat(e.getMessage()).doesNotContain(SECRET);
        assertThat(e.toString()).doesNotContain(SECRET);
        assertThat(e.getCause()).isNull();
    }

    @Test
    void onlySecretKeysAreSecret() {
        // Given / When / Then
        assertThat(Redaction.isSecret("ssl.key.password")).isTrue();
        assertThat(Redaction.isSecret("ssl.keystore.key")).isTrue();
        assertThat(Redaction.isSecret("main.consumer.sasl.jaas.config")).isTrue();
        assertThat(Redaction.isSecret("cart-rescue.schema.registry.basic.auth.user.info")).isTrue();
        assertThat(Redaction.isSecret("key.serializer")).isFalse();
        assertThat(Redaction.isSecret("default.key.serde")).isFalse();
        assertThat(Redaction.isSecret("ssl.keystore.location")).isFalse();
        assertThat(Redaction.isSecret("sasl.oauthbearer.client.credentials.client.id")).isFalse();
        assertThat(Redaction.isSecret(REGISTRY_URL)).isFalse();
    }

    @Test
    void secretPrintsAsRedactedAndComparesByValue() {
        // Given
        final Secret secret = Secret.of(SECRET);

        // When / Then
        assertThat(secret).hasToString("[redacted]").isEqualTo(Secret.of(SECRET)).isNotEqualTo(Secret.of("other"));
        assertThat(new Setting("ssl.key.password", SECRET, Origin.builtIn()).toString()).doesNotContain(SECRET);
    }
}
