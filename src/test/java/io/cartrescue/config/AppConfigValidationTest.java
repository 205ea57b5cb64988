package io.cartrescue.config;

import static io.cartrescue.config.ConfigFixtures.REGISTRY_URL;
import static io.cartrescue.config.ConfigFixtures.file;
import static io.cartrescue.config.ConfigFixtures.minimalEnv;
import static io.cartrescue.config.ConfigFixtures.minimalEnvWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppConfigValidationTest {
    @TempDir
    Path dir;

    private static ConfigException failure(final Optional<Path> file, final Map<String, String> env) {
        return catchThrowableOfType(ConfigException.class, () -> AppConfig.load(file, env));
    }

    @Test
    void misspelledAppKeyInTheFileIsNamedWithItsLineAndTheKeyMeant() {
        // Given
        final Path file = file(dir, "bootstrap.servers=kafka:9092", "cart-rescue.schema.registy.url=" + REGISTRY_URL);

        // When
        final ConfigException e = failure(Optional.of(file), Map.of());

        // Then
        assertThat(e.problems()).contains("unknown setting 'cart-rescue.schema.registy.url' (from " + file
                + " line 2) — did you mean 'cart-rescue.schema.registry.url'?");
    }

    @Test
    void misspelledKafkaKeyInTheEnvironmentIsNamedWithTheVariableAndTheVariableMeant() {
        // Given
        final Map<String, String> env = minimalEnvWith("KAFKA_NUM_STREM_THREADS", "4");

        // When
        final ConfigException e = failure(Optional.empty(), env);

        // Then
        assertThat(e.problems()).containsExactly("unknown setting 'num.strem.threads' (from environment variable "
                + "KAFKA_NUM_STREM_THREADS) — did you mean 'num.stream.threads' (KAFKA_NUM_STREAM_THREADS)?");
    }

    @Test
    void keyFarFromAnyValidKeyIsRejectedWithoutAGuess() {
        // Given
        final Path file = file(dir, "default.commit.interval.ms=100");

        // When
        final ConfigException e = failure(Optional.of(file), minimalEnv());

        // Then
        assertThat(e.problems()).containsExactly("unknown setting 'default.commit.interval.ms' (from " + file
                + " line 1) — it is neither a cart-rescue setting nor a Kafka Streams or Kafka client setting");
    }

    @Test
    void keyOfTheWrongFamilyPointsToTheRightOne() {
        // Given the registry URL without the cart-rescue prefix, and a Kafka key with it
        final Path file = file(dir, "schema.registry.url=" + REGISTRY_URL, "cart-rescue.bootstrap.servers=kafka:9092");

        // When
        final ConfigException e = failure(Optional.of(file), Map.of());

        // Then
        assertThat(e.problems()).contains(
                "unknown setting 'schema.registry.url' (from " + file + " line 1) — did you mean "
                        + "'cart-rescue.schema.registry.url'?",
                "unknown setting 'cart-rescue.bootstrap.servers' (from " + file + " line 2) — did you mean "
                        + "'bootstrap.servers'?");
    }

    @Test
    void prefixedClientSettingsAreAccepted() {
        // Given settings for one kind of client only, and one for internal topics
        final Path file = file(dir, "producer.linger.ms=20", "main.consumer.max.poll.records=250",
                "restore.consumer.max.poll.records=1000", "global.consumer.fetch.max.bytes=1048576",
                "admin.request.timeout.ms=60000", "consumer.session.timeout.ms=45000",
                "topic.min.insync.replicas=2", "client.tag.zone=eu-west-1a");

        // When
        final AppConfig config = AppConfig.load(Optional.of(file), minimalEnv());

        // Then
        assertThat(config.kafkaProperties())
                .containsEntry("producer.linger.ms", "20")
                .containsEntry("main.consumer.max.poll.records", "250")
                .containsEntry("restore.consumer.max.poll.records", "1000")
                .containsEntry("global.consumer.fetch.max.bytes", "1048576")
                .containsEntry("admin.request.timeout.ms", "60000")
                .containsEntry("consumer.session.timeout.ms", "45000")
                .containsEntry("topic.min.insync.replicas", "2")
                .containsEntry("client.tag.zone", "eu-west-1a");
    }

    @Test
    void misspelledPrefixedSettingIsRejectedWithTheKeyMeant() {
        // Given
        final Path file = file(dir, "producer.lingr.ms=20");

        // When
        final ConfigException e = failure(Optional.of(file), minimalEnv());

        // Then
        assertThat(e.problems()).containsExactly("unknown setting 'producer.lingr.ms' (from " + file
                + " line 1) — did you mean 'producer.linger.ms'?");
    }

    @Test
    void consumerSettingUnderTheProducerPrefixIsRejected() {
        // Given
        final Path file = file(dir, "producer.max.poll.records=10");

        // When
        final ConfigException e = failure(Optional.of(file), minimalEnv());

        // Then
        assertThat(e.problems()).singleElement().asString().startsWith("unknown setting 'producer.max.poll.records'");
    }

    @Test
    void badValuesAreNamedWithTheValueAndTheFix() {
        // Given an out-of-range port, an unknown time mode and a URL without a scheme
        final Map<String, String> env = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
                "CART_RESCUE_HTTP_PORT", "70000",
                "CART_RESCUE_TIME_MODE", "sometimes",
                "CART_RESCUE_SCHEMA_REGISTRY_URL", "registry:8080/apis");

        // When
        final ConfigException e = failure(Optional.empty(), env);

        // Then
        assertThat(e.problems()).containsExactlyInAnyOrder(
                "invalid value '70000' for 'cart-rescue.http.port' (from environment variable CART_RESCUE_HTTP_PORT): "
                        + "must be an integer from 0 to 65535 (0 = any free port)",
                "invalid value 'sometimes' for 'cart-rescue.time.mode' (from environment variable "
                        + "CART_RESCUE_TIME_MODE): must be one of: live, replay",
                "invalid value 'registry:8080/apis' for 'cart-rescue.schema.registry.url' (from environment variable "
                        + "CART_RESCUE_SCHEMA_REGISTRY_URL): must be an http:// or https:// URL with a host, "
                        + "e.g. http://registry:8080/apis/ccompat/v7");
    }

    @Test
    void kafkaValuesAreCheckedAgainstKafkasOwnDefinitions() {
        // Given a number that is not one, a guarantee Kafka does not know, and a class not on the class path
        final Path file = file(dir, "num.stream.threads=many", "processing.guarantee=exactly_once",
                "producer.linger.ms=-1", "default.key.serde=com.example.MissingSerde");

        // When
        final ConfigException e = failure(Optional.of(file), minimalEnv());

        // Then
        assertThat(e.problems()).hasSize(4).anySatisfy(problem -> assertThat(problem)
                .startsWith("invalid value 'many' for 'num.stream.threads' (from " + file + " line 1): "
                        + "must be a valid integer"))
                .anySatisfy(problem -> assertThat(problem)
                        .startsWith("invalid value 'exactly_once' for 'processing.guarantee'")
                        .contains("at_least_once, exactly_once_v2"))
                .anySatisfy(problem -> assertThat(problem).startsWith("invalid value '-1' for 'producer.linger.ms'"))
                .anySatisfy(problem -> assertThat(problem).startsWith(
                        "invalid value 'com.example.MissingSerde' for 'default.key.serde'"));
    }

    @Test
    void appSettingsOutOfRangeAreRefused() {
        // Given
        final Path file = file(dir, "cart-rescue.punctuation.interval.ms=10", "cart-rescue.topics.partitions=0",
                "cart-rescue.topics.replication.factor=0", "cart-rescue.topics.auto.create=yes",
                "cart-rescue.topic.events=bad topic", "cart-rescue.shutdown.timeout.ms=-5",
                "cart-rescue.http.host=http://0.0.0.0");

        // When
        final ConfigException e = failure(Optional.of(file), minimalEnv());

        // Then
        assertThat(e.problems()).containsExactly(
                "invalid value '10' for 'cart-rescue.punctuation.interval.ms' (from " + file + " line 1): "
                        + "must be an integer from 50 to 60000",
                "invalid value 'bad topic' for 'cart-rescue.topic.events' (from " + file + " line 5): must be a "
                        + "Kafka topic name: 1 to 249 of a-z, A-Z, 0-9, '.', '_' and '-' (not '.' or '..')",
                "invalid value 'yes' for 'cart-rescue.topics.auto.create' (from " + file + " line 4): "
                        + "must be true or false",
                "invalid value '0' for 'cart-rescue.topics.partitions' (from " + file + " line 2): "
                        + "must be an integer from 1 to 10000",
                "invalid value '0' for 'cart-rescue.topics.replication.factor' (from " + file + " line 3): "
                        + "must be -1 (the broker's default) or an integer from 1 to 32767",
                "invalid value 'http://0.0.0.0' for 'cart-rescue.http.host' (from " + file + " line 7): "
                        + "must be a host name or IP address to listen on, e.g. 127.0.0.1 or 0.0.0.0",
                "invalid value '-5' for 'cart-rescue.shutdown.timeout.ms' (from " + file + " line 6): "
                        + "must be an integer from 0 to 3600000");
    }

    @Test
    void missingRequiredSettingsSayHowToSetThem() {
        // Given nothing at all
        // When
        final ConfigException e = failure(Optional.empty(), Map.of());

        // Then
        assertThat(e.problems()).containsExactly(
                "missing required setting 'bootstrap.servers': set it in the config file "
                        + "(bootstrap.servers=kafka-1:9092,kafka-2:9092) or with the environment variable "
                        + "KAFKA_BOOTSTRAP_SERVERS",
                "missing required setting 'cart-rescue.schema.registry.url': set it in the config file "
                        + "(cart-rescue.schema.registry.url=http://registry:8080/apis/ccompat/v7) or with the "
                        + "environment variable CART_RESCUE_SCHEMA_REGISTRY_URL");
    }

    @Test
    void everyProblemIsReportedAtOnceOnePerLine() {
        // Given a file with an unknown key, a bad value and a missing required setting, and a bad variable
        final Path file = file(dir, "cart-rescue.http.prot=9000", "cart-rescue.time.mode=sometimes");

        // When
        final ConfigException e = failure(Optional.of(file), Map.of("KAFKA_PRODUCER_LINGR_MS", "5",
                "KAFKA_BOOTSTRAP_SERVERS", "kafka:9092"));

        // Then
        assertThat(e.problems()).hasSize(4);
        assertThat(e.getMessage().lines()).hasSize(5).first().isEqualTo("invalid cart-rescue configuration (4 problems):");
        assertThat(e.getMessage())
                .contains("'cart-rescue.http.prot'", "did you mean 'cart-rescue.http.port'?")
                .contains("'producer.lingr.ms' (from environment variable KAFKA_PRODUCER_LINGR_MS)")
                .contains("invalid value 'sometimes' for 'cart-rescue.time.mode'")
                .contains("missing required setting 'cart-rescue.schema.registry.url'");
    }

    @Test
    void malformedBootstrapServersAreRefused() {
        // Given
        final Map<String, String> env = minimalEnvWith("KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9092,kafka-2");

        // When
        final ConfigException e = failure(Optional.empty(), env);

        // Then
        assertThat(e.problems()).containsExactly("invalid value 'kafka-1:9092,kafka-2' for 'bootstrap.servers' "
                + "(from environment variable KAFKA_BOOTSTRAP_SERVERS): must be a comma-separated list of host:port, "
                + "e.g. kafka-1:9092,kafka-2:9092");
    }

    @Test
    void settingsCartRescueOwnsAreRefusedRatherThanOverwritten() {
        // Given an operator choosing their own error handler and dead-letter topic
        final Path file = file(dir, "processing.exception.handler=com.example.Handler",
                "errors.dead.letter.queue.topic.name=my-dlq",
                "processing.exception.handler=com.example.Other");

        // When
        final ConfigException e = failure(Optional.of(file), minimalEnv());

        // Then
        assertThat(e.problems()).anySatisfy(problem -> assertThat(problem)
                        .startsWith("'errors.dead.letter.queue.topic.name' (from " + file + " line 2) cannot be changed")
                        .endsWith("set the dead-letter topic with cart-rescue.topic.dead.letters "
                                + "(env CART_RESCUE_TOPIC_DEAD_LETTERS) instead"))
                .anySatisfy(problem -> assertThat(problem)
                        .startsWith("'processing.exception.handler' (from " + file + " line 3) cannot be changed"))
                .anySatisfy(problem -> assertThat(problem).isEqualTo("setting 'processing.exception.handler' is set "
                        + "twice in " + file + " (lines 1 and 3); keep one"));
    }

    @Test
    void atLeastOnceIsKeptWithAWarning() {
        // Given
        final AppConfig config = AppConfig.load(Optional.empty(),
                minimalEnvWith("KAFKA_PROCESSING_GUARANTEE", "at_least_once"));

        // When
        final var streams = config.streamsProperties(new io.cartrescue.processor.DeadLetters());

        // Then
        assertThat(streams).containsEntry("processing.guarantee", "at_least_once");
        assertThat(config.warnings()).singleElement().asString()
                .startsWith("processing.guarantee=at_least_once (from environment variable KAFKA_PROCESSING_GUARANTEE)");
    }

    @Test
    void twoTopicKeysNamingTheSameTopicAreRefused() {
        // Given
        final Map<String, String> env = minimalEnvWith("CART_RESCUE_TOPIC_OUTCOMES", "decisions");

        // When
        final ConfigException e = failure(Optional.empty(), env);

        // Then
        assertThat(e.problems()).containsExactly("topic 'decisions' is named by cart-rescue.topic.decisions and "
                + "cart-rescue.topic.outcomes: each needs its own topic");
    }

    @Test
    void missingPolicyFileAndTrustStoreAreRefused() {
        // Given
        final Path missing = dir.resolve("nope.yaml");
        final Map<String, String> env = minimalEnvWith("CART_RESCUE_POLICY_FILE", missing.toString(),
                "CART_RESCUE_SCHEMA_REGISTRY_TRUSTSTORE_PASSWORD", "changeit");

        // When
        final ConfigException e = failure(Optional.empty(), env);

        // Then
        assertThat(e.problems()).containsExactly(
                "invalid value '" + missing + "' for 'cart-rescue.policy.file' (from environment variable "
                        + "CART_RESCUE_POLICY_FILE): must be the path of an existing, readable file",
                "'cart-rescue.schema.registry.truststore.password' is set (from environment variable "
                        + "CART_RESCUE_SCHEMA_REGISTRY_TRUSTSTORE_PASSWORD) but "
                        + "'cart-rescue.schema.registry.truststore.location' is not: set the trust store's path too");
    }

    @Test
    void emptyOptionalSettingMeansNotSet() {
        // Given an empty policy file variable, as a Helm chart renders an unset value
        // When
        final AppConfig config = AppConfig.load(Optional.empty(), minimalEnvWith("CART_RESCUE_POLICY_FILE", ""));

        // Then
        assertThat(config.policyFile()).isEmpty();
    }

    @Test
    void kubernetesServiceLinksJvmOptionsAndLogLevelsAreNotTakenForSettings() {
        // Given the variables Kubernetes adds for services named kafka and cart-rescue, and logback's log levels
        final Map<String, String> env = minimalEnvWith(
                "KAFKA_PORT", "tcp://10.0.0.7:9092",
                "KAFKA_PORT_9092_TCP", "tcp://10.0.0.7:9092",
                "KAFKA_PORT_9092_TCP_ADDR", "10.0.0.7",
                "KAFKA_SERVICE_HOST", "10.0.0.7",
                "KAFKA_SERVICE_PORT", "9092",
                "CART_RESCUE_SERVICE_PORT_HTTP", "8080",
                "CART_RESCUE_PORT", "tcp://10.0.0.8:8080",
                "KAFKA_HEAP_OPTS", "-Xmx1g",
                "CART_RESCUE_LOG_LEVEL", "DEBUG",
                "CART_RESCUE_KAFKA_LOG_LEVEL", "INFO");

        // When
        final AppConfig config = AppConfig.load(Optional.empty(), env);

        // Then
        assertThat(config.kafkaProperties()).containsOnlyKeys("application.id", "state.dir", "num.stream.threads",
                "bootstrap.servers");
    }

    @Test
    void missingOrUnreadableFileIsAProblemListedWithTheOthers() {
        // Given
        final Path missing = dir.resolve("missing.properties");

        // When
        final ConfigException e = failure(Optional.of(missing), Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092"));

        // Then
        assertThat(e.problems()).containsExactly(
                "config file " + missing + " does not exist; check the --config path",
                "missing required setting 'cart-rescue.schema.registry.url': set it in the config file "
                        + "(cart-rescue.schema.registry.url=http://registry:8080/apis/ccompat/v7) or with the "
                        + "environment variable CART_RESCUE_SCHEMA_REGISTRY_URL");
    }

    @Test
    void fileThatIsNotUtf8IsRefused() throws Exception {
        // Given a file written in Latin-1
        final Path file = dir.resolve("latin1.properties");
        Files.write(file, "client.id=caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));

        // When
        final ConfigException e = failure(Optional.of(file), minimalEnv());

        // Then
        assertThat(e.problems()).containsExactly("config file " + file + " is not valid UTF-8 text; save it as UTF-8");
    }

    @Test
    void overridesAreValidatedLikeEveryOtherLayer() {
        // Given
        final AppConfig config = AppConfig.load(Optional.empty(), minimalEnv());

        // When
        final ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> config.withOverrides(Map.of("cart-rescue.http.port", "70000", "lingr.ms", "5")));

        // Then
        assertThat(e.problems()).containsExactly(
                "unknown setting 'lingr.ms' (from an override) — did you mean 'linger.ms'?",
                "invalid value '70000' for 'cart-rescue.http.port' (from an override): "
                        + "must be an integer from 0 to 65535 (0 = any free port)");
    }
}
