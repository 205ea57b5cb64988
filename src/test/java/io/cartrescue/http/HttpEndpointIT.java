package io.cartrescue.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.core.spi.FilterReply;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cartrescue.app.CartRescueRuntime;
import io.cartrescue.config.AppConfig;
import io.cartrescue.local.LocalStack;
import io.cartrescue.policy.Policy;
import io.cartrescue.policy.PolicyLoader;
import io.cartrescue.processor.SessionDetectorProcessor;
import io.cartrescue.schema.ChatCapacity;
import io.cartrescue.schema.StorefrontEvent;
import io.cartrescue.serde.SchemaRegistryClient;
import io.cartrescue.serde.SchemaRegistrySettings;
import io.cartrescue.testing.LocalStackExtension;
import io.cartrescue.testing.RegistryProducer;
import io.cartrescue.testing.Shopper;
import io.cartrescue.topology.TopicNames;
import io.cartrescue.topology.TopicPlan;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * The HTTP endpoint of two instances of one application on the real broker and registry, started
 * from configuration the way {@code run} starts them (with a registry password and a Kafka password
 * set), each with its own state directory and port: readiness, the Prometheus scrape after a
 * payment-failure scenario, session look-ups answered by either instance, and no secret in the
 * scrape or in anything logged meanwhile.
 */
