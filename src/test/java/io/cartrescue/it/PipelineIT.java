package io.cartrescue.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cartrescue.app.CartRescueRuntime;
import io.cartrescue.local.LocalStack;
import io.cartrescue.policy.Policy;
import io.cartrescue.policy.PolicyLoader;
import io.cartrescue.schema.ArbitrationInput;
import io.cartrescue.schema.Candidate;
import io.cartrescue.schema.ChatCapacity;
import io.cartrescue.schema.ChatOffer;
import io.cartrescue.schema.Intervention;
import io.cartrescue.schema.InterventionType;
import io.cartrescue.schema.SignalType;
import io.cartrescue.schema.StorefrontEvent;
import io.cartrescue.serde.ConfluentAvroSerde;
import io.cartrescue.serde.SchemaRegistryClient;
import io.cartrescue.serde.SchemaRegistrySettings;
import io.cartrescue.serde.SerdeSettings;
import io.cartrescue.testing.LocalStackExtension;
import io.cartrescue.testing.RegistryProducer;
import io.cartrescue.testing.Shopper;
import io.cartrescue.topology.CartRescueTopology;
import io.cartrescue.topology.TimeMode;
import io.cartrescue.topology.TopicNames;
import io.cartrescue.topology.TopicPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole pipeline on a real broker and a real schema registry, in live mode: storefront events in,
 * candidates on the internal topic, interventions on their channel topic, read as any consumer would
 * (read_committed, decoded through the registry).
 */
@ExtendWith(LocalStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineIT {
    private static final String APP = "pipeline-it";
    private static final TopicNames TOPICS = new TopicNames("it.events", "it.profiles", "it.chat-capacity",
            "it.interventions.chat", "it.interventions.onsite", "it.interventions.marketing", "it.decisions",
            "it.outcomes", "it.dead-letters");
    /** The built-in policy without a holdout group and with a one-second hold, so every test shopper is treated promptly. */
    private static final Policy POLICY = PolicyLoader.fromYaml("""
            version: "it-1"
            arbitration:
              holdout:
                percent: 0
              holds:
                inSessionSeconds: 1
            """, "PipelineIT");

    private LocalStack stack;
    private SchemaRegistryClient registry;
    private CartRescueRuntime app;
    private KafkaProducer<String, Object> producer;

    @BeforeAll
    void start(final LocalStack localStack) throws Exception {
        stack = localStack;
        stack.createTopics(TopicPlan.topics(TOPICS, 2, (short) 1));
        final SchemaRegistrySettings settings = SchemaRegistrySettings.builder(stack.registryUrl()).build();
        registry = new SchemaRegistryClient(settings);
        final Path stateDir = Files.createTempDirectory("pipeline-it-state");
        final Properties kafka = new Properties();
        kafka.put("commit.interval.ms", "100");
        app = CartRescueRuntime.start(new CartRescueRuntime.Settings(APP, stack.bootstrapServers(), settings, true,
                stateDir, POLICY, new CartRescueTopology.Settings(TOPICS, TimeMode.LIVE, Duration.ofMillis(200)),
                kafka, Duration.ofSeconds(20)));
        producer = RegistryProducer.create(stack.bootstrapServers(), registry);
        for (final String queue : List.of("chat-de", "chat-en")) {
            producer.send(new ProducerRecord<>(TOPICS.chatCapacity(), queue, new ChatCapacity(queue, 3, 0, Instant.now())));
        }
        producer.flush();
        await().atMost(Duration.ofSeconds(90)).until(app::isRunning);
    }

    @AfterAll
    void stop() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    void paymentFailureCandidateAppearsWithinTwoSecondsOfTheTriggeringEvent() {
        final Shopper shopper = Shopper.session("it-fast-" + System.nanoTime()).startingAt(Instant.now());
        send(shopper.added("p1", "40.00"), shopper.checkoutStarted(), shopper.paymentFailed("card_declined"));
        try (KafkaConsumer<String, byte[]> consumer = consumer(APP + "-" + CartRescueTopology.ARBITRATION_INPUT + "-repartition")) {
            final long sentAt = System.nanoTime();
            send(shopper.paymentFailed("insufficient_funds"));
            final ConfluentAvroSerde<ArbitrationInput> serde =
                    new ConfluentAvroSerde<>(ArbitrationInput.class, registry, SerdeSettings.forValues());
            final List<Candidate> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).until(() -> {
                for (final ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    final ArbitrationInput input = serde.deserializer().deserialize(r.topic(), r.value());
                    if (input.getBody() instanceof Candidate c && c.getSessionId().equals(shopper.sessionId())) {
                        seen.add(c);
                    }
                }
                return !seen.isEmpty();
            });
            final Duration latency = Duration.ofNanos(System.nanoTime() - sentAt);
            org.slf4j.LoggerFactory.getLogger(PipelineIT.class).info("event to readable candidate: {} ms", latency.toMillis());
            assertThat(seen).singleElement().satisfies(c -> {
                assertThat(c.getSignal()).isEqualTo(SignalType.PAYMENT_FAILURES);
                assertThat(c.getLastPaymentErrorCode()).isEqualTo("insufficient_funds");
            });
            assertThat(latency).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void secondPaymentFailureOnALargeCartReachesTheChatTopicDecodedThroughTheRegistry() {
        final Shopper shopper = Shopper.session("it-chat-" + System.nanoTime()).signedInAs("it-customer-1")
                .startingAt(Instant.now());
        try (KafkaConsumer<String, byte[]> consumer = consumer(TOPICS.chatInterventions())) {
            send(shopper.added("p1", "180.00"), shopper.checkoutStarted(), shopper.stepViewed(4),
                    shopper.paymentFailed("card_declined"), shopper.paymentFailed("card_declined"));
            final ConfluentAvroSerde<Intervention> serde =
                    new ConfluentAvroSerde<>(Intervention.class, registry, SerdeSettings.forValues());
            final List<Intervention> chat = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (final ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    assertThat(r.key()).isEqualTo("it-customer-1");
                    assertThat(r.value()[0]).as("Confluent magic byte").isZero();
                    chat.add(serde.deserializer().deserialize(r.topic(), r.value()));
                }
                return !chat.isEmpty();
            });
            assertThat(chat).singleElement().satisfies(i -> {
                assertThat(i.getType()).isEqualTo(InterventionType.CHAT_OFFER);
                assertThat(i.getSessionId()).isEqualTo(shopper.sessionId());
                assertThat(i.getReasons()).extracting(r -> r.getSignal()).containsExactly(SignalType.PAYMENT_FAILURES);
                assertThat(i.getPolicyVersion()).isEqualTo("it-1");
                assertThat(((ChatOffer) i.getOffer()).getQueue()).isEqualTo("chat-de");
            });
            assertThat(registry.latestVersion(TOPICS.chatInterventions() + "-value").schema())
                    .isEqualTo(Intervention.getClassSchema());
        }
    }

    private void send(final StorefrontEvent... events) {
        RegistryProducer.sendEvents(producer, TOPICS.events(), events);
    }

    /** A read_committed consumer positioned at the end of the topic, so it sees only what the test causes. */
    private KafkaConsumer<String, byte[]> consumer(final String topic) {
        final KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "pipeline-it-" + System.nanoTime(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"), new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            consumer.poll(Duration.ofMillis(100));
            return !consumer.assignment().isEmpty();
        });
        return consumer;
    }
}
