package io.cartrescue.testing;

import io.cartrescue.schema.StorefrontEvent;
import io.cartrescue.serde.ConfluentAvroSerde;
import io.cartrescue.serde.SchemaRegistryClient;
import io.cartrescue.serde.SerdeSettings;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes Avro records through the schema registry in the Confluent wire format, as a storefront or a profile service does. */
public final class RegistryProducer {
    private RegistryProducer() {
    }

    /** A producer of any generated record type, sending at once (no linger). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static KafkaProducer<String, Object> create(final String bootstrapServers, final SchemaRegistryClient registry) {
        final ConfluentAvroSerde serde = new ConfluentAvroSerde(SpecificRecordBase.class, registry, SerdeSettings.forValues());
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), serde.serializer());
    }

    /** Sends storefront events keyed by session id and stamped with their event time, then flushes. */
    public static void sendEvents(final KafkaProducer<String, Object> producer, final String topic,
                                  final StorefrontEvent... events) {
        for (final StorefrontEvent e : events) {
            producer.send(new ProducerRecord<>(topic, null, e.getEventTime().toEpochMilli(), e.getSessionId(), e));
        }
        producer.flush();
    }
}
