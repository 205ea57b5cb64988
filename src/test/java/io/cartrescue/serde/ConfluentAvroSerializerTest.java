package io.cartrescue.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cartrescue.detection.SessionDetector;
import io.cartrescue.policy.PolicyLoader;
import io.cartrescue.schema.CartLine;
import io.cartrescue.schema.CartSnapshot;
import io.cartrescue.schema.Consent;
import io.cartrescue.schema.Device;
import io.cartrescue.schema.DeviceType;
import io.cartrescue.schema.FiredSignal;
import io.cartrescue.schema.InterventionType;
import io.cartrescue.schema.Page;
import io.cartrescue.schema.PageType;
import io.cartrescue.schema.Product;
import io.cartrescue.schema.SessionState;
import io.cartrescue.schema.SignalType;
import io.cartrescue.schema.StorefrontEvent;
import io.cartrescue.simulator.StorefrontSimulator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The serializer's bytes against a plain Avro {@link SpecificDatumWriter} behind the Confluent
 * header (magic byte 0x00, the schema id as a big-endian int32), for every kind of value the
 * schemas hold, from one thread and from several at once.
 */
class ConfluentAvroSerializerTest {
    private static final String TOPIC = "storefront.events";
    private static final String STATE_TOPIC = "cart-rescue-session-state-changelog";
    private static final String SUBJECT = TOPIC + "-value";

    private FakeSchemaRegistry registry;
    private SchemaRegistryClient client;

    @BeforeEach
    void startRegistry() throws IOException {
        registry = FakeSchemaRegistry.start("", 0x01020304);
        client = ConfluentAvroSerdeTest.clientFor(registry);
    }

    @AfterEach
    void stopRegistry() {
        registry.close();
    }

    @Test
    void storefrontEventsAreTheHeaderAndAvrosOwnEncoding() {
        // Given events with decimals, nulls and strings short, long and non-ASCII
        final ConfluentAvroSerializer<StorefrontEvent> serializer = new ConfluentAvroSerializer<>(client, SerdeSettings.forValues());
        final List<StorefrontEvent> events = List.of(TestRecords.productAdded(), TestRecords.pageViewWithCart(),
                withLongStrings(TestRecords.productAdded(), 63), withLongStrings(TestRecords.productAdded(), 64),
                withLongStrings(TestRecords.productAdded(), 5_000), nonAscii(TestRecords.productAdded()),
                zeroAndNegativeDecimals(TestRecords.productAdded()));

        // When each is serialized
        // Then the bytes are exactly those of the plain Avro writer behind the header
        final int id = idOf(serializer, TOPIC, TestRecords.productAdded());
        for (final StorefrontEvent event : events) {
            assertThat(serializer.serialize(TOPIC, event)).containsExactly(expected(id, event));
        }
    }

    @Test
    void sessionStatesAreTheHeaderAndAvrosOwnEncoding() {
        // Given session states: an empty one, and one with every list, decimal and optional part filled in
        final ConfluentAvroSerializer<SessionState> serializer = new ConfluentAvroSerializer<>(client, SerdeSettings.forValues());
        final List<SessionState> states = List.of(emptyState(), fullState(40), fullState(300));

        // When each is serialized
        // Then the bytes are exactly those of the plain Avro writer behind the header
        final int id = idOf(serializer, STATE_TOPIC, emptyState());
        for (final SessionState state : states) {
            assertThat(serializer.serialize(STATE_TOPIC, state)).containsExactly(expected(id, state));
        }
    }

    @Test
    void simulatedEventsAndTheSessionStatesTheyLeaveAreAvrosOwnEncoding() {
        // Given the simulator's events and the states the session detector builds from them
        final ConfluentAvroSerializer<StorefrontEvent> events = new ConfluentAvroSerializer<>(client, SerdeSettings.forValues());
        final ConfluentAvroSerializer<SessionState> states = new ConfluentAvroSerializer<>(client, SerdeSettings.forValues());
        final Workload workload = Workload.simulate(3_000);
        final int eventId = idOf(events, TOPIC, workload.events().get(0));
        final int stateId = idOf(states, STATE_TOPIC, workload.states().get(0));

        // When each is serialized
        // Then every one is the plain Avro writer's encoding behind the header
        for (final StorefrontEvent event : workload.events()) {
            assertThat(events.serialize(TOPIC, event)).containsExactly(expected(eventId, event));
        }
        for (final SessionState state : workload.states()) {
            assertThat(states.serialize(STATE_TOPIC, state)).containsExactly(expected(stateId, state));
        }
    }

