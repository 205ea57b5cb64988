package io.cartrescue.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cartrescue.local.LocalStack;
import io.cartrescue.schema.StorefrontEvent;
import io.cartrescue.testing.LocalStackExtension;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The serde against a real Kafka broker and a real schema registry (Apicurio's Confluent-compatible
 * API): registration under the topic's subject, reading back through the broker, schema evolution
 * in both directions, and the registry refusing an incompatible schema.
 */
@ExtendWith(LocalStackExtension.class)
class SerdeRegistryIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void recordIsRegisteredUnderTheValueSubjectAndReadBackThroughTheBroker(final LocalStack stack) throws Exception {
        // Given a topic, and a producer with the serde built on its own registry client
        final String topic = topic(stack, "serde-it.roundtrip");
        final SchemaRegistryClient client = client(stack);
        final StorefrontEvent event = TestRecords.productAdded();

        // When a record is produced, and consumed by a consumer configured the Kafka way, by class name
        produce(stack, topic, new ConfluentAvroSerializer<StorefrontEvent>(client, SerdeSettings.forValues()), List.of(event));
        final List<ConsumerRecord<String, Object>> records = consume(stack, topic, 1, Map.of(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ConfluentAvroDeserializer.class.getName(),
                ConfluentSerdeConfig.SCHEMA_REGISTRY_URL, stack.registryUrl(),
                ConfluentSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE, StorefrontEvent.class.getName()));

        // Then it comes back unchanged, written with the id of the schema registered under <topic>-value
        assertThat(records).singleElement().extracting(ConsumerRecord::value).isEqualTo(event);
        final RegisteredSchema registered = client.latestVersion(topic + "-value");
        assertThat(registered.version()).isEqualTo(1);
        assertThat(registered.schema().getFullName()).isEqualTo(StorefrontEvent.getClassSchema().getFullName());
        final byte[] raw = consumeRaw(stack, topic);
        assertThat(raw[0]).isZero();
        assertThat(ByteBuffer.wrap(raw, 1, 4).getInt()).isEqualTo(registered.id());
    }

    @Test
    void compatibleEvolutionIsReadByOlderAndNewerReaders(final LocalStack stack) throws Exception {
        // Given a BACKWARD subject, and producers on an older, the current and a newer schema version
        final String topic = topic(stack, "serde-it.evolution");
        final SchemaRegistryClient client = client(stack);
        client.setCompatibility(topic + "-value", CompatibilityLevel.BACKWARD);
        final StorefrontEvent event = TestRecords.productAdded();
        final Schema older = TestRecords.withoutField(StorefrontEvent.getClassSchema(), "interventionId");
        final Schema newer = TestRecords.withOptionalField(StorefrontEvent.getClassSchema(), "referrer");
        final TestRecords.ProbeRecord newerRecord = TestRecords.asVersion(event, newer);
        newerRecord.put("referrer", "newsletter");

        // When each writes one record in turn, registering its version, and the current reader reads them
        // (the current reader is the newer reader of the first record and the older reader of the third)
        produce(stack, topic, new ConfluentAvroSerializer<SpecificRecord>(client, SerdeSettings.forValues()),
                List.of(TestRecords.asVersion(event, older), event, newerRecord));
        final ConfluentAvroDeserializer<StorefrontEvent> reader =
                new ConfluentAvroDeserializer<>(StorefrontEvent.class, client(stack));
        final List<ConsumerRecord<String, StorefrontEvent>> records = consume(stack, topic, 3, reader);

        // Then the registry holds three versions, and all three records are read
        assertThat(client.latestVersion(topic + "-value").version()).isEqualTo(3);
        assertThat(records).extracting(ConsumerRecord::value).containsExactly(
                StorefrontEvent.newBuilder(event).setInterventionId(null).build(),
                event,
                event);
    }

    @Test
    void incompatibleChangeIsRefusedByTheRegistryWithAClearError(final LocalStack stack) {
        // Given a subject holding the current schema, set to BACKWARD compatibility
        final String topic = topic(stack, "serde-it.incompatible");
        final String subject = topic + "-value";
        final SchemaRegistryClient client = client(stack);
        client.register(subject, StorefrontEvent.getClassSchema());
        client.setCompatibility(subject, CompatibilityLevel.BACKWARD);
        final Schema incompatible = TestRecords.withRequiredField(StorefrontEvent.getClassSchema(), "mandatory");
        final TestRecords.ProbeRecord record = TestRecords.asVersion(TestRecords.productAdded(), incompatible);
        record.put("mandatory", "x");

        // When a producer tries to write a version with a new required field
        // Then the registry refuses it and the serializer says why
        assertThat(client.compatibility(subject)).isEqualTo(CompatibilityLevel.BACKWARD);
        assertThat(client.isCompatible(subject, incompatible)).isFalse();
        assertThatThrownBy(() -> new ConfluentAvroSerializer<SpecificRecord>(client, SerdeSettings.forValues())
                .serialize(topic, record))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("incompatible with the subject's compatibility level")
                .hasMessageContaining(subject)
                .cause().isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.isIncompatible()).isTrue();
                });
        assertThat(client.latestVersion(subject).version()).isEqualTo(1);
    }

    @Test
    void schemaIdUnknownToTheRegistryIsBadData(final LocalStack stack) {
        // Given a record that refers to a schema id the registry never handed out
        final byte[] bytes = {0, 0x7F, 0, 0, 1, 0};

        // When it is read
        // Then it is reported as bad data naming the id
        assertThatThrownBy(() -> new ConfluentAvroDeserializer<>(StorefrontEvent.class, client(stack))
                .deserialize("serde-it.unknown-id", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("schema id " + 0x7F000001);
    }

    private static SchemaRegistryClient client(final LocalStack stack) {
        return new SchemaRegistryClient(SchemaRegistrySettings.builder(stack.registryUrl()).build());
    }

    private static String topic(final LocalStack stack, final String prefix) {
        final String topic = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        stack.createTopics(List.of(new NewTopic(topic, 1, (short) 1)));
        return topic;
    }

    private static <V> void produce(final LocalStack stack, final String topic, final Serializer<V> serializer,
                                    final List<? extends V> values) throws Exception {
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), serializer)) {
            for (final V value : values) {
                producer.send(new ProducerRecord<>(topic, "sess-1", value)).get();
            }
        }
    }

    private static List<ConsumerRecord<String, Object>> consume(final LocalStack stack, final String topic,
                                                                final int count, final Map<String, Object> extra) {
        final Map<String, Object> config = new HashMap<>(consumerConfig(stack));
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.putAll(extra);
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(config)) {
            return poll(consumer, topic, count);
        }
    }

    private static <V> List<ConsumerRecord<String, V>> consume(final LocalStack stack, final String topic,
                                                               final int count, final Deserializer<V> deserializer) {
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(consumerConfig(stack), new StringDeserializer(), deserializer)) {
            return poll(consumer, topic, count);
        }
    }

    private static byte[] consumeRaw(final LocalStack stack, final String topic) {
        return consume(stack, topic, 1, new ByteArrayDeserializer()).get(0).value();
    }

    private static <V> List<ConsumerRecord<String, V>> poll(final KafkaConsumer<String, V> consumer, final String topic,
                                                            final int count) {
        consumer.subscribe(List.of(topic));
        final List<ConsumerRecord<String, V>> records = new ArrayList<>();
        await().atMost(WAIT).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            return records.size() >= count;
        });
        return records;
    }

    private static Map<String, Object> consumerConfig(final LocalStack stack) {
        return Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "serde-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    }
}
