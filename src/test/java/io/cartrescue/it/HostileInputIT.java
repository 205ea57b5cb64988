package io.cartrescue.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cartrescue.app.CartRescueRuntime;
import io.cartrescue.http.HttpSettings;
import io.cartrescue.http.Routes;
import io.cartrescue.local.LocalStack;
import io.cartrescue.policy.Policy;
import io.cartrescue.policy.PolicyLoader;
import io.cartrescue.processor.DeadLetters;
import io.cartrescue.schema.CartSnapshot;
import io.cartrescue.schema.ChatCapacity;
import io.cartrescue.schema.Consent;
import io.cartrescue.schema.CheckoutStep;
import io.cartrescue.schema.CustomerProfile;
import io.cartrescue.schema.Decision;
import io.cartrescue.schema.Device;
import io.cartrescue.schema.DeviceType;
import io.cartrescue.schema.ErrorInfo;
import io.cartrescue.schema.ErrorKind;
import io.cartrescue.schema.EventType;
import io.cartrescue.schema.Intervention;
import io.cartrescue.schema.LoyaltyTier;
import io.cartrescue.schema.Page;
import io.cartrescue.schema.PageType;
import io.cartrescue.schema.Product;
import io.cartrescue.schema.StorefrontEvent;
import io.cartrescue.schema.Verdict;
import io.cartrescue.serde.ConfluentAvroSerde;
import io.cartrescue.serde.SchemaRegistryClient;
import io.cartrescue.serde.SchemaRegistrySettings;
import io.cartrescue.serde.SerdeSettings;
import io.cartrescue.testing.HostileRecords;
import io.cartrescue.testing.LocalStackExtension;
import io.cartrescue.testing.Shopper;
import io.cartrescue.topology.CartRescueTopology;
import io.cartrescue.topology.TimeMode;
import io.cartrescue.topology.TopicNames;
import io.cartrescue.topology.TopicPlan;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
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
 * The hostile-input corpus of the README ("Hostile input") on a real broker and a real schema
 * registry, against one running instance in live mode. Every kind is sent as a hostile or buggy
 * producer would send it: raw bytes in the Confluent wire format written by hand, writer schemas
 * registered in the real registry. For each kind the test asserts where it landed (the dead-letter
 * record with its reason, source and original bytes; or the effect of handling it) and that the
 * instance's counters on {@code /metrics} moved by the expected amount; at the end the instance is
 * still RUNNING on the stream threads it started with, and a plain shopper still gets help.
 *
 * <p>The events topic has one partition, so that every kind shares one task and one stream time,
 * as the worst case does.
 */
