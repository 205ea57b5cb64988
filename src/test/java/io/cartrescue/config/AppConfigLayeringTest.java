package io.cartrescue.config;

import static io.cartrescue.config.ConfigFixtures.REGISTRY_URL;
import static io.cartrescue.config.ConfigFixtures.file;
import static io.cartrescue.config.ConfigFixtures.minimalEnv;
import static io.cartrescue.config.ConfigFixtures.minimalEnvWith;
import static org.assertj.core.api.Assertions.assertThat;

import io.cartrescue.topology.TimeMode;
import io.cartrescue.topology.TopicNames;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppConfigLayeringTest {
    @TempDir
    Path dir;

    @Test
    void builtInDefaultsApplyWhenOnlyRequiredSettingsAreGiven() {
        // Given only the two required settings
        // When
        final AppConfig config = AppConfig.load(Optional.empty(), minimalEnv());

        // Then
        assertThat(config.applicationId()).isEqualTo("cart-rescue");
        assertThat(config.stateDir()).isEqualTo(Path.of("./cart-rescue-state"));
        assertThat(config.topics()).isEqualTo(TopicNames.defaults());
        assertThat(config.timeMode()).isEqualTo(TimeMode.LIVE);
        assertThat(config.punctuationInterval()).isEqualTo(Duration.ofMillis(200));
        assertThat(config.policyFile()).isEmpty();
        assertThat(config.autoCreateTopics()).isFalse();
        assertThat(config.topicPartitions()).isEqualTo(6);
        assertThat(config.topicReplicationFactor()).isEqualTo((short) -1);
        assertThat(config.registry().url()).isEqualTo(URI.create(REGISTRY_URL));
        assertThat(config.registry().autoRegister()).isTrue();
        assertThat(config.registry().basicAuthUserInfo()).isEmpty();
        assertThat(config.registry().truststoreLocation()).isEmpty();
        assertThat(config.httpHost()).isEqualTo("127.0.0.1");
        assertThat(config.httpPort()).isEqualTo(8080);
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.kafkaProperties()).containsOnly(
                Map.entry("application.id", "cart-rescue"),
                Map.entry("state.dir", "./cart-rescue-state"),
                Map.entry("num.stream.threads", "1"),
                Map.entry("bootstrap.servers", "kafka:9092"));
    }

    @Test
    void fileOverridesDefaultsAndEnvironmentOverridesFileForAppSettings() {
        // Given a file and an environment that both set the port, and a file-only host
        final Path file = file(dir, "cart-rescue.http.port=9000", "cart-rescue.http.host=0.0.0.0",
                "cart-rescue.topics.partitions=12");

        // When
        final AppConfig config = AppConfig.load(Optional.of(file), minimalEnvWith("CART_RESCUE_HTTP_PORT", "9100"));

        // Then
        assertThat(config.httpPort()).isEqualTo(9100);
        assertThat(config.httpHost()).isEqualTo("0.0.0.0");
        assertThat(config.topicPartitions()).isEqualTo(12);
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void fileOverridesDefaultsAndEnvironmentOverridesFileForKafkaSettings() {
        // Given a file setting the application id and thread count, and an environment setting the thread count
        final Path file = file(dir, "application.id=cart-rescue-eu", "num.stream.threads=4", "bootstrap.servers=file:9092");

        // When
        final AppConfig config = AppConfig.load(Optional.of(file),
                Map.of("KAFKA_NUM_STREAM_THREADS", "8", "CART_RESCUE_SCHEMA_REGISTRY_URL", REGISTRY_URL));

        // Then
        final Properties kafka = config.kafkaProperties();
        assertThat(kafka.getProperty("application.id")).isEqualTo("cart-rescue-eu");
        assertThat(kafka.getProperty("num.stream.threads")).isEqualTo("8");
        assertThat(config.bootstrapServers()).isEqualTo("file:9092");
        assertThat(config.applicationId()).isEqualTo("cart-rescue-eu");
    }

    @Test
    void environmentVariablesMapByLowerCasingAndUnderscoresToDots() {
        // Given variables of both families, and variables that are not settings
        final Map<String, String> env = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9092,kafka-2:9092",
                "KAFKA_MAIN_CONSUMER_MAX_POLL_RECORDS", "250",
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "CART_RESCUE_SCHEMA_REGISTRY_URL", "https://registry.example.com/apis/ccompat/v7",
                "CART_RESCUE_TOPIC_DEAD_LETTERS", "shop.dead-letters",
                "CART_RESCUE_TIME_MODE", "replay",
                "PATH", "/usr/bin",
                "HOME", "/home/app");

        // When
        final AppConfig config = AppConfig.load(Optional.empty(), env);

        // Then
        assertThat(config.bootstrapServers()).isEqualTo("kafka-1:9092,kafka-2:9092");
        assertThat(config.kafkaProperties())
                .containsEntry("main.consumer.max.poll.records", "250")
                .containsEntry("security.protocol", "SASL_SSL")
                .doesNotContainKeys("path", "home");
        assertThat(config.registry().url()).isEqualTo(URI.create("https://registry.example.com/apis/ccompat/v7"));
        assertThat(config.topics().deadLetters()).isEqualTo("shop.dead-letters");
        assertThat(config.timeMode()).isEqualTo(TimeMode.REPLAY);
    }

    @Test
    void replayModeChecksTimersEverySecondOfStreamTimeUnlessTheIntervalIsSet() {
        // Given replay mode, once without and once with an interval
        // When
        final AppConfig byDefault = AppConfig.load(Optional.empty(), minimalEnvWith("CART_RESCUE_TIME_MODE", "replay"));
        final AppConfig chosen = byDefault.withOverrides(Map.of("cart-rescue.punctuation.interval.ms", "50"));

        // Then
        assertThat(byDefault.punctuationInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(chosen.punctuationInterval()).isEqualTo(Duration.ofMillis(50));
        assertThat(chosen.topologySettings().timeMode()).isEqualTo(TimeMode.REPLAY);
        assertThat(chosen.topologySettings().punctuationInterval()).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void overridesGoOnTopOfEveryLayerAndLeaveTheOriginalUnchanged() {
        // Given a configuration with the port set in the environment
        final AppConfig original = AppConfig.load(Optional.empty(), minimalEnvWith("CART_RESCUE_HTTP_PORT", "9100"));

        // When
        final AppConfig demo = original.withOverrides(Map.of("cart-rescue.http.port", "0",
                "cart-rescue.topics.auto.create", "true", "producer.linger.ms", "5"));

        // Then
        assertThat(demo.httpPort()).isZero();
        assertThat(demo.autoCreateTopics()).isTrue();
        assertThat(demo.kafkaProperties()).containsEntry("producer.linger.ms", "5");
        assertThat(original.httpPort()).isEqualTo(9100);
        assertThat(original.kafkaProperties()).doesNotContainKey("producer.linger.ms");
    }

    @Test
    void kafkaPropertiesAreAFreshCopyWithoutAppSettings() {
        // Given
        final AppConfig config = AppConfig.load(Optional.empty(), minimalEnv());

        // When the caller changes the properties it got
        final Properties first = config.kafkaProperties();
        first.put("application.id", "changed");

        // Then the configuration is unchanged and holds no cart-rescue keys
        final Properties second = config.kafkaProperties();
        assertThat(second.getProperty("application.id")).isEqualTo("cart-rescue");
        assertThat(second.stringPropertyNames()).noneMatch(key -> key.startsWith("cart-rescue."));
    }

    @Test
    void describeListsEverySettingSortedWithItsSource() {
        // Given a file and the environment
        final Path file = file(dir, "# local settings", "", "cart-rescue.http.port=9000", "num.stream.threads=2");

        // When
        final String description = AppConfig.load(Optional.of(file), minimalEnv()).describe();

        // Then
        assertThat(description.lines()).isSorted().contains(
                "application.id = cart-rescue  (default)",
                "bootstrap.servers = kafka:9092  (env KAFKA_BOOTSTRAP_SERVERS)",
                "cart-rescue.http.port = 9000  (file " + file + " line 3)",
                "num.stream.threads = 2  (file " + file + " line 4)",
                "cart-rescue.policy.file = <not set>",
                "cart-rescue.schema.registry.url = " + REGISTRY_URL + "  (env CART_RESCUE_SCHEMA_REGISTRY_URL)");
    }

    @Test
    void policyFileIsReturnedWhenItExists() throws Exception {
        // Given
        final Path policy = Files.writeString(dir.resolve("policy.yaml"), "detection: {}\n");

        // When
        final AppConfig config = AppConfig.load(Optional.empty(),
                minimalEnvWith("CART_RESCUE_POLICY_FILE", policy.toString()));

        // Then
        assertThat(config.policyFile()).contains(policy);
    }

    @Test
    void loadingChangesNeitherTheEnvironmentMapNorSystemPropertiesNorTheFile() throws Exception {
        // Given an unmodifiable environment, a file and a snapshot of the system properties
        final Map<String, String> env = Map.copyOf(minimalEnvWith("KAFKA_NUM_STREAM_THREADS", "3"));
        final Path file = file(dir, "cart-rescue.http.port=9000");
        final byte[] fileBefore = Files.readAllBytes(file);
        final Properties systemBefore = (Properties) System.getProperties().clone();

        // When
        final AppConfig config = AppConfig.load(Optional.of(file), env);
        config.withOverrides(Map.of("cart-rescue.http.port", "9001")).kafkaProperties();

        // Then
        assertThat(System.getProperties()).isEqualTo(systemBefore);
        assertThat(Files.readAllBytes(file)).isEqualTo(fileBefore);
        assertThat(env).isEqualTo(minimalEnvWith("KAFKA_NUM_STREAM_THREADS", "3"));
    }
}
