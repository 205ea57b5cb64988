package io.cartrescue.serde;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro specific records in the Confluent wire format: byte 0x00, the schema id as a
 * big-endian int32, then the Avro binary encoding of the record with its own schema, the same
 * bytes as Confluent's {@code KafkaAvroSerializer} writes, so any Confluent-compatible consumer
 * can read them.
 *
 * <p>The schema is registered under the topic's subject ({@code <topic>-value} or
 * {@code <topic>-key}) on first use, or only looked up when auto-registration is off; the id is
 * cached in the client, and the serializer keeps the id and the datum writer of the schema it last
 * wrote to each topic, so that later records of that schema need no look-up at all. A record that cannot be written, or a schema the registry refuses or does
 * not have, fails with a {@link SerializationException}; an unreachable registry fails with a
 * {@link SchemaRegistryUnavailableException}, and any other registry refusal (credentials, base
 * URL) with a {@link SchemaRegistryException}.
 *
 * @param <T> the record type
 */
public final class ConfluentAvroSerializer<T extends SpecificRecord> implements Serializer<T> {
    /**
     * One encoder per thread, shared by all serializers: Kafka may call one serializer from several
     * threads, and a serializer never calls another while it writes a record.
     */
    private static final ThreadLocal<WireFormatEncoder> ENCODERS = ThreadLocal.withInitial(WireFormatEncoder::new);

    private final boolean preconfigured;
    private final ConcurrentMap<Schema, DatumWriter<T>> writers = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Target<T>> targets = new ConcurrentHashMap<>();
    private SchemaRegistryClient client;
    private SerdeSettings settings;

    /**
     * The schema last written to a topic, by identity (generated classes share one schema
     * instance), with its id under the topic's subject and its datum writer.
     */
    private record Target<T>(Schema schema, int id, DatumWriter<T> writer) {
    }

    /** For Kafka, which creates serializers by class name and then calls {@link #configure(Map, boolean)}. */
    public ConfluentAvroSerializer() {
        this.preconfigured = false;
    }

    /** A serializer using {@code client}; {@link #configure(Map, boolean)} then changes nothing. */
    public ConfluentAvroSerializer(final SchemaRegistryClient client, final SerdeSettings settings) {
        this.preconfigured = true;
        this.client = Objects.requireNonNull(client, "client");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public void configure(final Map<String, ?> configs, final boolean isKey) {
        if (preconfigured) {
            return;
        }
        final ConfluentSerdeConfig config = ConfluentSerdeConfig.parse(configs, isKey);
        use(new SchemaRegistryClient(config.registry()), config.serde());
    }

    void use(final SchemaRegistryClient registryClient, final SerdeSettings serdeSettings) {
        if (!preconfigured) {
            this.client = registryClient;
            this.settings = serdeSettings;
            targets.clear();
        }
    }

    @Override
    public byte[] serialize(final String topic, final T record) {
        if (record == null) {
            return null;
        }
        if (client == null) {
            throw new IllegalStateException("ConfluentAvroSerializer is not configured: call configure() first");
        }
        final Schema schema = record.getSchema();
        Target<T> target = topic == null ? null : targets.get(topic);
        final boolean known = target != null && target.schema() == schema;
        final int schemaId = known ? target.id() : schemaId(topic, schema);
        final WireFormatEncoder encoder = ENCODERS.get();
        try {
            if (!known) {
                target = new Target<>(schema, schemaId, writer(schema, record.getClass()));
                if (topic != null) {
                    targets.put(topic, target);
                }
            }
            encoder.start(schemaId);
            target.writer().write(record, encoder);
        } catch (final IOException | RuntimeException e) {
            throw new SerializationException("Cannot serialize " + schema.getFullName() + " for topic " + topic
                    + " with schema id " + schemaId + ": " + e.getMessage(), e);
        }
        return encoder.toByteArray();
    }

    private int schemaId(final String topic, final Schema schema) {
        final String subject = settings.subjectFor(topic);
        try {
            return settings.autoRegister() ? client.register(subject, schema) : client.lookUp(subject, schema).id();
        } catch (final SchemaRegistryException e) {
            if (e.isIncompatible()) {
                throw new SerializationException("Cannot register the schema of " + schema.getFullName()
                        + " under subject " + subject + " for topic " + topic + ": it is incompatible with the"
                        + " subject's compatibility level. " + e.getMessage(), e);
            }
            if (!settings.autoRegister() && e.isNotFound()) {
                throw new SerializationException("The schema of " + schema.getFullName() + " is not registered under"
                        + " subject " + subject + " for topic " + topic + ", and auto.register.schemas is off:"
                        + " register it first (POST /subjects/" + subject + "/versions). " + e.getMessage(), e);
            }
            if (e.errorCode() == SchemaRegistryException.INVALID_SCHEMA) {
                throw new SerializationException("The registry refused the schema of " + schema.getFullName()
                        + " under subject " + subject + " as invalid. " + e.getMessage(), e);
            }
            throw e;
        }
    }

    private DatumWriter<T> writer(final Schema schema, final Class<?> type) {
        return writers.computeIfAbsent(schema, s -> new SpecificDatumWriter<>(s, SpecificData.getForClass(type)));
    }

    @Override
    public void close() {
        writers.clear();
        targets.clear();
    }
}
