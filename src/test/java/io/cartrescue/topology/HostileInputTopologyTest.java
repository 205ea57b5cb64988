package io.cartrescue.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartrescue.metrics.MicrometerCartRescueMetrics;
import io.cartrescue.policy.Policy;
import io.cartrescue.policy.PolicyLoader;
import io.cartrescue.processor.DeadLetters;
import io.cartrescue.processor.SessionDetectorProcessor;
import io.cartrescue.schema.ArbitrationInput;
import io.cartrescue.schema.CartSnapshot;
import io.cartrescue.schema.Candidate;
import io.cartrescue.schema.EventType;
import io.cartrescue.schema.Product;
import io.cartrescue.schema.SessionState;
import io.cartrescue.schema.SignalType;
import io.cartrescue.schema.StorefrontEvent;
import io.cartrescue.testing.HostileRecords;
import io.cartrescue.testing.PlainAvroSerdes;
import io.cartrescue.testing.Shopper;
import io.cartrescue.serde.SerdeProvider;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and buggy input through the whole graph, in live mode on the real clock (as the validator
 * judges event times): each kind lands where the README's "Hostile input" table says, and is counted.
 * The same corpus runs on a real broker and registry in {@code HostileInputIT}.
 */
class HostileInputTopologyTest {
    private static final Policy POLICY = PolicyLoader.defaults();
    private static final TopicNames TOPICS = TopicNames.defaults();
    private static final String APP = "hostile-test";
    private final PlainAvroSerdes serdes = new PlainAvroSerdes();
    /** The serdes of the graph: plain Avro, except that a candidate of a session named "poison-..." cannot be written. */
    private final SerdeProvider graphSerdes = new SerdeProvider() {
        @Override
        @SuppressWarnings("unchecked")
        public <T extends SpecificRecord> Serde<T> valueSerde(final Class<T> type) {
            final Serde<T> plain = serdes.valueSerde(type);
            if (type != ArbitrationInput.class) {
                return plain;
            }
            final Serializer<T> poisoned = (topic, value) -> {
                if (((ArbitrationInput) value).getBody() instanceof Candidate c && c.getSessionId().startsWith("poison-")) {
                    throw new SerializationException("Cannot serialize ArbitrationInput: a defect for " + c.getSessionId());
                }
                return plain.serializer().serialize(topic, value);
            };
            return Serdes.serdeFrom(poisoned, plain.deserializer());
        }
    };
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    /** Now on the real clock, to the millisecond, so that event times are plausible to the validator. */
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @TempDir
    Path stateDir;
    private TopologyTestDriver driver;
    private TestInputTopic<String, StorefrontEvent> events;
    private TestOutputTopic<String, ArbitrationInput> toArbitration;
    private TestOutputTopic<byte[], byte[]> deadLetters;

    @BeforeEach
    void start() {
        final Properties props = StreamsProperties.required(APP, "unused:9092", TOPICS,
                new DeadLetters(new MicrometerCartRescueMetrics(registry)));
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(CartRescueTopology.build(CartRescueTopology.Settings.defaults(TimeMode.LIVE),
                POLICY, graphSerdes, new MicrometerCartRescueMetrics(registry)), props, now);
        events = driver.createInputTopic(TOPICS.events(), Serdes.String().serializer(),
                serdes.valueSerde(StorefrontEvent.class).serializer());
        toArbitration = driver.createOutputTopic(APP + "-" + CartRescueTopology.ARBITRATION_INPUT + "-repartition",
                Serdes.String().deserializer(), serdes.valueSerde(ArbitrationInput.class).deserializer());
        deadLetters = driver.createOutputTopic(TOPICS.deadLetters(), Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer());
    }

    @AfterEach
    void close() {
        driver.close();
    }

    private void send(final StorefrontEvent... es) {
        for (final StorefrontEvent e : es) {
            events.pipeInput(e.getSessionId(), e, e.getEventTime());
        }
    }

    private SessionState session(final String id) {
        final KeyValueStore<String, SessionState> store = driver.getKeyValueStore(SessionDetectorProcessor.STATE_STORE);
        return store.get(id);
    }

    private List<Candidate> candidates() {
        return toArbitration.readValuesToList().stream()
                .filter(v -> v.getBody() instanceof Candidate).map(v -> (Candidate) v.getBody()).toList();
    }

    private List<String> deadLetterReasons() {
        return deadLetters.readRecordsToList().stream().map(r -> header(r, DeadLetters.REASON_HEADER)).toList();
    }

