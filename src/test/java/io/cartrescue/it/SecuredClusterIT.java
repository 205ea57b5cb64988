package io.cartrescue.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cartrescue.local.LocalInfra;
import io.cartrescue.local.LocalKafka;
import io.cartrescue.local.LocalRegistry;
import io.cartrescue.schema.Intervention;
import io.cartrescue.schema.InterventionType;
import io.cartrescue.schema.StorefrontEvent;
import io.cartrescue.serde.ConfluentAvroSerde;
import io.cartrescue.serde.SchemaRegistryClient;
import io.cartrescue.serde.SchemaRegistrySettings;
import io.cartrescue.serde.SerdeSettings;
import io.cartrescue.testing.Shopper;
import io.cartrescue.testing.TestCertificates;
import io.cartrescue.topology.TopicNames;
import io.cartrescue.topology.TopicPlan;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * cart-rescue against a cluster secured as in production: the broker takes clients only over
 * SASL_SSL with SCRAM-SHA-512 and enforces ACLs (KRaft's StandardAuthorizer, nothing allowed without
 * an ACL), the schema registry serves HTTPS only and wants basic credentials. The application's ACLs
 * are created by running {@code deploy/acls/create-acls.sh} itself with Kafka's own {@code kafka-acls}
 * tool, and the application is the shipped jar in a child process configured by nothing but its
 * environment.
 *
 * <ol>
 *   <li>with exactly the script's ACLs a hesitating shopper gets an intervention, read back by another
 *       SCRAM user with read_committed; no password or JAAS configuration appears in the output, in
 *       {@code /metrics} or in {@code run --print-config};</li>
 *   <li>without any one of the script's ACLs (one resource at a time) the application stops with exit
 *       code 4 and a message that names the resource and the operations it lacks.</li>
 * </ol>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecuredClusterIT {
    private static final Logger LOG = LoggerFactory.getLogger(SecuredClusterIT.class);

    private static final String APP_ID = "cart-rescue";
    private static final String APP_USER = "cart-rescue-app";
    private static final String READER_USER = "chat-service";
    private static final String REGISTRY_USER = "cartrescue";
    private static final TopicNames TOPICS = TopicNames.defaults();
    private static final Duration APP_EXIT_TIMEOUT = Duration.ofSeconds(90);
    private static final int EXIT_NOT_AUTHORIZED = 4;

    /** Fresh, unmistakable secrets: any of them seen in an output is a leak, not a coincidence. */
    private final String storePassword = "store-" + UUID.randomUUID();
    private final String adminPassword = "admin-" + UUID.randomUUID();
    private final String appPassword = "app-" + UUID.randomUUID();
    private final String readerPassword = "reader-" + UUID.randomUUID();
    private final String registryPassword = "registry-" + UUID.randomUUID();

    private Path work;
    private TestCertificates tls;
    private LocalKafka kafka;
    private LocalRegistry registry;
    private Admin admin;
    private SchemaRegistrySettings registrySettings;
    private List<AclBinding> scriptAcls;

    @BeforeAll
    void startSecuredClusterAndApplyTheDocumentedAcls() throws Exception {
        final long started = System.nanoTime();
        work = Files.createTempDirectory("secured-cluster-it");
        tls = TestCertificates.create(work.resolve("tls"), storePassword);
        final LocalInfra infra = LocalInfra.locate();
        final CompletableFuture<LocalRegistry> registryStart = CompletableFuture.supplyAsync(() -> {
            try {
                return LocalRegistry.startSecured(work, infra, new LocalRegistry.Security(tls.keyStore(),
                        tls.trustStore(), storePassword, REGISTRY_USER, registryPassword));
            } catch (final IOException e) {
                throw new IllegalStateException(e);
            }
        });
        kafka = LocalKafka.startSecured(work, infra, new LocalKafka.Security(tls.keyStore(), tls.trustStore(),
                storePassword, "admin", adminPassword, tls.subject()));
        registry = registryStart.join();
        registrySettings = SchemaRegistrySettings.builder(registry.url())
                .basicAuth(REGISTRY_USER + ":" + registryPassword)
                .trustStore(tls.trustStore(), storePassword, "PKCS12").build();

        admin = Admin.create(kafka.adminProperties());
        admin.alterUserScramCredentials(List.of(
                new UserScramCredentialUpsertion(APP_USER, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096),
                        appPassword),
                new UserScramCredentialUpsertion(READER_USER, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096),
                        readerPassword))).all().get(30, TimeUnit.SECONDS);
        admin.createTopics(TopicPlan.topics(TOPICS, 1, (short) 1)).all().get(30, TimeUnit.SECONDS);
        // The consumer standing in for the chat and on-site services reads the intervention topics.
        admin.createAcls(List.of(
                allow(READER_USER, ResourceType.TOPIC, TOPICS.onsiteInterventions(), PatternType.LITERAL, AclOperation.READ),
                allow(READER_USER, ResourceType.TOPIC, TOPICS.chatInterventions(), PatternType.LITERAL, AclOperation.READ),
                allow(READER_USER, ResourceType.GROUP, "chat-service", PatternType.PREFIXED, AclOperation.READ)))
                .all().get(30, TimeUnit.SECONDS);

        runAclScript();
        scriptAcls = List.copyOf(admin.describeAcls(new AclBindingFilter(ResourcePatternFilter.ANY,
                new AccessControlEntryFilter("User:" + APP_USER, null, AclOperation.ANY, AclPermissionType.ANY)))
                .values().get(30, TimeUnit.SECONDS));
        LOG.info("secured broker, registry, users and the script's {} ACLs ready in {} ms", scriptAcls.size(),
                Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    @AfterAll
    void stop() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        if (registry != null) {
            registry.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    @Order(1)
    void theScriptGrantsExactlyWhatItDocuments() {
        final Map<String, List<String>> byResource = scriptAcls.stream().collect(Collectors.groupingBy(
                b -> b.pattern().resourceType() + " " + b.pattern().patternType() + " " + b.pattern().name(),
                Collectors.mapping(b -> b.entry().operation().name(), Collectors.toList())));
        final Map<String, List<String>> expected = new LinkedHashMap<>();
        TOPICS.inputs().forEach(t -> expected.put("TOPIC LITERAL " + t, List.of("DESCRIBE", "READ")));
        TOPICS.outputs().forEach(t -> expected.put("TOPIC LITERAL " + t, List.of("DESCRIBE", "WRITE")));
        expected.put("TOPIC PREFIXED " + APP_ID + "-", List.of("ALL"));
        expected.put("GROUP PREFIXED " + APP_ID, List.of("ALL"));
        expected.put("TRANSACTIONAL_ID PREFIXED " + APP_ID + "-", List.of("DESCRIBE", "WRITE"));
        expected.put("CLUSTER LITERAL kafka-cluster", List.of("IDEMPOTENT_WRITE"));
        byResource.replaceAll((resource, operations) -> operations.stream().sorted().toList());
        assertThat(byResource).isEqualTo(expected);
        assertThat(scriptAcls).allSatisfy(b -> assertThat(b.entry().permissionType()).isEqualTo(AclPermissionType.ALLOW));
    }

    @Test
    @Order(2)
    void withTheDocumentedAclsAHesitatingShopperGetsAnInterventionAndNoSecretIsShown() throws Exception {
        final int httpPort = freePort();
        final Map<String, String> env = appEnvironment(httpPort);
        // Kafka's clients log their whole configuration at INFO: the place a password would leak first.
        env.put("CART_RESCUE_KAFKA_LOG_LEVEL", "INFO");

        final AppRun printed = AppRun.start(work, "print-config", env, "run", "--print-config");
        assertThat(printed.awaitExit(APP_EXIT_TIMEOUT)).as(printed.output()).isZero();
        assertThat(printed.output()).contains("sasl.jaas.config", "ssl.truststore.password",
                "cart-rescue.schema.registry.basic.auth.user.info");

        final AppRun app = AppRun.start(work, "happy", env, "run");
        final String metrics;
        try {
            final HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
                assertThat(app.isAlive()).as("the application exited:%n%s", app.output()).isTrue();
                return status(http, httpPort, "/health/ready") == 200;
            });
            final Shopper shopper = Shopper.session("secured-" + System.nanoTime()).signedInAs("secured-customer")
                    .startingAt(Instant.now());
            try (KafkaConsumer<String, byte[]> reader = readerConsumer(TOPICS.onsiteInterventions());
                    KafkaProducer<String, Object> storefront = storefrontProducer()) {
                for (final StorefrontEvent e : List.of(shopper.added("p1", "40.00"), shopper.checkoutStarted(),
                        shopper.paymentFailed("card_declined"), shopper.paymentFailed("card_declined"))) {
                    storefront.send(new ProducerRecord<>(TOPICS.events(), null, e.getEventTime().toEpochMilli(),
                            e.getSessionId(), e));
                }
                storefront.flush();
                final SchemaRegistryClient client = new SchemaRegistryClient(registrySettings);
                final ConfluentAvroSerde<Intervention> serde =
                        new ConfluentAvroSerde<>(Intervention.class, client, SerdeSettings.forValues());
                final List<Intervention> received = new ArrayList<>();
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    for (final ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(200))) {
                        received.add(serde.deserializer().deserialize(r.topic(), r.value()));
                    }
                    return !received.isEmpty();
                });
                assertThat(received).singleElement().satisfies(i -> {
                    assertThat(i.getSessionId()).isEqualTo(shopper.sessionId());
                    assertThat(i.getType()).isEqualTo(InterventionType.PAYMENT_HELP);
                });
            }
            metrics = get(http, httpPort, "/metrics").body();
            assertThat(metrics).contains("kafka_stream");
        } finally {
            app.stop();
        }
        // SIGTERM: the shutdown hook closes Kafka Streams, and the JVM reports the signal (128 + 15).
        assertThat(app.awaitExit(APP_EXIT_TIMEOUT)).as(app.output()).isEqualTo(143);
        assertThat(app.output()).contains("state REBALANCING -> RUNNING", "state PENDING_SHUTDOWN -> NOT_RUNNING",
                "sasl.jaas.config = [hidden]", "ssl.truststore.password = [hidden]");

        for (final String secret : secrets()) {
            assertThat(app.output()).as("application output").doesNotContain(secret);
            assertThat(metrics).as("/metrics").doesNotContain(secret);
            assertThat(printed.output()).as("run --print-config").doesNotContain(secret);
        }
        assertThat(app.output() + metrics + printed.output()).doesNotContain("ScramLoginModule required username");
    }

    @TestFactory
    @Order(3)
    Stream<DynamicTest> withoutAnyOneOfTheDocumentedAclsTheApplicationStopsNamingIt() {
        final Map<ResourcePattern, List<AclBinding>> byResource = new LinkedHashMap<>();
        scriptAcls.forEach(b -> byResource.computeIfAbsent(b.pattern(), p -> new ArrayList<>()).add(b));
        // IdempotentWrite on the cluster is implied by Write on a topic or transactional id since Kafka 2.8
        // (KIP-679): the script keeps it for older brokers, and a current broker does not need it.
        byResource.remove(new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL));
        return byResource.entrySet().stream().map(entry -> DynamicTest.dynamicTest(
                "without " + describe(entry.getKey()), () -> failsWithout(entry.getKey(), entry.getValue())));
    }

    @Test
    @Order(4)
    void wrongCredentialsStopTheStartWithAClearMessageThatDoesNotRepeatThem() throws Exception {
        final String wrongKafkaPassword = "wrong-kafka-" + UUID.randomUUID();
        final Map<String, String> kafkaEnv = appEnvironment(freePort());
        kafkaEnv.put("KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"" + APP_USER + "\" password=\"" + wrongKafkaPassword + "\";");
        final AppRun kafkaDenied = AppRun.start(work, "wrong-kafka-password", kafkaEnv, "run");
        assertThat(kafkaDenied.awaitExit(APP_EXIT_TIMEOUT)).as(kafkaDenied.output()).isEqualTo(EXIT_NOT_AUTHORIZED);
        assertThat(kafkaDenied.output()).contains("not authorized: the Kafka cluster at " + kafka.bootstrapServers()
                + " rejected cart-rescue's credentials", "SaslAuthenticationException");

        final String wrongRegistryPassword = "wrong-registry-" + UUID.randomUUID();
        final Map<String, String> registryEnv = appEnvironment(freePort());
        registryEnv.put("CART_RESCUE_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", REGISTRY_USER + ":" + wrongRegistryPassword);
        final AppRun registryDenied = AppRun.start(work, "wrong-registry-password", registryEnv, "run");
        assertThat(registryDenied.awaitExit(APP_EXIT_TIMEOUT)).as(registryDenied.output())
                .isEqualTo(EXIT_NOT_AUTHORIZED);
        assertThat(registryDenied.output()).contains("not authorized: the schema registry at [" + registry.url()
                + "] answered HTTP 401");

        for (final String secret : List.of(wrongKafkaPassword, wrongRegistryPassword, appPassword, registryPassword,
                storePassword)) {
            assertThat(kafkaDenied.output() + registryDenied.output()).doesNotContain(secret);
        }
    }

    private void failsWithout(final ResourcePattern resource, final Collection<AclBinding> acls) throws Exception {
        admin.deleteAcls(acls.stream().map(AclBinding::toFilter).toList()).all().get(30, TimeUnit.SECONDS);
        try {
            final long started = System.nanoTime();
            final AppRun app = AppRun.start(work, "without-" + resource.resourceType() + "-" + resource.name(),
                    appEnvironment(freePort()), "run");
            final int exit;
            try {
                exit = app.awaitExit(APP_EXIT_TIMEOUT);
            } finally {
                app.stop();
            }
            LOG.info("without {}: exit {} after {} ms", describe(resource), exit,
                    Duration.ofNanos(System.nanoTime() - started).toMillis());
            assertThat(exit).as(app.output()).isEqualTo(EXIT_NOT_AUTHORIZED);
            assertThat(app.output()).contains("not authorized: the Kafka cluster at " + kafka.bootstrapServers()
                    + " denies User:" + APP_USER).contains(expectedLine(resource));
            for (final String secret : secrets()) {
                assertThat(app.output()).doesNotContain(secret);
            }
        } finally {
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** The part of the error message that names the resource and the command granting it. */
    private String expectedLine(final ResourcePattern resource) {
        final String grant = "--add --allow-principal User:" + APP_USER;
        return switch (resource.resourceType()) {
            case TOPIC -> resource.patternType() == PatternType.PREFIXED
                    ? "--operation All --resource-pattern-type prefixed --topic " + resource.name()
                    : "topic " + resource.name() + ": missing ";
            case GROUP -> "consumer group " + APP_ID + ": missing Read";
            case TRANSACTIONAL_ID -> "transactional ids " + APP_ID + "-*: missing Write, Describe; grant with: "
                    + "kafka-acls.sh --bootstrap-server " + kafka.bootstrapServers() + " " + grant
                    + " --operation Write --operation Describe --resource-pattern-type prefixed --transactional-id "
                    + APP_ID + "-";
            default -> throw new IllegalArgumentException("no expectation for " + resource);
        };
    }

    private static String describe(final ResourcePattern resource) {
        return resource.resourceType().name().toLowerCase() + " " + resource.name()
                + (resource.patternType() == PatternType.PREFIXED ? "*" : "");
    }

    /** Everything the application needs, as an operator would set it: environment variables only. */
    private Map<String, String> appEnvironment(final int httpPort) throws IOException {
        final Path policy = work.resolve("policy.yaml");
        Files.writeString(policy, """
                version: "secured-it-1"
                arbitration:
                  holdout:
                    percent: 0
                  holds:
                    inSessionSeconds: 1
                """);
        final Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("KAFKA_APPLICATION_ID", APP_ID);
        env.put("KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
        env.put("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
        env.put("KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + APP_USER + "\" password=\"" + appPassword + "\";");
        env.put("KAFKA_SSL_TRUSTSTORE_TYPE", "PKCS12");
        env.put("KAFKA_SSL_TRUSTSTORE_LOCATION", tls.trustStore().toString());
        env.put("KAFKA_SSL_TRUSTSTORE_PASSWORD", storePassword);
        env.put("KAFKA_COMMIT_INTERVAL_MS", "100");
        env.put("CART_RESCUE_SCHEMA_REGISTRY_URL", registry.url());
        env.put("CART_RESCUE_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", REGISTRY_USER + ":" + registryPassword);
        env.put("CART_RESCUE_SCHEMA_REGISTRY_TRUSTSTORE_LOCATION", tls.trustStore().toString());
        env.put("CART_RESCUE_SCHEMA_REGISTRY_TRUSTSTORE_PASSWORD", storePassword);
        env.put("CART_RESCUE_POLICY_FILE", policy.toString());
        env.put("KAFKA_STATE_DIR", work.resolve("app-state").toString());
        env.put("CART_RESCUE_HTTP_PORT", String.valueOf(httpPort));
        env.put("CART_RESCUE_SHUTDOWN_TIMEOUT_MS", "10000");
        return env;
    }

    private List<String> secrets() {
        return List.of(storePassword, adminPassword, appPassword, readerPassword, registryPassword);
    }

    /** Runs deploy/acls/create-acls.sh as documented, with kafka-acls being Kafka's AclCommand. */
    private void runAclScript() throws Exception {
        final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        final Path kafkaAcls = work.resolve("kafka-acls.sh");
        Files.writeString(kafkaAcls, "#!/bin/sh\nexec '" + java + "' -Xmx128m -XX:TieredStopAtLevel=1"
                + " -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp '" + LocalInfra.locate().kafkaLibs() + "/*'"
                + " org.apache.kafka.tools.AclCommand \"$@\"\n");
        kafkaAcls.toFile().setExecutable(true);
        final Path adminConfig = work.resolve("admin.properties");
        final StringBuilder properties = new StringBuilder();
        kafka.adminProperties().forEach((k, v) -> properties.append(k).append('=')
                .append(String.valueOf(v).replace("\\", "\\\\")).append('\n'));
        Files.writeString(adminConfig, properties);
        final ProcessBuilder script = new ProcessBuilder("bash", Path.of("deploy/acls/create-acls.sh").toAbsolutePath()
                .toString(), "--command-config", adminConfig.toString()).redirectErrorStream(true)
                .redirectOutput(work.resolve("create-acls.log").toFile());
        script.environment().putAll(Map.of("BOOTSTRAP", kafka.bootstrapServers(), "PRINCIPAL", "User:" + APP_USER,
                "APP_ID", APP_ID, "KAFKA_ACLS", kafkaAcls.toString()));
        final long started = System.nanoTime();
        final Process process = script.start();
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(Files.readString(work.resolve("create-acls.log"))).isZero();
        LOG.info("create-acls.sh took {} ms", Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    private static AclBinding allow(final String user, final ResourceType type, final String name,
                                    final PatternType patternType, final AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, patternType),
                new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
    }

    /** The storefront: a producer as the admin, its values registered through the secured registry. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private KafkaProducer<String, Object> storefrontProducer() {
        final ConfluentAvroSerde serde = new ConfluentAvroSerde(org.apache.avro.specific.SpecificRecordBase.class,
                new SchemaRegistryClient(registrySettings), SerdeSettings.forValues());
        final Map<String, Object> config = new LinkedHashMap<>(kafka.adminProperties());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return new KafkaProducer<>(config, new StringSerializer(), serde.serializer());
    }

    /** A read_committed consumer with its own SCRAM user, positioned at the end of the topic. */
    private KafkaConsumer<String, byte[]> readerConsumer(final String topic) {
        final Map<String, Object> config = new LinkedHashMap<>(kafka.adminProperties());
        config.putAll(new LocalKafka.Security(tls.keyStore(), tls.trustStore(), storePassword, "admin", adminPassword,
                tls.subject()).clientProperties(READER_USER, readerPassword));
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "chat-service-" + System.nanoTime());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        final KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            consumer.poll(Duration.ofMillis(100));
            return !consumer.assignment().isEmpty();
        });
        return consumer;
    }

    private static HttpResponse<String> get(final HttpClient http, final int port, final String path)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The status of a GET, or 0 while nothing listens on the port yet. */
    private static int status(final HttpClient http, final int port, final String path) throws InterruptedException {
        try {
            return get(http, port, path).statusCode();
        } catch (final IOException notListening) {
            return 0;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** {@code java -jar cart-rescue.jar ...} with only the given environment, its output in a file. */
    private record AppRun(Process process, Path log) {
        static AppRun start(final Path work, final String name, final Map<String, String> env, final String... arguments)
                throws IOException {
            final Path jar = Path.of(System.getProperty("cartrescue.jar", "target/cart-rescue.jar")).toAbsolutePath();
            final List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m", "-jar", jar.toString()));
            command.addAll(List.of(arguments));
            final Path log = work.resolve("app-" + name.replaceAll("[^A-Za-z0-9._-]", "_") + ".log");
            final ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().clear();
            builder.environment().putAll(env);
            return new AppRun(builder.start(), log);
        }

        boolean isAlive() {
            return process.isAlive();
        }

        int awaitExit(final Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("still running after " + timeout + ":\n" + output());
            }
            return process.exitValue();
        }

        void stop() throws InterruptedException {
            if (process.isAlive()) {
                process.toHandle().destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
        }

        String output() {
            try {
                return Files.readString(log, StandardCharsets.UTF_8);
            } catch (final IOException e) {
                return "(no output: " + e + ")";
            }
        }
    }
}