@ExtendWith(LocalStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputIT {
    private static final String APP = "hostile-input-it";
    private static final TopicNames TOPICS = new TopicNames("hostile-it.events", "hostile-it.profiles",
            "hostile-it.chat-capacity", "hostile-it.interventions.chat", "hostile-it.interventions.onsite",
            "hostile-it.interventions.marketing", "hostile-it.decisions", "hostile-it.outcomes", "hostile-it.dead-letters");
    /** The built-in policy without a holdout group and with a one-second hold, so every test shopper is treated promptly. */
    private static final Policy POLICY = PolicyLoader.fromYaml("""
            version: "hostile-it-1"
            arbitration:
              holdout:
                percent: 0
              holds:
                inSessionSeconds: 1
            """, "HostileInputIT");
    private static final int BURST = 100_000;
    private static final int CART_ITEMS = 10_000;
    private static final String HUGE = "x".repeat(100 * 1024);

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private LocalStack stack;
    private SchemaRegistryClient registry;
    private CartRescueRuntime app;
    private KafkaProducer<byte[], byte[]> producer;
    private KafkaConsumer<byte[], byte[]> outputs;
    private int eventSchemaId;
    private Set<String> threadsAtStart;
    private final List<ConsumerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
    private final List<Decision> decisions = new ArrayList<>();
    private final List<Intervention> interventions = new ArrayList<>();
    private ConfluentAvroSerde<Decision> decisionSerde;
    private ConfluentAvroSerde<Intervention> interventionSerde;

    @BeforeAll
    void start(final LocalStack localStack) throws Exception {
        stack = localStack;
        stack.createTopics(TopicPlan.topics(TOPICS, 1, (short) 1));
        final SchemaRegistrySettings settings = SchemaRegistrySettings.builder(stack.registryUrl()).build();
        registry = new SchemaRegistryClient(settings);
        eventSchemaId = registry.register(TOPICS.events() + "-value", StorefrontEvent.getClassSchema());
        decisionSerde = new ConfluentAvroSerde<>(Decision.class, registry, SerdeSettings.forValues());
        interventionSerde = new ConfluentAvroSerde<>(Intervention.class, registry, SerdeSettings.forValues());
        final Properties kafka = new Properties();
        kafka.put("commit.interval.ms", "100");
        app = CartRescueRuntime.start(new CartRescueRuntime.Settings(APP, stack.bootstrapServers(), settings, true,
                Files.createTempDirectory("hostile-it-state"), POLICY,
                new CartRescueTopology.Settings(TOPICS, TimeMode.LIVE, Duration.ofMillis(200)), kafka,
                Duration.ofSeconds(20), new HttpSettings("127.0.0.1", 0)));
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4", ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024),
                new ByteArraySerializer(), new ByteArraySerializer());
        final ConfluentAvroSerde<ChatCapacity> capacity = new ConfluentAvroSerde<>(ChatCapacity.class, registry,
                SerdeSettings.forValues());
        for (final String queue : List.of("chat-de", "chat-en")) {
            producer.send(new ProducerRecord<>(TOPICS.chatCapacity(), utf8(queue), capacity.serializer()
                    .serialize(TOPICS.chatCapacity(), new ChatCapacity(queue, 1000, 0, Instant.now()))));
        }
        producer.flush();
        outputs = consumer();
        await().atMost(Duration.ofSeconds(90)).until(app::isRunning);
        threadsAtStart = threadNames();
    }

    @AfterAll
    void stop() {
        if (outputs != null) {
            outputs.close();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (app != null) {
            app.close();
        }
    }

    /** One kind of input that must land on the dead-letter topic: its key, its value bytes, the reason expected. */
    private record Rejected(String kind, byte[] key, byte[] value, String reason) {
    }

    @Test
    @Order(1)
    void everyUnusableKindLandsOnTheDeadLetterTopicWithItsReasonAndOriginalBytes() throws Exception {
        // Given a punctual event first (stream time reaches now), then every kind of unusable record
        final Map<String, Long> before = counters("cart_rescue_dead_letters_total", "reason");
        final Shopper primer = shopper("primer");
        send(primer.ping());
        final List<Rejected> corpus = rejectedCorpus();

        // When they are produced
        for (final Rejected r : corpus) {
            producer.send(new ProducerRecord<>(TOPICS.events(), r.key(), r.value()));
        }
        producer.flush();

        // Then each lands on the dead-letter topic under its own key, with its reason, its source and its bytes
        final Map<String, ConsumerRecord<byte[], byte[]>> byKey = new HashMap<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            drain();
            deadLetters.forEach(d -> byKey.put(d.key() == null ? null : new String(d.key(), StandardCharsets.UTF_8), d));
            return corpus.stream().allMatch(r -> byKey.containsKey(new String(r.key(), StandardCharsets.UTF_8)));
        });
        for (final Rejected r : corpus) {
            final ConsumerRecord<byte[], byte[]> dead = byKey.get(new String(r.key(), StandardCharsets.UTF_8));
            assertThat(header(dead, DeadLetters.REASON_HEADER)).as(r.kind()).isEqualTo(r.reason());
            assertThat(dead.value()).as(r.kind() + ": original bytes").isEqualTo(r.value());
            assertThat(header(dead, DeadLetters.TOPIC_HEADER)).as(r.kind()).isEqualTo(TOPICS.events());
            assertThat(header(dead, DeadLetters.DETAIL_HEADER)).as(r.kind()).isNotBlank().doesNotContain("\n");
        }
        assertThat(deadLetters).as("nothing else was dead-lettered").hasSize(corpus.size());

        // And the counters by reason moved by exactly the number of records of each reason
        final Map<String, Long> expected = corpus.stream().collect(Collectors.groupingBy(Rejected::reason, Collectors.counting()));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(delta(before, counters("cart_rescue_dead_letters_total", "reason"))).isEqualTo(expected));
        assertThat(expected.keySet()).hasSize(11);
        assertThat(session(primer.sessionId()).get("eventCount").asInt()).isEqualTo(1);
        assertThat(app.isRunning()).isTrue();
    }

    private List<Rejected> rejectedCorpus() throws IOException {
        final List<Rejected> corpus = new ArrayList<>();
        final Shopper s = shopper("dl");
        final byte[] valid = framed(s.added("p1", "10.00"));

        final byte[] wrongMagic = valid.clone();
        wrongMagic[0] = 1;
        corpus.add(rejected("wrong magic byte", wrongMagic, "malformed"));
        corpus.add(rejected("unknown schema id", HostileRecords.framed(0, Integer.MAX_VALUE - 7,
                HostileRecords.avro(s.ping(), StorefrontEvent.getClassSchema())), "malformed"));
        corpus.add(rejected("truncated Avro", Arrays.copyOf(valid, valid.length / 2), "malformed"));
        corpus.add(rejected("writer schema the reader cannot resolve", unresolvable(s), "malformed"));
        corpus.add(rejected("another record type's schema id", customerProfile(), "malformed"));
        corpus.add(rejected("empty value", new byte[0], "malformed"));
        corpus.add(rejected("invalid UTF-8", invalidUtf8(s), "malformed"));
        corpus.add(rejected("a string claiming 2 GB", twoGigabyteString(), "malformed"));
        corpus.add(rejected("trailing bytes", Arrays.copyOf(valid, valid.length + 3), "malformed"));
        corpus.add(new Rejected("null value", utf8(s.sessionId() + "-null-value"), null, "null-value"));
        corpus.add(rejected("missing session id", framed(with(s.ping()).setSessionId("").build()), "missing-session-id"));
        corpus.add(rejected("blank event id", framed(with(s.ping()).setEventId(" \t").build()), "missing-event-id"));
        corpus.add(rejected("blank anonymous id", framed(with(s.ping()).setAnonymousId("").build()), "missing-anonymous-id"));
        corpus.add(rejected("100 KB session id", framed(with(s.ping()).setSessionId(HUGE).build()), "oversized-id"));
        corpus.add(rejected("event time in 1970", framed(with(s.ping()).setEventTime(Instant.EPOCH).build()), "invalid-time"));
        corpus.add(rejected("event time in 2100", framed(with(s.ping())
                .setEventTime(Instant.parse("2100-01-01T00:00:00Z")).build()), "invalid-time"));
        corpus.add(rejected("two hours ahead of the clock", framed(with(s.ping())
                .setEventTime(Instant.now().plus(Duration.ofHours(2))).build()), "invalid-time"));
        corpus.add(rejected("negative price", framed(s.added("p2", "-5.00")), "invalid-amount"));
        corpus.add(rejected("absurd price", absurdPrice(s), "invalid-amount"));
        corpus.add(rejected("negative quantity", framed(s.event(EventType.PRODUCT_ADDED).setProduct(Product.newBuilder()
                .setProductId("p3").setPrice(new BigDecimal("1.00")).setQuantity(-3).build()).build()), "invalid-amount"));
        corpus.add(rejected("unknown currency", framed(s.event(EventType.CART_VIEWED)
                .setCart(new CartSnapshot(new BigDecimal("10.00"), "ZZZ", 1)).build()), "invalid-currency"));
        corpus.add(rejected("checkout step 5000", framed(s.event(EventType.CHECKOUT_STEP_VIEWED)
                .setCheckout(CheckoutStep.newBuilder().setStep(5000).build()).build()), "invalid-step"));
        final String lateKey = "hostile-dl-later than the grace";
        corpus.add(new Rejected("later than the grace", utf8(lateKey), framed(with(s.ping()).setSessionId(lateKey)
                .setEventTime(Instant.now().minus(Duration.ofMinutes(5))).build()), "late"));
        return corpus;
    }

    private static Rejected rejected(final String kind, final byte[] value, final String reason) {
        return new Rejected(kind, utf8("hostile-dl-" + kind), value, reason);
    }

    @Test
    @Order(2)
    void eventsWithoutAKeyAreRekeyedBySessionAndHandled() throws Exception {
        // Given a shopper whose storefront sends no key
        final Shopper s = shopper("null-key");
        for (final StorefrontEvent e : List.of(s.added("p1", "40.00"), s.checkoutStarted(), s.paymentFailed("a"),
                s.paymentFailed("b"))) {
            producer.send(new ProducerRecord<>(TOPICS.events(), null, framed(e)));
        }
        producer.flush();

        // Then the session is found by its id and gets its intervention
        awaitEmitted(s.sessionId());
        assertThat(session(s.sessionId()).at("/counts/paymentFailures").asInt()).isEqualTo(2);
    }

    @Test
    @Order(3)
    void anEventTypeFromANewerSchemaCountsAsActivityOnly() throws Exception {
        // Given a newer storefront schema with an event type and a field this version does not know
        final Schema newer = newerSchema();
        final int id = registry.register(TOPICS.events() + "-value", newer);
        final Map<String, Long> before = counters("cart_rescue_events_total", "type");
        final Shopper s = shopper("newer-type");
        send(s.added("p1", "40.00"));
        final GenericRecord shared = new GenericRecordBuilder(newer)
                .set("eventId", s.sessionId() + "-shared").set("eventType", new GenericData.EnumSymbol(
                        newer.getField("eventType").schema(), "PRODUCT_SHARED"))
                .set("eventTime", s.afterSeconds(1).now().toEpochMilli()).set("sessionId", s.sessionId())
                .set("anonymousId", "anon-" + s.sessionId()).set("shareChannel", "whatsapp").build();
        producer.send(new ProducerRecord<>(TOPICS.events(), utf8(s.sessionId()),
                HostileRecords.framed(0, id, generic(shared, newer))));
        producer.flush();

        // Then it is read as UNKNOWN, counted, and counts as activity of its session
        await().atMost(Duration.ofSeconds(30)).until(() -> session(s.sessionId()).path("eventCount").asInt() == 2);
        final Map<String, Long> delta = delta(before, counters("cart_rescue_events_total", "type"));
        assertThat(delta).containsEntry("UNKNOWN", 1L).containsEntry("PRODUCT_ADDED", 1L);
        assertThat(session(s.sessionId()).at("/cart/itemCount").asInt()).isEqualTo(1);
    }

    @Test
    @Order(4)
    void duplicatesAreIgnoredAndCounted() throws Exception {
        // Given a payment failure sent three times with the same event id
        final Map<String, Long> before = counters("cart_rescue_events_duplicates_total", "type");
        final Shopper s = shopper("duplicates");
        final StorefrontEvent failed = s.paymentFailed("card_declined");
        send(s.added("p1", "40.00"), failed, failed, failed, s.afterSeconds(1).ping());

        // Then it counted once (a second failure would fire PAYMENT_FAILURES), and two duplicates are counted
        await().atMost(Duration.ofSeconds(30)).until(() -> session(s.sessionId()).path("eventCount").asInt() == 3);
        assertThat(session(s.sessionId()).at("/counts/paymentFailures").asInt()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(delta(before, counters("cart_rescue_events_duplicates_total", "type")))
                        .isEqualTo(Map.of("PAYMENT_FAILED", 2L)));
    }

    @Test
    @Order(5)
    void eventsAfterTheOrderFireNothing() throws Exception {
        // Given a shopper who orders, then fails a payment twice and shows exit intent
        final Shopper s = shopper("after-order");
        send(s.added("p1", "40.00"), s.afterSeconds(1).orderCompleted(), s.afterSeconds(1).paymentFailed("a"),
                s.paymentFailed("b"), s.exitIntent());

        // Then the events are applied to the session, which fires nothing (checked again at the end)
        await().atMost(Duration.ofSeconds(30)).until(() -> session(s.sessionId()).path("eventCount").asInt() == 5);
        assertThat(session(s.sessionId()).at("/counts/paymentFailures").asInt()).isEqualTo(2);
        assertThat(session(s.sessionId()).get("orderPlacedAt").isNull()).isFalse();
    }

    @Test
    @Order(6)
    void hundredKilobyteStringsAreUsedAndTheStateKeepsAtMost64CharactersOfThem() throws Exception {
        // Given events whose free-text fields are 100 KB each
        final Shopper s = shopper("huge-strings");
        final Device device = new Device(DeviceType.DESKTOP, HUGE, HUGE);
        send(s.event(EventType.PRODUCT_ADDED).setDevice(device).setProduct(Product.newBuilder().setProductId("p1")
                        .setName(HUGE).setCategory(HUGE).setBrand(HUGE).setPrice(new BigDecimal("40.00")).build())
                        .setPage(new Page("https://shop.example/" + HUGE, PageType.PRODUCT)).build(),
                s.afterSeconds(1).event(EventType.PAYMENT_FAILED).setDevice(device)
                        .setError(new ErrorInfo(ErrorKind.PAYMENT_DECLINED, HUGE)).build(),
                s.afterSeconds(1).event(EventType.PAYMENT_FAILED).setDevice(device)
                        .setError(new ErrorInfo(ErrorKind.PAYMENT_DECLINED, HUGE)).build());

        // Then the session gets its intervention and keeps 64 characters of the error code
        awaitEmitted(s.sessionId());
        assertThat(session(s.sessionId()).get("lastPaymentErrorCode").asText()).isEqualTo(HUGE.substring(0, 64));
    }

    @Test
    @Order(7)
    void controlCharactersAndEmojiInIdsAreJustText() {
        // Given a session id and event ids with a bell, a line break and an emoji
        final Shopper s = shopper("\u0007-\uD83D\uDED2-\n");
        send(s.added("p\u0000\uD83D\uDCA5", "40.00"), s.checkoutStarted(), s.paymentFailed("a\r\n"),
                s.paymentFailed("b\u001b[31m"));

        // Then it is one session like any other, and gets its intervention under exactly that id
        awaitEmitted(s.sessionId());
    }

    /**
     * Last before the final check: from here on stream time is 20 minutes ahead, and lateness is
     * judged against the real clock, so that a long burst after it would make its own tail late.
     */
    @Test
    @Order(10)
    void aStorefrontClockRunningFastDoesNotMakeOtherShoppersLate() {
        // Given a storefront whose clock is 20 minutes fast (within the allowed skew), on the same partition
        final long lateBefore = counters("cart_rescue_dead_letters_total", "reason").getOrDefault("late", 0L);
        final Shopper fast = Shopper.session("hostile-fast-clock-" + System.nanoTime()).startingAt(Instant.now()
                .plus(Duration.ofMinutes(20)));
        send(fast.added("p1", "40.00"));

        // When a punctual shopper fails a payment twice right after
        final Shopper punctual = Shopper.session("hostile-punctual-" + System.nanoTime()).startingAt(Instant.now());
        send(punctual.added("p1", "40.00"), punctual.checkoutStarted(), punctual.paymentFailed("a"),
                punctual.paymentFailed("b"));

        // Then the punctual shopper is helped, and nothing was late
        awaitEmitted(punctual.sessionId());
        assertThat(counters("cart_rescue_dead_letters_total", "reason").getOrDefault("late", 0L)).isEqualTo(lateBefore);
    }

    @Test
    @Order(8)
    void aTenThousandItemCartKeepsAHundredLinesAndTheShopperIsHelped() throws Exception {
        // Given a shopper who adds 10,000 different products
        final Shopper s = shopper("big-cart");
        for (int i = 0; i < CART_ITEMS; i++) {
            produce(s.event(EventType.PRODUCT_ADDED)
                    .setProduct(Product.newBuilder().setProductId("p" + i).setPrice(new BigDecimal("1.00")).build())
                    .setCart(new CartSnapshot(new BigDecimal(i + 1).setScale(2), "EUR", i + 1)).build());
        }
        send(s.stepViewed(4), s.paymentFailed("a"), s.paymentFailed("b"));

        // Then the session keeps 100 lines, the storefront's cart, and gets its intervention
        awaitEmitted(s.sessionId());
        final JsonNode session = session(s.sessionId());
        assertThat(session.get("cartLines").asInt()).isEqualTo(POLICY.detection().limits().maxCartLines());
        assertThat(session.at("/cart/itemCount").asInt()).isEqualTo(CART_ITEMS);
    }

    @Test
    @Order(9)
    void aBurstOfAHundredThousandEventsForOneSessionIsProcessedAndTheShopperStillHelped() throws Exception {
        // Given 100,000 page pings for one session, produced as fast as a batching producer can
        final Map<String, Long> before = counters("cart_rescue_events_total", "type");
        final Shopper s = shopper("burst");
        send(s.added("p1", "40.00"), s.checkoutStarted());
        final long started = System.nanoTime();
        for (int i = 0; i < BURST; i++) {
            produce(s.ping());
        }
        producer.flush();
        final long produced = System.nanoTime();
        send(s.paymentFailed("a"), s.paymentFailed("b"));

        // Then every ping is counted, and the shopper gets the intervention
        awaitEmitted(s.sessionId());
        final long helped = System.nanoTime();
        LoggerFactory.getLogger(HostileInputIT.class).info("burst of {} events: produced in {} ms, intervention {} ms after",
                BURST, (produced - started) / 1_000_000, (helped - produced) / 1_000_000);
        assertThat(delta(before, counters("cart_rescue_events_total", "type")))
                .containsEntry("PAGE_PING", (long) BURST).containsEntry("PAYMENT_FAILED", 2L);
        assertThat(session(s.sessionId()).get("eventCount").asInt()).isEqualTo(BURST + 4);
    }

    @Test
    @Order(11)
    void afterTheWholeCorpusTheInstanceRunsOnItsOwnThreadsAndAPlainShopperIsHelped() throws Exception {
        // Given a plain shopper after everything above
        final Shopper s = shopper("plain");
        send(s.added("p1", "180.00"), s.checkoutStarted(), s.stepViewed(4), s.paymentFailed("a"), s.paymentFailed("b"));

        // Then the shopper is helped
        awaitEmitted(s.sessionId());

        // And the sessions that must not fire did not, and nothing was dead-lettered beyond the corpus
        drain();
        assertThat(decisions).noneMatch(d -> d.getSessionId().startsWith("hostile-duplicates-")
                || d.getSessionId().startsWith("hostile-after-order-"));
        assertThat(deadLetters).hasSize(rejectedCorpus().size());
        assertThat(counters("cart_rescue_dead_letters_total", "reason")).doesNotContainKey("processing-error");

        // And the instance is RUNNING, ready, on the stream threads it started with
        assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
        assertThat(get(Routes.READY).statusCode()).isEqualTo(200);
        assertThat(threadNames()).isEqualTo(threadsAtStart);
    }

    // ---- writing hostile records ----

    /** A shopper whose events start now on the real clock, as a punctual storefront's do. */
    private static Shopper shopper(final String kind) {
        return Shopper.session("hostile-" + kind + "-" + System.nanoTime()).startingAt(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    private static StorefrontEvent.Builder with(final StorefrontEvent event) {
        return StorefrontEvent.newBuilder(event);
    }

    private byte[] framed(final StorefrontEvent event) {
        return HostileRecords.framed(0, eventSchemaId, HostileRecords.avro(event, StorefrontEvent.getClassSchema()));
    }

    /** Sends events keyed by their session id and waits until the broker has them. */
    private void send(final StorefrontEvent... events) {
        for (final StorefrontEvent e : events) {
            produce(e);
        }
        producer.flush();
    }

    private void produce(final StorefrontEvent event) {
        producer.send(new ProducerRecord<>(TOPICS.events(), utf8(event.getSessionId()), framed(event)));
    }

    /** A StorefrontEvent whose session id is a number: same record name, a type the reader cannot promote. */
    private byte[] unresolvable(final Shopper s) throws IOException {
        final ObjectNode json = (ObjectNode) mapper.readTree(StorefrontEvent.getClassSchema().toString());
        for (final JsonNode field : json.get("fields")) {
            if (field.get("name").asText().equals("sessionId")) {
                ((ObjectNode) field).put("type", "long");
            }
        }
        final Schema schema = new Schema.Parser().parse(json.toString());
        assertThat(schema.getField("sessionId").schema().getType()).isEqualTo(Schema.Type.LONG);
        final int id = registry.register("hostile-it.incompatible-value", schema);
        final GenericRecord record = new GenericRecordBuilder(schema).set("eventId", s.sessionId() + "-x")
                .set("eventType", new GenericData.EnumSymbol(schema.getField("eventType").schema(), "PAGE_PING"))
                .set("eventTime", Instant.now().toEpochMilli()).set("sessionId", 42L).set("anonymousId", "a").build();
        return HostileRecords.framed(0, id, generic(record, schema));
    }

    private byte[] customerProfile() {
        final ConfluentAvroSerde<CustomerProfile> serde = new ConfluentAvroSerde<>(CustomerProfile.class, registry,
                SerdeSettings.forValues());
        return serde.serializer().serialize(TOPICS.profiles(), CustomerProfile.newBuilder().setCustomerId("c-1")
                .setTier(LoyaltyTier.GOLD).setConsent(new Consent(true, false, true)).setUpdatedAt(Instant.now()).build());
    }

    /** A valid event whose session id has a lone continuation byte where a character should be. */
    private byte[] invalidUtf8(final Shopper s) {
        final String marker = "hostile-utf8-MARK";
        final byte[] bytes = framed(with(s.ping()).setSessionId(marker).build());
        final byte[] mark = utf8(marker);
        for (int i = 0; i + mark.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + mark.length, mark, 0, mark.length)) {
                bytes[i + mark.length - 1] = (byte) 0xFF;
                return bytes;
            }
        }
        throw new AssertionError("marker not found");
    }

    /** The frame of a valid schema id, then an event id that claims to be two gigabytes long. */
    private byte[] twoGigabyteString() {
        return HostileRecords.framed(0, eventSchemaId, new byte[] {(byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                0x0F, 'x'});
    }

    /** A price of 10^30, written with a schema registered elsewhere whose decimals have 40 digits. */
    private byte[] absurdPrice(final Shopper s) {
        final int id = registry.register("hostile-it.wide-decimals-value", HostileRecords.WIDE_DECIMALS);
        final StorefrontEvent event = s.event(EventType.PRODUCT_ADDED).setProduct(Product.newBuilder()
                .setProductId("p9").setPrice(new BigDecimal("1e30").setScale(2)).build()).build();
        return HostileRecords.framed(0, id, HostileRecords.avro(event, HostileRecords.WIDE_DECIMALS));
    }

    /** The storefront schema of a newer version: one more event type, one more optional field. */
    private static Schema newerSchema() {
        final String json = StorefrontEvent.getClassSchema().toString()
                .replace("\"INTERVENTION_DISMISSED\"]", "\"INTERVENTION_DISMISSED\",\"PRODUCT_SHARED\"]")
                .replace("{\"name\":\"interventionId\"", "{\"name\":\"shareChannel\",\"type\":[\"null\",\"string\"],"
                        + "\"default\":null},{\"name\":\"interventionId\"");
        final Schema schema = new Schema.Parser().parse(json);
        assertThat(schema.getField("shareChannel")).isNotNull();
        assertThat(schema.getField("eventType").schema().getEnumSymbols()).contains("PRODUCT_SHARED");
        return schema;
    }

    private static byte[] generic(final GenericRecord record, final Schema schema) {
        try {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(schema, GenericData.get()).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] utf8(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ---- reading what the instance did ----

    /** A read_committed consumer of the dead letters, decisions and interventions, from the beginning. */
    private KafkaConsumer<byte[], byte[]> consumer() {
        final KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "hostile-it-" + System.nanoTime(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(TOPICS.deadLetters(), TOPICS.decisions(), TOPICS.chatInterventions(),
                TOPICS.onsiteInterventions(), TOPICS.marketingInterventions()));
        return consumer;
    }

    private void drain() {
        for (final ConsumerRecord<byte[], byte[]> r : outputs.poll(Duration.ofMillis(100))) {
            if (r.topic().equals(TOPICS.deadLetters())) {
                deadLetters.add(r);
            } else if (r.topic().equals(TOPICS.decisions())) {
                decisions.add(decisionSerde.deserializer().deserialize(r.topic(), r.value()));
            } else {
                interventions.add(interventionSerde.deserializer().deserialize(r.topic(), r.value()));
            }
        }
    }

    /** Waits for an emitted decision and its intervention for the session. */
    private void awaitEmitted(final String sessionId) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            drain();
            return decisions.stream().anyMatch(d -> d.getSessionId().equals(sessionId) && d.getVerdict() == Verdict.EMITTED)
                    && interventions.stream().anyMatch(i -> i.getSessionId().equals(sessionId));
        });
    }

    private static String header(final ConsumerRecord<byte[], byte[]> record, final String name) {
        final Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private JsonNode session(final String sessionId) throws Exception {
        final HttpResponse<String> response = get(Routes.SESSIONS + sessionId);
        return response.statusCode() == 200 ? mapper.readTree(response.body()) : mapper.createObjectNode();
    }

    private HttpResponse<String> get(final String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort().orElseThrow() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The samples of a counter on {@code /metrics}, by the value of one label. */
    private Map<String, Long> counters(final String name, final String label) {
        final String body;
        try {
            body = get(Routes.METRICS).body();
        } catch (final IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
        final Map<String, Long> samples = new LinkedHashMap<>();
        for (final String line : body.lines().toList()) {
            if (line.startsWith(name + "{")) {
                final int start = line.indexOf(label + "=\"") + label.length() + 2;
                final String value = line.substring(start, line.indexOf('"', start));
                samples.merge(value, Math.round(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))), Long::sum);
            }
        }
        return samples;
    }

    private static Map<String, Long> delta(final Map<String, Long> before, final Map<String, Long> after) {
        final Map<String, Long> delta = new HashMap<>();
        after.forEach((key, value) -> {
            final long d = value - before.getOrDefault(key, 0L);
            if (d != 0) {
                delta.put(key, d);
            }
        });
        return delta;
    }

    private Set<String> threadNames() {
        return app.streams().metadataForLocalThreads().stream().map(ThreadMetadata::threadName).collect(Collectors.toSet());
    }
}
