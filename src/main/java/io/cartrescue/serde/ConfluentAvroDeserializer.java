package io.cartrescue.serde;

import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.io.DatumReader;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads records in the Confluent wire format into Avro specific records: it fetches the writer's
 * schema by the id in the record (cached forever) and resolves it against the reader class's
 * schema, so records written with an older or a newer compatible schema are read.
 *
 * <p>It exists to tell bad data from a broken environment. Bad data (wrong magic byte, unknown
 * schema id, truncated or over-long payload, a writer schema the reader cannot resolve) fails with
 * a {@link SerializationException} naming the topic and schema id, so the record can be
 * dead-lettered. An unreachable registry fails with a {@link SchemaRegistryUnavailableException},
 * and a registry refusal unrelated to the record (credentials, base URL) with a
 * {@link SchemaRegistryException}: the record must then be retried later, never dead-lettered.
 *
 * @param <T> the record type
 */
public final class ConfluentAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {
    private static final int MAX_LISTED_INCOMPATIBILITIES = 3;

    private final boolean preconfigured;
    private final ConcurrentMap<Integer, Resolution<T>> resolutions = new ConcurrentHashMap<>();
    /** The resolution of the schema id read last: most topics carry records of one schema id. */
    private volatile Resolution<T> last;
    private Class<? extends T> readerType;
    private SchemaRegistryClient client;

    /** How records with one writer schema id are read: a reader, or why they cannot be. */
    private record Resolution<T>(int schemaId, DatumReader<T> reader, String problem) {
    }

    /**
     * For Kafka, which creates deserializers by class name and then calls
     * {@link #configure(Map, boolean)}; records are read into the class given by
     * {@code specific.avro.value.type} (or {@code .key.type}), or else the class the writer's schema names.
     */
    public ConfluentAvroDeserializer() {
        this.preconfigured = false;
    }

    /** A deserializer into {@code type}, to be configured by {@link #configure(Map, boolean)}. */
    public ConfluentAvroDeserializer(final Class<T> type) {
        this.preconfigured = false;
        this.readerType = Objects.requireNonNull(type, "type");
    }

    /** A deserializer into {@code type} using {@code client}; {@link #configure(Map, boolean)} then changes nothing. */
    public ConfluentAvroDeserializer(final Class<T> type, final SchemaRegistryClient client) {
        this.preconfigured = true;
        this.readerType = Objects.requireNonNull(type, "type");
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public void configure(final Map<String, ?> configs, final boolean isKey) {
        if (preconfigured) {
            return;
        }
        final ConfluentSerdeConfig config = ConfluentSerdeConfig.parse(configs, isKey);
        use(new SchemaRegistryClient(config.registry()), config);
    }

    @SuppressWarnings("unchecked")
    void use(final SchemaRegistryClient registryClient, final ConfluentSerdeConfig config) {
        if (preconfigured) {
            return;
        }
        this.client = registryClient;
        if (readerType == null && config.readerType().isPresent()) {
            this.readerType = (Class<? extends T>) config.readerType().get();
        }
    }

    @Override
    public T deserialize(final String topic, final byte[] data) {
        if (data == null) {
            return null;
        }
        if (client == null) {
            throw new IllegalStateException("ConfluentAvroDeserializer is not configured: call configure() first");
        }
        final int schemaId = ConfluentWireFormat.schemaId(data, topic);
        final Resolution<T> resolution = resolution(topic, schemaId);
        if (resolution.problem() != null) {
            throw new SerializationException(resolution.problem() + " (topic " + topic + ", schema id " + schemaId + ")");
        }
        final BoundedBinaryDecoder decoder = new BoundedBinaryDecoder(data, ConfluentWireFormat.HEADER_SIZE,
                data.length - ConfluentWireFormat.HEADER_SIZE);
        final T value;
        try {
            value = resolution.reader().read(null, decoder);
        } catch (final EOFException e) {
            throw new SerializationException("Record on topic " + topic + " with schema id " + schemaId
                    + " is truncated or garbled: " + e.getMessage(), e);
        } catch (final IOException | RuntimeException e) {
            throw new SerializationException("Record on topic " + topic + " with schema id " + schemaId
                    + " cannot be decoded: " + e, e);
        }
        if (decoder.remaining() > 0) {
            throw new SerializationException("Record on topic " + topic + " with schema id " + schemaId + " has "
                    + decoder.remaining() + " byte(s) after the end of the record: it was not written with that schema");
        }
        return value;
    }

    private Resolution<T> resolution(final String topic, final int schemaId) {
        final Resolution<T> recent = last;
        if (recent != null && recent.schemaId() == schemaId) {
            return recent;
        }
        final Resolution<T> cached = resolutions.get(schemaId);
        if (cached != null) {
            last = cached;
            return cached;
        }
        final Schema writer;
        try {
            writer = client.schemaById(schemaId);
        } catch (final SchemaRegistryException e) {
            if (e.isNotFound() || e.errorCode() == SchemaRegistryException.INVALID_SCHEMA) {
                throw new SerializationException("Record on topic " + topic + " has schema id " + schemaId
                        + ", which the registry cannot give as an Avro schema: " + e.getMessage(), e);
            }
            throw e;
        }
        final Resolution<T> resolved = resolve(writer, schemaId);
        final Resolution<T> previous = resolutions.putIfAbsent(schemaId, resolved);
        final Resolution<T> result = previous == null ? resolved : previous;
        last = result;
        return result;
    }

    private Resolution<T> resolve(final Schema writer, final int schemaId) {
        final Class<? extends T> type = readerType != null ? readerType : classNamedBy(writer);
        if (type == null) {
            return new Resolution<>(schemaId, null, "The writer schema " + writer.getFullName()
                    + " names no Avro specific record class on the class path; set specific.avro.value.type (or .key.type)");
        }
        final SpecificData model = SpecificData.getForClass(type);
        final Schema reader = model.getSchema(type);
        final SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            return new Resolution<>(schemaId, null, "A record written with schema " + writer.getFullName()
                    + " (id " + schemaId + ") cannot be read as " + type.getName() + ": " + describe(compatibility));
        }
        return new Resolution<>(schemaId, new SpecificDatumReader<>(writer, reader, model), null);
    }

    @SuppressWarnings("unchecked")
    private Class<? extends T> classNamedBy(final Schema writer) {
        if (writer.getType() != Schema.Type.RECORD) {
            return null;
        }
        final Class<?> type = SpecificData.get().getClass(writer);
        return type != null && SpecificRecord.class.isAssignableFrom(type) ? (Class<? extends T>) type : null;
    }

    private static String describe(final SchemaCompatibility.SchemaPairCompatibility compatibility) {
        return compatibility.getResult().getIncompatibilities().stream()
                .limit(MAX_LISTED_INCOMPATIBILITIES)
                .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage())
                .collect(Collectors.joining("; "));
    }

    @Override
    public void close() {
        resolutions.clear();
        last = null;
    }
}