@ExtendWith(LocalStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HttpEndpointIT {
    private static final String APP = "http-endpoint-it";
    private static final TopicNames TOPICS = new TopicNames("http-it.events", "http-it.profiles", "http-it.chat-capacity",
            "http-it.interventions.chat", "http-it.interventions.onsite", "http-it.interventions.marketing",
            "http-it.decisions", "http-it.outcomes", "http-it.dead-letters");
    private static final String REGISTRY_SECRET = "Rg7-registry-CANARY-41f2";
    private static final String KAFKA_SECRET = "Kf3-kafka-CANARY-9b0d";
    /** No holdout, a one-second hold, and a five-second stall at step 4, so that a deadline fires within the test. */
    private static final String POLICY = """
            version: "http-it-1"
            detection:
              stalledStep:
                defaultSeconds: 5
                secondsByStep:
                  4: 5
            arbitration:
              holdout:
                percent: 0
              holds:
                inSessionSeconds: 1
            """;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper mapper = new ObjectMapper();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Map<String, Level> levelsBefore = new HashMap<>();
    private final List<Integer> readinessSeen = new ArrayList<>();
    private Filter<ILoggingEvent> quietKafkaOnConsole;
    private LocalStack stack;
    private SchemaRegistryClient registry;
    private KafkaProducer<String, Object> producer;
    private CartRescueRuntime first;
    private CartRescueRuntime second;
    private Shopper shopper;

    @BeforeAll
    void start(final LocalStack localStack) throws Exception {
        captureLogs();
        stack = localStack;
        stack.createTopics(TopicPlan.topics(TOPICS, 2, (short) 1));
        registry = new SchemaRegistryClient(SchemaRegistrySettings.builder(stack.registryUrl()).build());
        producer = RegistryProducer.create(stack.bootstrapServers(), registry);
        for (final String queue : List.of("chat-de", "chat-en")) {
            producer.send(new ProducerRecord<>(TOPICS.chatCapacity(), queue, new ChatCapacity(queue, 3, 0, Instant.now())));
        }
        producer.flush();
        final AppConfig config = config(Files.writeString(Files.createTempDirectory("http-it-policy").resolve("policy.yaml"), POLICY));
        final Policy policy = PolicyLoader.load(config.policyFile().orElseThrow());
        first = CartRescueRuntime.start(CartRescueRuntime.Settings.from(withStateDir(config), policy));
        second = CartRescueRuntime.start(CartRescueRuntime.Settings.from(withStateDir(config), policy));
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20)).until(() -> {
            final int status = get(first, Routes.READY).statusCode();
            readinessSeen.add(status);
            return status == 200;
        });
        await().atMost(Duration.ofSeconds(90)).until(() -> first.isRunning() && second.isRunning()
                && hasActiveTasks(first) && hasActiveTasks(second) && sameOwnerSeenByBoth("any-session-id"));
    }

    @AfterAll
    void stop() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        closeQuietly(first);
        closeQuietly(second);
        restoreLogs();
    }

    @Test
    @Order(1)
    void readinessAnswers503WithTheStateUntilRunningThen200() throws Exception {
        assertThat(readinessSeen).last().isEqualTo(200);
        assertThat(readinessSeen).allMatch(status -> status == 200 || status == 503);
        for (final CartRescueRuntime instance : List.of(first, second)) {
            final HttpResponse<String> ready = await().atMost(Duration.ofSeconds(60))
                    .until(() -> get(instance, Routes.READY), response -> response.statusCode() == 200);
            assertThat(ready.body()).isEqualTo("{\"ready\":true,\"state\":\"RUNNING\"}");
            assertThat(get(instance, Routes.LIVE).statusCode()).isEqualTo(200);
        }
    }

    @Test
    @Order(2)
    void aLiveSessionIsAnsweredByEitherInstanceAndAnUnknownOneIs404() throws Exception {
        // Given a shopper whose payment failed twice, in a session owned by one of the two instances
        shopper = Shopper.session("http-it-" + System.nanoTime()).signedInAs("http-it-customer").startingAt(Instant.now());
        send(shopper.added("p1", "180.00"), shopper.checkoutStarted(), shopper.stepViewed(4),
                shopper.paymentFailed("card_declined"), shopper.paymentFailed("card_declined"));
        final int owner = ownerPort(first, shopper.sessionId());
        assertThat(ownerPort(second, shopper.sessionId())).as("both instances agree on the owner").isEqualTo(owner);
        assertThat(owner).isIn(port(first), port(second));

        // When each instance is asked for it
        for (final CartRescueRuntime instance : List.of(first, second)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                final HttpResponse<String> r = get(instance, Routes.SESSIONS + shopper.sessionId());
                return r.statusCode() == 200 && mapper.readTree(r.body()).at("/counts/paymentFailures").asInt() == 2;
            });
            // Then both answer with the owner's state
            final JsonNode session = mapper.readTree(get(instance, Routes.SESSIONS + shopper.sessionId()).body());
            assertThat(session.get("sessionId").asText()).isEqualTo(shopper.sessionId());
            assertThat(session.get("customerKey").asText()).isEqualTo("http-it-customer");
            assertThat(session.get("checkoutStep").asInt()).isEqualTo(4);
            assertThat(session.get("lastPaymentErrorCode").asText()).isEqualTo("card_declined");
            assertThat(session.get("firedSignals").findValuesAsText("signal")).contains("PAYMENT_FAILURES");
            assertThat(session.toString()).doesNotContain("anon-" + shopper.sessionId(), shopper.sessionId() + "-e1");

            final HttpResponse<String> unknown = get(instance, Routes.SESSIONS + "http-it-no-such-session");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).contains("no live session");
        }
    }

    @Test
    @Order(3)
    void metricsShowTheAppsCountersAndHistogramsAndKafkaStreamsMetrics() throws Exception {
        // Given the payment-failure scenario above, its stall at step 4 after five seconds, and a malformed event
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(TOPICS.events(), "http-it-malformed", new byte[] {1, 2, 3}));
        }

        // When both instances are scraped, Then the app's own metrics are there with their tags (at least
        // these counts: records processed again after a rebalance are counted again)
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            final List<String> lines = scrapeBoth();
            assertThat(sum(lines, "cart_rescue_events_total", "type=\"PAYMENT_FAILED\"")).isGreaterThanOrEqualTo(2);
            assertThat(sum(lines, "cart_rescue_signals_fired_total", "signal=\"PAYMENT_FAILURES\"")).isGreaterThanOrEqualTo(1);
            assertThat(sum(lines, "cart_rescue_signals_fired_total", "signal=\"STALLED_CHECKOUT_STEP\"")).isGreaterThanOrEqualTo(1);
            assertThat(sum(lines, "cart_rescue_decisions_total", "verdict=\"EMITTED\"", "guardrail=\"none\"")).isPositive();
            assertThat(sum(lines, "cart_rescue_interventions_total", "channel=\"CHAT\"", "type=\"CHAT_OFFER\"")).isGreaterThanOrEqualTo(1);
            assertThat(sum(lines, "cart_rescue_dead_letters_total", "reason=\"malformed\"")).isGreaterThanOrEqualTo(1);
            assertThat(sum(lines, "cart_rescue_detection_lag_seconds_count")).isGreaterThanOrEqualTo(1);
            assertThat(sum(lines, "cart_rescue_punctuation_seconds_count", "processor=\"session-detector\"")).isPositive();
            assertThat(sum(lines, "cart_rescue_punctuation_seconds_count", "processor=\"arbitrate\"")).isPositive();
        });
        final List<String> lines = scrapeBoth();
        assertThat(lines).anyMatch(l -> l.startsWith("cart_rescue_detection_lag_seconds_bucket{") && l.contains("le=\"1.0\""));
        assertThat(lines).anyMatch(l -> l.startsWith("cart_rescue_punctuation_seconds_bucket{"));
        assertThat(lines).anyMatch(l -> l.startsWith("kafka_stream_thread_process_total{"));
        assertThat(lines).anyMatch(l -> l.startsWith("kafka_consumer_") || l.startsWith("kafka_producer_"));
        assertThat(lines).anyMatch(l -> l.startsWith("jvm_memory_used_bytes{"));
        assertThat(get(first, Routes.METRICS).headers().firstValue("Content-Type")).hasValue(Routes.PROMETHEUS_TEXT);
    }

    @Test
    @Order(4)
    void noSecretAppearsInTheScrapeOrInTheLogs() throws Exception {
        final String scrapes = get(first, Routes.METRICS).body() + get(second, Routes.METRICS).body();
        assertThat(scrapes).doesNotContain(REGISTRY_SECRET, KAFKA_SECRET);

        final List<String> logged = loggedSoFar();
        assertThat(logged).as("Kafka's configuration dumps were captured").anyMatch(l -> l.contains("ssl.key.password = [hidden]"));
        assertThat(logged).as("cart-rescue's own lines were captured").anyMatch(l -> l.contains("HTTP endpoint listening"));
        assertThat(logged).noneMatch(l -> l.contains(REGISTRY_SECRET) || l.contains(KAFKA_SECRET));
    }

    @Test
    @Order(5)
    void closingAnInstanceClosesItsPortAndLogsNoSecret() {
        final int port = port(second);
        second.close();
        second = null;
        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + Routes.LIVE))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
        assertThat(loggedSoFar()).noneMatch(l -> l.contains(REGISTRY_SECRET) || l.contains(KAFKA_SECRET));
    }

    private AppConfig config(final Path policyFile) {
        final Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers());
        env.put("KAFKA_APPLICATION_ID", APP);
        env.put("KAFKA_COMMIT_INTERVAL_MS", "100");
        env.put("KAFKA_SSL_KEY_PASSWORD", KAFKA_SECRET);
        env.put("CART_RESCUE_SCHEMA_REGISTRY_URL", stack.registryUrl());
        env.put("CART_RESCUE_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", "http-it:" + REGISTRY_SECRET);
        env.put("CART_RESCUE_POLICY_FILE", policyFile.toString());
        env.put("CART_RESCUE_HTTP_HOST", "127.0.0.1");
        env.put("CART_RESCUE_HTTP_PORT", "0");
        env.put("CART_RESCUE_SHUTDOWN_TIMEOUT_MS", "20000");
        env.put("CART_RESCUE_TOPIC_EVENTS", TOPICS.events());
        env.put("CART_RESCUE_TOPIC_PROFILES", TOPICS.profiles());
        env.put("CART_RESCUE_TOPIC_CHAT_CAPACITY", TOPICS.chatCapacity());
        env.put("CART_RESCUE_TOPIC_INTERVENTIONS_CHAT", TOPICS.chatInterventions());
        env.put("CART_RESCUE_TOPIC_INTERVENTIONS_ONSITE", TOPICS.onsiteInterventions());
        env.put("CART_RESCUE_TOPIC_INTERVENTIONS_MARKETING", TOPICS.marketingInterventions());
        env.put("CART_RESCUE_TOPIC_DECISIONS", TOPICS.decisions());
        env.put("CART_RESCUE_TOPIC_OUTCOMES", TOPICS.outcomes());
        env.put("CART_RESCUE_TOPIC_DEAD_LETTERS", TOPICS.deadLetters());
        return AppConfig.load(Optional.empty(), env);
    }

    private static AppConfig withStateDir(final AppConfig config) throws IOException {
        final Path parent = Files.createDirectories(Path.of("target", "http-it-state"));
        return config.withOverrides(Map.of("state.dir", Files.createTempDirectory(parent, "instance-").toAbsolutePath().toString()));
    }

    /** True once the instance processes partitions of its own: the rebalances after the second instance joined are over. */
    private static boolean hasActiveTasks(final CartRescueRuntime instance) {
        return instance.streams().metadataForLocalThreads().stream().anyMatch(thread -> !thread.activeTasks().isEmpty());
    }

    private boolean sameOwnerSeenByBoth(final String sessionId) {
        final KeyQueryMetadata seenByFirst = owner(first, sessionId);
        return !KeyQueryMetadata.NOT_AVAILABLE.equals(seenByFirst) && seenByFirst.equals(owner(second, sessionId));
    }

    private static KeyQueryMetadata owner(final CartRescueRuntime instance, final String sessionId) {
        return instance.streams().queryMetadataForKey(SessionDetectorProcessor.STATE_STORE, sessionId,
                Serdes.String().serializer());
    }

    private static int ownerPort(final CartRescueRuntime instance, final String sessionId) {
        final HostInfo host = owner(instance, sessionId).activeHost();
        assertThat(host.host()).isEqualTo("127.0.0.1");
        return host.port();
    }

    private static int port(final CartRescueRuntime instance) {
        return instance.httpPort().orElseThrow();
    }

    private HttpResponse<String> get(final CartRescueRuntime instance, final String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(instance) + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<String> scrapeBoth() throws Exception {
        final List<String> lines = new ArrayList<>();
        for (final CartRescueRuntime instance : List.of(first, second)) {
            lines.addAll(get(instance, Routes.METRICS).body().lines().toList());
        }
        return lines;
    }

    /** The sum over both scrapes of the samples of {@code name} whose labels include every one of {@code labels}. */
    private static long sum(final List<String> lines, final String name, final String... labels) {
        double sum = 0;
        for (final String line : lines) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            boolean all = true;
            for (final String label : labels) {
                all &= line.contains(label);
            }
            if (all) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Math.round(sum);
    }

    private void send(final StorefrontEvent... events) {
        RegistryProducer.sendEvents(producer, TOPICS.events(), events);
    }

    private static void closeQuietly(final CartRescueRuntime instance) {
        if (instance != null) {
            instance.close();
        }
    }

    /**
     * Everything Kafka and cart-rescue log from here on (Kafka at INFO, which includes its
     * configuration dumps) is kept in memory; the console keeps showing Kafka's warnings only.
     */
    private void captureLogs() {
        final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        final Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (final String name : List.of("org.apache.kafka", "io.cartrescue")) {
            final Logger logger = context.getLogger(name);
            levelsBefore.put(name, logger.getLevel());
            logger.setLevel(name.equals("io.cartrescue") ? Level.DEBUG : Level.INFO);
        }
        quietKafkaOnConsole = new Filter<>() {
            @Override
            public FilterReply decide(final ILoggingEvent event) {
                return event.getLoggerName().startsWith("org.apache.kafka") && !event.getLevel().isGreaterOrEqual(Level.WARN)
                        ? FilterReply.DENY : FilterReply.NEUTRAL;
            }
        };
        root.iteratorForAppenders().forEachRemaining(appender -> appender.addFilter(quietKafkaOnConsole));
        logs.setContext(context);
        logs.start();
        root.addAppender(logs);
    }

    private void restoreLogs() {
        final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        final Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAppender(logs);
        logs.stop();
        root.iteratorForAppenders().forEachRemaining(this::removeQuietFilter);
        levelsBefore.forEach((name, level) -> context.getLogger(name).setLevel(level));
    }

    private void removeQuietFilter(final Appender<ILoggingEvent> appender) {
        final List<Filter<ILoggingEvent>> kept = appender.getCopyOfAttachedFiltersList().stream()
                .filter(f -> f != quietKafkaOnConsole).toList();
        appender.clearAllFilters();
        kept.forEach(appender::addFilter);
    }

    private List<String> loggedSoFar() {
        final List<ILoggingEvent> events;
        synchronized (logs) {
            events = new ArrayList<>(logs.list);
        }
        return events.stream().map(e -> e.getFormattedMessage() + (e.getThrowableProxy() == null ? ""
                : ThrowableProxyUtil.asString(e.getThrowableProxy()))).collect(Collectors.toList());
    }
}