    @Test
    void oneSerializerCalledFromSeveralThreadsAtOnceWritesEachRecordsOwnBytes() throws Exception {
        // Given one serializer for events and one for states, shared by four threads
        final ConfluentAvroSerializer<StorefrontEvent> events = new ConfluentAvroSerializer<>(client, SerdeSettings.forValues());
        final ConfluentAvroSerializer<SessionState> states = new ConfluentAvroSerializer<>(client, SerdeSettings.forValues());
        final Workload workload = Workload.simulate(2_000);
        final int eventId = idOf(events, TOPIC, workload.events().get(0));
        final int stateId = idOf(states, STATE_TOPIC, workload.states().get(0));
        final List<byte[]> expectedEvents = workload.events().stream().map(e -> expected(eventId, e)).toList();
        final List<byte[]> expectedStates = workload.states().stream().map(s -> expected(stateId, s)).toList();
        final int threads = 4;
        final CountDownLatch start = new CountDownLatch(1);
        final ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            // When each thread serializes all of them, interleaved, starting at its own offset
            final List<Future<Integer>> mismatches = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                final int offset = t * 97;
                final Callable<Integer> task = () -> {
                    start.await();
                    int wrong = 0;
                    for (int round = 0; round < 5; round++) {
                        for (int i = 0; i < expectedEvents.size(); i++) {
                            final int e = (i + offset) % expectedEvents.size();
                            final int s = (i + offset) % expectedStates.size();
                            if (!Arrays.equals(events.serialize(TOPIC, workload.events().get(e)), expectedEvents.get(e))) {
                                wrong++;
                            }
                            if (!Arrays.equals(states.serialize(STATE_TOPIC, workload.states().get(s)), expectedStates.get(s))) {
                                wrong++;
                            }
                        }
                    }
                    return wrong;
                };
                mismatches.add(pool.submit(task));
            }
            start.countDown();

            // Then every record came out as its own bytes
            for (final Future<Integer> wrong : mismatches) {
                assertThat(wrong.get(2, TimeUnit.MINUTES)).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRecordAfterAVeryLargeOneIsWrittenAfreshWithoutItsLeftovers() {
        // Given a serializer that has just written a record of about 200 KB
        final ConfluentAvroSerializer<StorefrontEvent> serializer = new ConfluentAvroSerializer<>(client, SerdeSettings.forValues());
        final StorefrontEvent large = withLongStrings(TestRecords.productAdded(), 200_000);
        final int id = idOf(serializer, TOPIC, large);
        assertThat(serializer.serialize(TOPIC, large)).containsExactly(expected(id, large));

        // When a small record follows
        final byte[] small = serializer.serialize(TOPIC, TestRecords.pageViewWithCart());

        // Then it holds only its own bytes
        assertThat(small).containsExactly(expected(id, TestRecords.pageViewWithCart()));
    }

    @Test
    void aRecordThatFailsHalfWayLeavesNothingBehindForTheNext() {
        // Given a serializer that failed on an event whose required session id was cleared
        final ConfluentAvroSerializer<StorefrontEvent> serializer = new ConfluentAvroSerializer<>(client, SerdeSettings.forValues());
        final int id = idOf(serializer, TOPIC, TestRecords.productAdded());
        final StorefrontEvent broken = TestRecords.productAdded();
        broken.setSessionId(null);
        assertThatThrownBy(() -> serializer.serialize(TOPIC, broken))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("io.cartrescue.schema.StorefrontEvent")
                .hasMessageContaining("schema id " + id);

        // When a valid event follows
        // Then it is written whole and alone
        assertThat(serializer.serialize(TOPIC, TestRecords.pageViewWithCart()))
                .containsExactly(expected(id, TestRecords.pageViewWithCart()));
    }

    @Test
    void recordsOfTwoSchemasOnOneTopicEachCarryTheirOwnId() {
        // Given a topic written with the current schema and with the version before interventionId
        final ConfluentAvroSerializer<SpecificRecord> serializer = new ConfluentAvroSerializer<>(client, SerdeSettings.forValues());
        final Schema older = TestRecords.withoutField(StorefrontEvent.getClassSchema(), "interventionId");
        final TestRecords.ProbeRecord old = TestRecords.asVersion(TestRecords.productAdded(), older);
        final StorefrontEvent current = TestRecords.productAdded();

        // When records of both are serialized in turn
        final List<byte[]> written = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            written.add(serializer.serialize(TOPIC, current));
            written.add(serializer.serialize(TOPIC, old));
        }

        // Then each carries the id of its own schema, registered once each
        final int currentId = registry.register(SUBJECT, StorefrontEvent.getClassSchema());
        final int olderId = registry.register(SUBJECT, older);
        assertThat(currentId).isNotEqualTo(olderId);
        for (int i = 0; i < written.size(); i += 2) {
            assertThat(written.get(i)).containsExactly(expected(currentId, current));
            assertThat(written.get(i + 1)).containsExactly(expected(olderId, old));
        }
        assertThat(registry.requests()).extracting(FakeSchemaRegistry.Request::path)
                .containsExactly("/subjects/" + SUBJECT + "/versions", "/subjects/" + SUBJECT + "/versions");
    }

