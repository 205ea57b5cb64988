package io.cartrescue.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cartrescue.schema.DiscountOffer;
import io.cartrescue.schema.FreeShippingNotice;
import io.cartrescue.schema.Intervention;
import io.cartrescue.schema.StorefrontEvent;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConfluentAvroSerdeTest {
    private static final String TOPIC = "storefront.events";
    private static final String SUBJECT = "storefront.events-value";

    private FakeSchemaRegistry registry;
    private SchemaRegistryClient client;

    @BeforeEach
    void startRegistry() throws IOException {
        registry = FakeSchemaRegistry.start("/apis/ccompat/v7");
        client = clientFor(registry);
    }

    @AfterEach
    void stopRegistry() {
        registry.close();
    }

    @Test
    void writesMagicByteBigEndianSchemaIdAndAvroBinaryOfTheRecord() throws IOException {
        // Given a registry that hands out the id 0x01020304, and a page view with a cart of 12.34 EUR
        try (FakeSchemaRegistry numbered = FakeSchemaRegistry.start("", 0x01020304)) {
            final ConfluentAvroSerializer<StorefrontEvent> serializer =
                    new ConfluentAvroSerializer<>(clientFor(numbered), SerdeSettings.forValues());

            // When it is serialized
            final byte[] bytes = serializer.serialize(TOPIC, TestRecords.pageViewWithCart());

            // Then the bytes are the Confluent framing followed by the Avro binary encoding
            assertThat(bytes).containsExactly(
                    0x00, 0x01, 0x02, 0x03, 0x04,             // magic byte, schema id 0x01020304 big-endian
                    0x04, 'e', '1',                           // eventId "e1"
                    0x02,                                     // eventType PAGE_VIEWED (index 1)
                    0xD0, 0x0F,                               // eventTime 1000 ms, zig-zag varint
                    0x04, 's', '1',                           // sessionId "s1"
                    0x04, 'a', '1',                           // anonymousId "a1"
                    0x00, 0x00, 0x00,                         // customerId, page, product: null
                    0x02,                                     // cart: second union branch
                    0x04, 0x04, 0xD2,                         // value 12.34: unscaled 1234 as 2 bytes
                    0x06, 'E', 'U', 'R',                      // currency "EUR"
                    0x04,                                     // itemCount 2
                    0x00, 0x00, 0x00, 0x00, 0x00, 0x00,       // checkout, error, coupon, order, device, consent: null
                    0x00);                                    // interventionId: null
        }
    }

    @Test
    void registersTheSchemaUnderTheTopicsValueSubject() {
        // Given a value serializer with auto-registration on
        final ConfluentAvroSerializer<StorefrontEvent> serializer = new ConfluentAvroSerializer<>(client, SerdeSettings.forValues());

        // When a record is serialized
        serializer.serialize(TOPIC, TestRecords.productAdded());

        // Then the schema is registered under <topic>-value
        assertThat(registry.requests()).extracting(FakeSchemaRegistry.Request::method, FakeSchemaRegistry.Request::path)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("POST", "/subjects/" + SUBJECT + "/versions"));
    }

    @Test
    void registersKeySchemasUnderTheTopicsKeySubject() {
        // Given a key serializer
        final ConfluentAvroSerializer<StorefrontEvent> serializer = new ConfluentAvroSerializer<>(client, SerdeSettings.forKeys());

        // When a record is serialized
        serializer.serialize(TOPIC, TestRecords.productAdded());

        // Then the schema is registered under <topic>-key
        assertThat(registry.requests()).extracting(FakeSchemaRegistry.Request::path)
                .containsExactly("/subjects/storefront.events-key/versions");
    }

    @Test
    void storefrontEventSurvivesTheRoundTrip() {
        // Given a serde for storefront events
        final ConfluentAvroSerde<StorefrontEvent> serde = new ConfluentAvroSerde<>(StorefrontEvent.class, client, SerdeSettings.forValues());
        final StorefrontEvent event = TestRecords.productAdded();

        // When it is written and read back
        final StorefrontEvent read = serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, event));

        // Then every field, decimals and timestamps included, is the same
        assertThat(read).isEqualTo(event);
        assertThat(read.getProduct().getPrice()).isEqualTo(new BigDecimal("49.90"));
        assertThat(read.getEventTime()).isEqualTo(TestRecords.T0);
    }

    @Test
    void interventionOfferUnionAndDecimalsSurviveTheRoundTrip() {
        // Given a serde for interventions, and a discount and a free-shipping notice
        final ConfluentAvroSerde<Intervention> serde = new ConfluentAvroSerde<>(Intervention.class, client, SerdeSettings.forValues());
        final Intervention discount = TestRecords.discountIntervention();
        final Intervention freeShipping = TestRecords.freeShippingIntervention();

        // When both are written and read back
        final Intervention readDiscount = serde.deserializer().deserialize("interventions.onsite",
                serde.serializer().serialize("interventions.onsite", discount));
        final Intervention readFreeShipping = serde.deserializer().deserialize("interventions.onsite",
                serde.serializer().serialize("interventions.onsite", freeShipping));

        // Then each offer comes back as its own union branch with its decimals
        assertThat(readDiscount).isEqualTo(discount);
        assertThat(readDiscount.getOffer()).isInstanceOfSatisfying(DiscountOffer.class,
                offer -> assertThat(offer.getAmount()).isEqualTo(new BigDecimal("5.00")));
        assertThat(readFreeShipping).isEqualTo(freeShipping);
        assertThat(readFreeShipping.getOffer()).isInstanceOfSatisfying(FreeShippingNotice.class,
                offer -> assertThat(offer.getRemaining()).isEqualTo(new BigDecimal("0.20")));
    }

    @Test
    void nullIsWrittenAsNullAndReadAsNull() {
        // Given a serde
        final ConfluentAvroSerde<StorefrontEvent> serde = new ConfluentAvroSerde<>(StorefrontEvent.class, client, SerdeSettings.forValues());

        // When null is written and null is read
        // Then both are null (a tombstone), without any registry call
        assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
        assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
        assertThat(registry.requests()).isEmpty();
    }

    @Test
    void recordWrittenWithAnOlderSchemaIsReadByTheNewerReader() {
        // Given a producer still on the version before interventionId was added
        final Schema older = TestRecords.withoutField(StorefrontEvent.getClassSchema(), "interventionId");
        final StorefrontEvent event = TestRecords.productAdded();
        final byte[] bytes = new ConfluentAvroSerializer<TestRecords.ProbeRecord>(client, SerdeSettings.forValues())
                .serialize(TOPIC, TestRecords.asVersion(event, older));

        // When the current reader reads its record
        final StorefrontEvent read = new ConfluentAvroDeserializer<>(StorefrontEvent.class, client).deserialize(TOPIC, bytes);

        // Then the missing field takes its default and all others are kept
        final StorefrontEvent expected = StorefrontEvent.newBuilder(event).setInterventionId(null).build();
        assertThat(read).isEqualTo(expected);
    }

    @Test
    void recordWrittenWithANewerSchemaIsReadByTheOlderReader() {
        // Given a producer already on a version with an added optional field
        final Schema newer = TestRecords.withOptionalField(StorefrontEvent.getClassSchema(), "referrer");
        final StorefrontEvent event = TestRecords.productAdded();
        final TestRecords.ProbeRecord record = TestRecords.asVersion(event, newer);
        record.put("referrer", "newsletter");
        final byte[] bytes = new ConfluentAvroSerializer<TestRecords.ProbeRecord>(client, SerdeSettings.forValues())
                .serialize(TOPIC, record);

        // When the current reader reads its record
        final StorefrontEvent read = new ConfluentAvroDeserializer<>(StorefrontEvent.class, client).deserialize(TOPIC, bytes);

        // Then the unknown field is skipped and all others are kept
        assertThat(read).isEqualTo(event);
    }

    @Test
    void recordsOfTwoWriterSchemasInterleavedAreEachReadWithTheirOwn() {
        // Given records of the current schema and of the version before interventionId, on one topic
        final Schema older = TestRecords.withoutField(StorefrontEvent.getClassSchema(), "interventionId");
        final StorefrontEvent event = TestRecords.productAdded();
        final byte[] current = serialized(event);
        final byte[] old = new ConfluentAvroSerializer<TestRecords.ProbeRecord>(client, SerdeSettings.forValues())
                .serialize(TOPIC, TestRecords.asVersion(event, older));
        final ConfluentAvroDeserializer<StorefrontEvent> deserializer =
                new ConfluentAvroDeserializer<>(StorefrontEvent.class, clientFor(registry));

        // When they are read in turn
        // Then each is read with its own writer schema, fetched once each
        final StorefrontEvent withoutInterventionId = StorefrontEvent.newBuilder(event).setInterventionId(null).build();
        for (int i = 0; i < 3; i++) {
            assertThat(deserializer.deserialize(TOPIC, current)).isEqualTo(event);
            assertThat(deserializer.deserialize(TOPIC, old)).isEqualTo(withoutInterventionId);
        }
        assertThat(registry.requests()).filteredOn(r -> r.method().equals("GET")).hasSize(2);
    }

    @Test
    void writerSchemaIsFetchedOncePerSchemaId() {
        // Given a record registered by another producer
        final byte[] bytes = new ConfluentAvroSerializer<StorefrontEvent>(client, SerdeSettings.forValues())
                .serialize(TOPIC, TestRecords.productAdded());
        final ConfluentAvroDeserializer<StorefrontEvent> deserializer =
                new ConfluentAvroDeserializer<>(StorefrontEvent.class, clientFor(registry));

        // When it is read three times
        for (int i = 0; i < 3; i++) {
            deserializer.deserialize(TOPIC, bytes);
        }

        // Then the writer schema was fetched by id once
        assertThat(registry.requests()).filteredOn(r -> r.method().equals("GET")).hasSize(1);
    }

    @Test
    void wrongMagicByteIsASerializationErrorNamingTheTopic() {
        // Given a JSON payload instead of the wire format
        final byte[] bytes = "{\"eventId\":\"x\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        // When it is read
        // Then it fails as bad data, naming the magic byte and topic
        assertThatThrownBy(() -> deserializer().deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("magic byte 0x7b")
                .hasMessageContaining(TOPIC);
    }

    @Test
    void payloadShorterThanTheHeaderIsASerializationError() {
        // Given three bytes
        // When they are read
        // Then it fails as bad data
        assertThatThrownBy(() -> deserializer().deserialize(TOPIC, new byte[] {0, 0, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("3 byte(s) long, too short")
                .hasMessageContaining(TOPIC);
    }

    @Test
    void unknownSchemaIdIsASerializationErrorNamingTheId() {
        // Given a record that refers to a schema id the registry does not have
        final byte[] bytes = {0, 0, 0, 0x03, (byte) 0xE7, 0x02};

        // When it is read
        // Then it fails as bad data, naming the topic and id
        assertThatThrownBy(() -> deserializer().deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("schema id 999")
                .hasMessageContaining(TOPIC)
                .hasMessageContaining("40403");
    }

    @Test
    void truncatedPayloadIsASerializationErrorNamingTheSchemaId() {
        // Given a valid record cut short
        final byte[] valid = serialized(TestRecords.productAdded());
        final byte[] truncated = Arrays.copyOf(valid, valid.length - 10);

        // When it is read
        // Then it fails as bad data
        assertThatThrownBy(() -> deserializer().deserialize(TOPIC, truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("truncated")
                .hasMessageContaining("schema id 1")
                .hasMessageContaining(TOPIC);
    }

    @Test
    void garbledLengthPrefixIsASerializationErrorNotAnOutOfMemoryError() {
        // Given a record whose first string claims to be about a gigabyte long
        serialized(TestRecords.productAdded());
        final byte[] bytes = {0, 0, 0, 0, 1, (byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07, 'x'};

        // When it is read
        // Then it fails as bad data before anything is allocated
        assertThatThrownBy(() -> deserializer().deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("claims 1073741823 bytes")
                .hasMessageContaining("schema id 1");
    }

    @Test
    void trailingBytesAfterTheRecordAreASerializationError() {
        // Given a valid record followed by extra bytes
        final byte[] valid = serialized(TestRecords.productAdded());
        final byte[] padded = Arrays.copyOf(valid, valid.length + 3);

        // When it is read
        // Then it fails as bad data, saying how many bytes are left over
        assertThatThrownBy(() -> deserializer().deserialize(TOPIC, padded))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("3 byte(s) after the end of the record")
                .hasMessageContaining("schema id 1");
    }

    @Test
    void recordTheReaderSchemaCannotResolveIsASerializationError() {
        // Given a record written with the intervention schema on the storefront topic
        final byte[] bytes = new ConfluentAvroSerializer<Intervention>(client, SerdeSettings.forValues())
                .serialize(TOPIC, TestRecords.discountIntervention());

        // When the storefront reader reads it
        // Then it fails as bad data, saying why the schemas do not match
        assertThatThrownBy(() -> deserializer().deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("cannot be read as io.cartrescue.schema.StorefrontEvent")
                .hasMessageContaining("NAME_MISMATCH")
                .hasMessageContaining("schema id 1");
    }

    @Test
    void schemaIdOfANonAvroSchemaIsASerializationError() {
        // Given a schema id that belongs to a non-Avro schema
        registry.putRaw(77, "syntax = \"proto3\"; message X {}");

        // When a record with that id is read
        // Then it fails as bad data
        assertThatThrownBy(() -> deserializer().deserialize(TOPIC, new byte[] {0, 0, 0, 0, 77, 0}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("schema id 77")
                .hasMessageContaining("not a valid Avro schema");
    }

    @Test
    void registryOutageWhileReadingIsNotASerializationError() {
        // Given a record, and then a registry that only answers 503
        final byte[] bytes = serialized(TestRecords.productAdded());
        registry.failEverything(503);

        // When a fresh deserializer reads the record
        // Then it reports the outage, so the record is retried instead of dead-lettered
        assertThatThrownBy(() -> deserializer().deserialize(TOPIC, bytes))
                .isInstanceOf(SchemaRegistryUnavailableException.class)
                .isNotInstanceOf(SerializationException.class)
                .hasMessageContaining("HTTP 503");
    }

    @Test
    void registryRefusingTheCredentialsWhileReadingIsNotASerializationError() {
        // Given a record, and then a registry that requires credentials the reader does not have
        final byte[] bytes = serialized(TestRecords.productAdded());
        registry.requireBasicAuth("reader", "secret");

        // When a fresh deserializer reads the record
        // Then it reports the registry's refusal, not bad data
        assertThatThrownBy(() -> deserializer().deserialize(TOPIC, bytes))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(401));
    }

    @Test
    void withoutAutoRegistrationAMissingSchemaTellsTheOperatorToRegisterIt() {
        // Given a serializer that may not register schemas, and a registry without the schema
        final ConfluentAvroSerializer<StorefrontEvent> serializer =
                new ConfluentAvroSerializer<>(client, SerdeSettings.forValues().withAutoRegister(false));

        // When a record is serialized
        // Then it fails with an instruction, after a look-up only
        assertThatThrownBy(() -> serializer.serialize(TOPIC, TestRecords.productAdded()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("not registered under subject " + SUBJECT)
                .hasMessageContaining("auto.register.schemas is off")
                .hasMessageContaining("register it first");
        assertThat(registry.requests()).extracting(FakeSchemaRegistry.Request::path).containsExactly("/subjects/" + SUBJECT);
    }

    @Test
    void withoutAutoRegistrationTheRegisteredIdIsLookedUp() {
        // Given the schema registered by the operator
        final int id = registry.register(SUBJECT, StorefrontEvent.getClassSchema());
        final ConfluentAvroSerializer<StorefrontEvent> serializer =
                new ConfluentAvroSerializer<>(client, SerdeSettings.forValues().withAutoRegister(false));

        // When two records are serialized
        final byte[] first = serializer.serialize(TOPIC, TestRecords.productAdded());
        serializer.serialize(TOPIC, TestRecords.pageViewWithCart());

        // Then they carry the registered id, found by one look-up without registering
        assertThat(Arrays.copyOfRange(first, 1, 5)).containsExactly(0, 0, 0, id);
        assertThat(registry.requests()).extracting(FakeSchemaRegistry.Request::method, FakeSchemaRegistry.Request::path)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("POST", "/subjects/" + SUBJECT));
    }

    @Test
    void schemaRefusedAsIncompatibleIsASerializationErrorSayingSo() {
        // Given a subject with BACKWARD compatibility and the current schema
        client.setCompatibility(SUBJECT, CompatibilityLevel.BACKWARD);
        registry.register(SUBJECT, StorefrontEvent.getClassSchema());
        final Schema incompatible = TestRecords.withRequiredField(StorefrontEvent.getClassSchema(), "mandatory");
        final TestRecords.ProbeRecord incompatibleRecord = TestRecords.asVersion(TestRecords.productAdded(), incompatible);
        incompatibleRecord.put("mandatory", "x");

        // When a record with a new required field is serialized
        // Then the registry's refusal is reported as such
        assertThatThrownBy(() -> new ConfluentAvroSerializer<TestRecords.ProbeRecord>(client, SerdeSettings.forValues())
                .serialize(TOPIC, incompatibleRecord))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("incompatible with the subject's compatibility level")
                .hasCauseInstanceOf(SchemaRegistryException.class);
    }

    @Test
    void recordMissingARequiredFieldIsASerializationError() {
        // Given an event whose required session id was cleared after building
        final StorefrontEvent event = TestRecords.productAdded();
        event.setSessionId(null);

        // When it is serialized
        // Then it fails naming the record type, topic and schema id
        assertThatThrownBy(() -> new ConfluentAvroSerializer<StorefrontEvent>(client, SerdeSettings.forValues())
                .serialize(TOPIC, event))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("io.cartrescue.schema.StorefrontEvent")
                .hasMessageContaining(TOPIC)
                .hasMessageContaining("schema id 1");
    }

    private byte[] serialized(final StorefrontEvent event) {
        return new ConfluentAvroSerializer<StorefrontEvent>(client, SerdeSettings.forValues()).serialize(TOPIC, event);
    }

    private ConfluentAvroDeserializer<StorefrontEvent> deserializer() {
        return new ConfluentAvroDeserializer<>(StorefrontEvent.class, clientFor(registry));
    }

    static SchemaRegistryClient clientFor(final FakeSchemaRegistry fake) {
        return new SchemaRegistryClient(SchemaRegistrySettings.builder(fake.url())
                .retryTimeout(Duration.ofMillis(300))
                .backoff(Duration.ofMillis(10), Duration.ofMillis(50))
                .build());
    }
}