    private static String header(final TestRecord<byte[], byte[]> record, final String name) {
        final Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private double counter(final String name, final String tag, final String value) {
        final var counter = registry.find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aStorefrontClockRunningFastDoesNotMakeThePunctualEventsOfOtherSessionsLate() {
        // Given one storefront whose clock is 20 minutes fast (within the allowed skew of an hour)
        final Shopper fast = Shopper.session("fast-clock").startingAt(now.plus(Duration.ofMinutes(20)));
        send(fast.added("p1", "10.00"));

        // When a punctual shopper on the same partition pays and fails twice
        final Shopper punctual = Shopper.session("punctual").startingAt(now.minusSeconds(5));
        send(punctual.added("p1", "40.00"), punctual.afterSeconds(1).paymentFailed("a"),
                punctual.afterSeconds(1).paymentFailed("b"));

        // Then both sessions are applied, the punctual one fires, and nothing is late
        assertThat(deadLetterReasons()).isEmpty();
        assertThat(session("fast-clock").getEventCount()).isEqualTo(1);
        assertThat(candidates()).extracting(Candidate::getSessionId, Candidate::getSignal)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("punctual", SignalType.PAYMENT_FAILURES));

        // But an event really older than the grace is still late
        send(StorefrontEvent.newBuilder(punctual.paymentFailed("c")).setEventTime(now.minus(Duration.ofMinutes(2))).build());
        assertThat(deadLetterReasons()).containsExactly("late");
    }

    @Test
    void duplicatesAreIgnoredAndCounted() {
        // Given a payment failure sent three times with the same event id
        final Shopper s = Shopper.session("dup").startingAt(now.minusSeconds(10));
        final StorefrontEvent failed = s.paymentFailed("card_declined");
        send(s.added("p1", "40.00"), failed, failed, failed);

        // Then it counts once: no second failure, no signal, two duplicates counted
        assertThat(session("dup").getPaymentFailures()).isEqualTo(1);
        assertThat(candidates()).isEmpty();
        assertThat(counter(MicrometerCartRescueMetrics.DUPLICATES, "type", "PAYMENT_FAILED")).isEqualTo(2);
        assertThat(counter(MicrometerCartRescueMetrics.EVENTS, "type", "PAYMENT_FAILED")).isEqualTo(3);
    }

    @Test
    void absurdAmountsAndUnknownCurrenciesAreDeadLetteredWithTheirReasonNotAsProcessingErrors() {
        // Given a price of 10^30, a price at the limit with a million pieces, and a cart in an unknown currency
        final Shopper s = Shopper.session("absurd").startingAt(now.minusSeconds(10));
        final StorefrontEvent absurd = s.event(EventType.PRODUCT_ADDED).setProduct(Product.newBuilder().setProductId("p1")
                .setPrice(new BigDecimal("1e30").setScale(2)).build()).build();
        driver.createInputTopic(TOPICS.events(), Serdes.String().serializer(), Serdes.ByteArray().serializer())
                .pipeInput(absurd.getSessionId(), HostileRecords.avro(absurd, HostileRecords.WIDE_DECIMALS), absurd.getEventTime());
        send(s.event(EventType.PRODUCT_ADDED).setProduct(Product.newBuilder().setProductId("p2")
                        .setPrice(new BigDecimal("10000000000.00")).setQuantity(1_000_000).build()).build(),
                s.event(EventType.CART_VIEWED).setCart(new CartSnapshot(new BigDecimal("10.00"), "ZZZ", 1)).build());

        // Then the first and last go to the dead-letter topic with their reasons, the second is applied
        assertThat(deadLetterReasons()).containsExactly("invalid-amount", "invalid-currency");
        assertThat(session("absurd").getCart().getValue()).isEqualByComparingTo("999999999999.99");
        assertThat(counter(MicrometerCartRescueMetrics.DEAD_LETTERS, "reason", "processing-error")).isZero();
        assertThat(counter(MicrometerCartRescueMetrics.DEAD_LETTERS, "reason", "invalid-amount")).isEqualTo(1);
        assertThat(counter(MicrometerCartRescueMetrics.DEAD_LETTERS, "reason", "invalid-currency")).isEqualTo(1);
    }

    @Test
    void anOutputThatCannotBeSerialisedDeadLettersItsInputInsteadOfStoppingThePartition() {
        // Given a session whose candidate cannot be written (a defect), then a normal session
        final Shopper poison = Shopper.session("poison-1").startingAt(now.minusSeconds(10));
        final Shopper healthy = Shopper.session("healthy-1").startingAt(now.minusSeconds(10));
        send(poison.added("p1", "40.00"), poison.paymentFailed("a"), poison.paymentFailed("b"));
        send(healthy.added("p1", "40.00"), healthy.paymentFailed("a"), healthy.paymentFailed("b"));

        // Then the input record that made the candidate is dead-lettered as processing-error, with its bytes,
        // and the partition goes on to the next session
        final TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
        assertThat(header(dead, DeadLetters.REASON_HEADER)).isEqualTo("processing-error");
        assertThat(header(dead, DeadLetters.DETAIL_HEADER)).contains("poison-1");
        assertThat(serdes.valueSerde(StorefrontEvent.class).deserializer().deserialize("t", dead.value()).getEventId())
                .isEqualTo(poison.sessionId() + "-e3");
        assertThat(deadLetters.isEmpty()).isTrue();
        assertThat(candidates()).extracting(Candidate::getSessionId).containsExactly("healthy-1");
    }

    @Test
    void controlCharactersFromTheRecordAreEscapedInTheDeadLetterDetail() {
        // Given a late event whose id carries a line break and a forged log line
        final Shopper s = Shopper.session("ctl").startingAt(now.minusSeconds(5));
        send(s.added("p1", "10.00"));
        send(StorefrontEvent.newBuilder(s.ping()).setEventId("e1\n12:00:00.000 INFO forged line")
                .setEventTime(now.minus(Duration.ofMinutes(5))).build());

        // Then the detail names it on one line
        final TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
        assertThat(header(dead, DeadLetters.REASON_HEADER)).isEqualTo("late");
        assertThat(header(dead, DeadLetters.DETAIL_HEADER)).contains("e1\\u000a12:00:00.000 INFO forged line")
                .doesNotContain("\n");
    }
}
