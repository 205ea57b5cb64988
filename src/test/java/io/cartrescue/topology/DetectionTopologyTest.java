package io.cartrescue.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartrescue.policy.Policy;
import io.cartrescue.policy.PolicyLoader;
import io.cartrescue.processor.DeadLetters;
import io.cartrescue.processor.SessionDetectorProcessor;
import io.cartrescue.schema.ArbitrationInput;
import io.cartrescue.schema.Candidate;
import io.cartrescue.schema.SessionState;
import io.cartrescue.schema.SignalType;
import io.cartrescue.schema.StorefrontEvent;
import io.cartrescue.testing.PlainAvroSerdes;
import io.cartrescue.testing.Shopper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectionTopologyTest {
    private static final Policy POLICY = PolicyLoader.defaults();
    private static final TopicNames TOPICS = TopicNames.defaults();
    private static final String APP = "cart-rescue-test";
    private final PlainAvroSerdes serdes = new PlainAvroSerdes();

    @TempDir
    Path stateDir;
    private TopologyTestDriver driver;
    private TestInputTopic<String, StorefrontEvent> events;
    private TestOutputTopic<String, ArbitrationInput> toArbitration;
    private TestOutputTopic<byte[], byte[]> deadLetters;

    private void start(final TimeMode mode) {
        final Properties props = StreamsProperties.required(APP, "unused:9092", TOPICS, new DeadLetters());
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(CartRescueTopology.build(CartRescueTopology.Settings.defaults(mode), POLICY, serdes),
                props, Shopper.T0);
        events = driver.createInputTopic(TOPICS.events(), Serdes.String().serializer(),
                serdes.valueSerde(StorefrontEvent.class).serializer());
        toArbitration = driver.createOutputTopic(APP + "-" + CartRescueTopology.ARBITRATION_INPUT + "-repartition",
                Serdes.String().deserializer(), serdes.valueSerde(ArbitrationInput.class).deserializer());
        deadLetters = driver.createOutputTopic(TOPICS.deadLetters(), Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer());
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private void send(final StorefrontEvent... es) {
        for (final StorefrontEvent e : es) {
            events.pipeInput(e.getSessionId(), e, e.getEventTime());
        }
    }

    private List<Candidate> candidates() {
        return toArbitration.readValuesToList().stream()
                .filter(v -> v.getBody() instanceof Candidate).map(v -> (Candidate) v.getBody()).toList();
    }

    private static String header(final TestRecord<byte[], byte[]> record, final String name) {
        final Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void chatOfferCandidateFollowsSecondPaymentFailureKeyedByCustomer() {
        start(TimeMode.LIVE);
        final Shopper s = Shopper.session("sess-1").signedInAs("cust-1");
        send(s.added("p1", "80.00"), s.afterSeconds(20).checkoutStarted(), s.afterSeconds(30).paymentFailed("card_declined"),
                s.afterSeconds(10).paymentFailed("card_declined"));

        final List<TestRecord<String, ArbitrationInput>> out = toArbitration.readRecordsToList();
        assertThat(out).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("cust-1");
            assertThat(r.getRecordTime()).isEqualTo(s.now());
            assertThat(((Candidate) r.value().getBody()).getSignal()).isEqualTo(SignalType.PAYMENT_FAILURES);
        });
    }

    @Test
    void eventsKeyedByAnotherKeyAreRekeyedBySession() {
        start(TimeMode.LIVE);
        final Shopper s = Shopper.session("sess-2");
        for (final StorefrontEvent e : List.of(s.added("p1", "10.00"), s.afterSeconds(5).paymentFailed("x"),
                s.afterSeconds(5).paymentFailed("y"))) {
            events.pipeInput(null, e, e.getEventTime());
        }
        assertThat(candidates()).extracting(Candidate::getSessionId).containsExactly("sess-2");
        final KeyValueStore<String, SessionState> store = driver.getKeyValueStore(SessionDetectorProcessor.STATE_STORE);
        assertThat(store.get("sess-2").getPaymentFailures()).isEqualTo(2);
    }

    @Test
    void eventLaterThanTheGraceGoesToTheDeadLetterTopicWithItsSource() {
        start(TimeMode.LIVE);
        final Shopper s = Shopper.session("sess-3");
        final StorefrontEvent first = s.added("p1", "10.00");
        send(first, s.after(POLICY.detection().grace().plusSeconds(5)).cartViewed());
        send(StorefrontEvent.newBuilder(s.paymentFailed("x")).setEventTime(first.getEventTime()).build());

        final TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
        assertThat(header(dead, DeadLetters.REASON_HEADER)).isEqualTo("late");
        assertThat(header(dead, DeadLetters.TOPIC_HEADER)).isEqualTo(TOPICS.events());
        assertThat(header(dead, DeadLetters.OFFSET_HEADER)).isEqualTo("2");
        assertThat(serdes.valueSerde(StorefrontEvent.class).deserializer().deserialize("t", dead.value()).getEventType())
                .isEqualTo(io.cartrescue.schema.EventType.PAYMENT_FAILED);
        assertThat(driver.getKeyValueStore(SessionDetectorProcessor.STATE_STORE).get("sess-3"))
                .extracting(st -> ((SessionState) st).getPaymentFailures()).isEqualTo(0);
    }

    @Test
    void invalidEventsGoToTheDeadLetterTopicAndProcessingGoesOn() {
        start(TimeMode.LIVE);
        final Shopper s = Shopper.session("sess-4");
        send(StorefrontEvent.newBuilder(s.added("p1", "10.00")).setEventTime(java.time.Instant.parse("1970-01-02T00:00:00Z")).build());
        send(StorefrontEvent.newBuilder(s.added("p2", "10.00")).setSessionId("").build());
        events.pipeInput("sess-4", null, s.now());
        send(s.afterSeconds(1).paymentFailed("a"), s.afterSeconds(1).paymentFailed("b"));

        assertThat(deadLetters.readRecordsToList()).extracting(r -> header(r, DeadLetters.REASON_HEADER))
                .containsExactly("invalid-time", "missing-session-id", "null-value");
        assertThat(candidates()).extracting(Candidate::getSignal).containsExactly(SignalType.PAYMENT_FAILURES);
    }

    @Test
    void stallIsNoticedOnTheWallClockWithoutAnyFurtherEvent() {
        start(TimeMode.LIVE);
        final Shopper s = Shopper.session("sess-5");
        send(s.added("p1", "10.00"), s.afterSeconds(5).checkoutStarted(), s.afterSeconds(5).stepViewed(2));
        driver.advanceWallClockTime(Duration.between(Shopper.T0, s.now()));
        assertThat(candidates()).isEmpty();

        driver.advanceWallClockTime(POLICY.detection().stalledStep().forStep(2).plusMillis(200));

        assertThat(candidates()).singleElement().satisfies(c -> {
            assertThat(c.getSignal()).isEqualTo(SignalType.STALLED_CHECKOUT_STEP);
            assertThat(c.getDetectedAt()).isEqualTo(s.now().plus(POLICY.detection().stalledStep().forStep(2)));
        });
    }

    @Test
    void wallClockAndStreamTimeFiringGiveTheSameCandidates() {
        final List<StorefrontEvent> script = mixedScript();

        start(TimeMode.LIVE);
        Duration wallClock = Duration.ZERO;
        for (final StorefrontEvent e : script) {
            final Duration eventOffset = Duration.between(Shopper.T0, e.getEventTime());
            driver.advanceWallClockTime(eventOffset.minus(wallClock));
            wallClock = eventOffset;
            send(e);
        }
        driver.advanceWallClockTime(Duration.ofHours(2));
        final List<Candidate> live = candidates();
        close();

        start(TimeMode.REPLAY);
        send(script.toArray(StorefrontEvent[]::new));
        send(Shopper.session("clock").startingAt(script.get(script.size() - 1).getEventTime().plus(Duration.ofHours(2))).ping());
        final List<Candidate> replay = candidates();

        assertThat(live).extracting(Candidate::getSignal).contains(SignalType.STALLED_CHECKOUT_STEP,
                SignalType.PAYMENT_FAILURES, SignalType.ABANDONMENT);
        assertThat(replay).containsExactlyInAnyOrderElementsOf(live);
    }

    private static List<StorefrontEvent> mixedScript() {
        final Shopper a = Shopper.session("a");
        final Shopper b = Shopper.session("b").startingAt(Shopper.T0.plusSeconds(3));
        final Shopper c = Shopper.session("c").startingAt(Shopper.T0.plusSeconds(7));
        final List<StorefrontEvent> all = new java.util.ArrayList<>(List.of(
                a.added("p1", "10.00"), a.afterSeconds(10).checkoutStarted(), a.afterSeconds(10).stepViewed(2),
                b.added("p2", "20.00"), b.afterSeconds(5).paymentFailed("x"), b.afterSeconds(5).paymentFailed("y"),
                b.afterSeconds(5).orderCompleted(),
                c.added("p3", "30.00"), c.afterSeconds(40).cartViewed()));
        all.sort(java.util.Comparator.comparing(StorefrontEvent::getEventTime));
        return all;
    }

    @Test
    void storesAreEmptyAfterAllSessionsEnd() {
        start(TimeMode.REPLAY);
        send(mixedScript().toArray(StorefrontEvent[]::new));
        final KeyValueStore<String, SessionState> sessions = driver.getKeyValueStore(SessionDetectorProcessor.STATE_STORE);
        assertThat(count(sessions)).isEqualTo(3);

        send(Shopper.session("late-clock").startingAt(Shopper.T0.plus(Duration.ofHours(3))).ping());
        send(Shopper.session("later-clock").startingAt(Shopper.T0.plus(Duration.ofHours(6))).ping());

        assertThat(count(sessions)).isEqualTo(1);
        assertThat(count(driver.getKeyValueStore(SessionDetectorProcessor.TIMER_STORE))).isEqualTo(1);
    }

    private static long count(final KeyValueStore<?, ?> store) {
        long n = 0;
        try (KeyValueIterator<?, ?> it = store.all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }
}