    @Test
    void oneSchemaOnTwoTopicsIsRegisteredUnderEachTopicsSubject() {
        // Given one serializer writing events to two topics
        final ConfluentAvroSerializer<StorefrontEvent> serializer = new ConfluentAvroSerializer<>(client, SerdeSettings.forValues());

        // When records go to both, twice
        for (int i = 0; i < 2; i++) {
            serializer.serialize(TOPIC, TestRecords.productAdded());
            serializer.serialize("storefront.events.retry", TestRecords.productAdded());
        }

        // Then the schema was registered under each topic's subject, once
        assertThat(registry.requests()).extracting(FakeSchemaRegistry.Request::path)
                .containsExactly("/subjects/" + SUBJECT + "/versions", "/subjects/storefront.events.retry-value/versions");
    }

    @Test
    void aSchemaNotYetRegisteredIsLookedUpAgainOnTheNextRecord() {
        // Given a serializer that may not register schemas, and a registry without the schema
        final ConfluentAvroSerializer<StorefrontEvent> serializer =
                new ConfluentAvroSerializer<>(client, SerdeSettings.forValues().withAutoRegister(false));
        assertThatThrownBy(() -> serializer.serialize(TOPIC, TestRecords.productAdded()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("not registered under subject " + SUBJECT);

        // When the operator registers it and the next record is serialized
        final int id = registry.register(SUBJECT, StorefrontEvent.getClassSchema());
        final byte[] bytes = serializer.serialize(TOPIC, TestRecords.productAdded());

        // Then that record carries the registered id
        assertThat(bytes).containsExactly(expected(id, TestRecords.productAdded()));
    }

    @Test
    void aRecordWithoutATopicIsWrittenUnderTheSubjectOfANullTopicName() {
        // Given a serializer called without a topic, as a caller outside Kafka might
        final ConfluentAvroSerializer<StorefrontEvent> serializer = new ConfluentAvroSerializer<>(client, SerdeSettings.forValues());

        // When two records are serialized
        final byte[] first = serializer.serialize(null, TestRecords.productAdded());
        final byte[] second = serializer.serialize(null, TestRecords.pageViewWithCart());

        // Then both are written, the schema registered once under the subject TopicNameStrategy gives a null name
        final int id = ConfluentWireFormat.schemaId(first, null);
        assertThat(first).containsExactly(expected(id, TestRecords.productAdded()));
        assertThat(second).containsExactly(expected(id, TestRecords.pageViewWithCart()));
        assertThat(registry.requests()).extracting(FakeSchemaRegistry.Request::path)
                .containsExactly("/subjects/null-value/versions");
    }

    /** The schema id the serializer writes for {@code record} on {@code topic}. */
    private static <T extends SpecificRecord> int idOf(final ConfluentAvroSerializer<T> serializer, final String topic,
                                                       final T record) {
        return ConfluentWireFormat.schemaId(serializer.serialize(topic, record), topic);
    }

    /** The Confluent header with {@code schemaId}, then what a plain Avro specific writer writes for {@code record}. */
    static byte[] expected(final int schemaId, final SpecificRecord record) {
        final Schema schema = record.getSchema();
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(schemaId >>> 24);
        out.write(schemaId >>> 16);
        out.write(schemaId >>> 8);
        out.write(schemaId);
        try {
            final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new SpecificDatumWriter<SpecificRecord>(schema, SpecificData.getForClass(record.getClass())).write(record, encoder);
            encoder.flush();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static StorefrontEvent withLongStrings(final StorefrontEvent event, final int length) {
        final String url = "https://shop.example/p/" + "x".repeat(Math.max(0, length - 23));
        return StorefrontEvent.newBuilder(event)
                .setEventId("e".repeat(length))
                .setPage(Page.newBuilder().setUrl(url).setPageType(PageType.PRODUCT).build())
                .build();
    }

    private static StorefrontEvent nonAscii(final StorefrontEvent event) {
        return StorefrontEvent.newBuilder(event)
                .setSessionId("sitzung-ä")
                .setCustomerId("顧客-" + "ß".repeat(70) + "€")
                .setDevice(Device.newBuilder().setType(DeviceType.DESKTOP).setLocale("de-DE").setTimeZone("Europe/Zürich").build())
                .build();
    }

    private static StorefrontEvent zeroAndNegativeDecimals(final StorefrontEvent event) {
        return StorefrontEvent.newBuilder(event)
                .setCart(CartSnapshot.newBuilder().setValue(new BigDecimal("0.00")).setCurrency("EUR").setItemCount(0).build())
                .setProduct(Product.newBuilder(event.getProduct()).setPrice(new BigDecimal("-128.00")).build())
                .build();
    }

    private static SessionState emptyState() {
        return SessionState.newBuilder()
                .setSessionId("s1")
                .setAnonymousId("a1")
                .setStartedAt(TestRecords.T0)
                .setLastEventAt(TestRecords.T0)
                .build();
    }

    private static SessionState fullState(final int stringLength) {
        final List<CartLine> lines = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            lines.add(CartLine.newBuilder().setProductId("p-" + i + "-" + "q".repeat(stringLength))
                    .setQuantity(i + 1).setUnitPrice(i % 3 == 0 ? null : new BigDecimal(i * 1_000_003L + ".99")).setViews(i)
                    .build());
        }
        final List<Long> hashes = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            hashes.add(i % 2 == 0 ? Long.MIN_VALUE + i * 0x9E3779B97F4A7C15L : i * 0x9E3779B97F4A7C15L);
        }
        return SessionState.newBuilder()
                .setSessionId("sess-" + "s".repeat(stringLength))
                .setAnonymousId("anon-1")
                .setCustomerId("cust-7")
                .setCustomerKey("cust-7")
                .setStartedAt(TestRecords.T0)
                .setLastEventAt(TestRecords.T0.plusSeconds(600))
                .setEventCount(Integer.MAX_VALUE)
                .setLines(lines)
                .setCart(CartSnapshot.newBuilder().setValue(new BigDecimal("999999999999.99")).setCurrency("EUR").setItemCount(36).build())
                .setCartAsOf(TestRecords.T0.plusSeconds(500))
                .setCheckoutStep(3)
                .setCheckoutStepSince(TestRecords.T0.plusSeconds(400))
                .setShippingCost(new BigDecimal("4.95"))
                .setShippingCostSeenAt(TestRecords.T0.plusSeconds(300))
                .setActionsAfterShippingCost(2)
                .setPaymentFailures(-1)
                .setLastPaymentErrorCode("05")
                .setLastPaymentErrorAt(TestRecords.T0.plusSeconds(550))
                .setCheckoutErrors(1)
                .setLastCheckoutErrorKind("ADDRESS")
                .setLastCheckoutErrorAt(TestRecords.T0.plusSeconds(560))
                .setCouponDenials(1)
                .setCouponAttempts(2)
                .setRemovals(3)
                .setPingPong(4)
                .setLastPlace("PRODUCT:p-1-" + "q".repeat(stringLength))
                .setLastPlaceAt(TestRecords.T0.plusSeconds(590))
                .setPolicyPageReads(1)
                .setExitIntents(1)
                .setLastExitIntentAt(TestRecords.T0.plusSeconds(595))
                .setDismissals(2)
                .setDismissedTypes(List.of(InterventionType.DISCOUNT, InterventionType.FREE_SHIPPING_NOTICE))
                .setOrderPlacedAt(TestRecords.T0.plusSeconds(-1))
                .setDevice(Device.newBuilder().setType(DeviceType.MOBILE).setLocale("de-DE").setTimeZone("Europe/Berlin").build())
                .setConsent(Consent.newBuilder().setMarketingEmail(true).setMarketingSms(false).setPersonalisation(true).build())
                .setFired(List.of(
                        FiredSignal.newBuilder().setSignal(SignalType.PAYMENT_FAILURES).setCount(2).setLastAt(TestRecords.T0).build(),
                        FiredSignal.newBuilder().setSignal(SignalType.ABANDONMENT).setCount(1).setLastAt(TestRecords.T0.plusSeconds(1)).build()))
                .setRecentEventHashes(hashes)
                .setDueAt(TestRecords.T0.plusSeconds(3_600))
                .build();
    }

    /** Simulator events and the open session states the session detector leaves after each of them. */
    private record Workload(List<StorefrontEvent> events, List<SessionState> states) {
        static Workload simulate(final int count) {
            final StorefrontSimulator storefront = StorefrontSimulator.builder(20_261_122L).concurrentSessions(200).build();
            final SessionDetector detector = new SessionDetector(PolicyLoader.defaults().detection(), "test");
            final Map<String, SessionState> open = new HashMap<>();
            final List<StorefrontEvent> events = new ArrayList<>(count);
            final List<SessionState> states = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                final StorefrontEvent event = storefront.next();
                events.add(event);
                final SessionDetector.Step step = detector.onEvent(open.get(event.getSessionId()), event);
                if (step.state() == null) {
                    open.remove(event.getSessionId());
                } else {
                    final SessionState copy = SessionState.newBuilder(step.state()).build();
                    open.put(event.getSessionId(), step.state());
                    states.add(copy);
                }
            }
            return new Workload(events, states);
        }
    }
}
