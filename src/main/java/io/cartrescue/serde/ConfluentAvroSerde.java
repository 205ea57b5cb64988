package io.cartrescue.serde;

import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka {@link Serde} for Avro specific records in the Confluent wire format: the
 * {@link ConfluentAvroSerializer} and {@link ConfluentAvroDeserializer} sharing one registry client.
 *
 * <p>It exists so that topologies and clients can be given one object per topic and record type.
 * Build it with an explicit client ({@code new ConfluentAvroSerde<>(StorefrontEvent.class, client,
 * SerdeSettings.forValues())}), which keeps tests and instances independent of each other, or let
 * Kafka configure it from Confluent's configuration names ({@code schema.registry.url},
 * {@code basic.auth.credentials.source}, {@code basic.auth.user.info}, {@code auto.register.schemas},
 * see {@link ConfluentSerdeConfig}).
 *
 * @param <T> the record type
 */
public final class ConfluentAvroSerde<T extends SpecificRecord> implements Serde<T> {
    private final boolean preconfigured;
    private final ConfluentAvroSerializer<T> serializer;
    private final ConfluentAvroDeserializer<T> deserializer;

    /**
     * For Kafka, which creates serdes by class name and then calls {@link #configure(Map, boolean)};
     * records are read into the class the writer's schema names, or the one configured with
     * {@code specific.avro.value.type}.
     */
    public ConfluentAvroSerde() {
        this.preconfigured = false;
        this.serializer = new ConfluentAvroSerializer<>();
        this.deserializer = new ConfluentAvroDeserializer<>();
    }

    /** A serde for {@code type}, to be configured by {@link #configure(Map, boolean)}. */
    public ConfluentAvroSerde(final Class<T> type) {
        this.preconfigured = false;
        this.serializer = new ConfluentAvroSerializer<>();
        this.deserializer = new ConfluentAvroDeserializer<>(type);
    }

    /** A serde for {@code type} using {@code client}; {@link #configure(Map, boolean)} then changes nothing. */
    public ConfluentAvroSerde(final Class<T> type, final SchemaRegistryClient client, final SerdeSettings settings) {
        this.preconfigured = true;
        this.serializer = new ConfluentAvroSerializer<>(client, Objects.requireNonNull(settings, "settings"));
        this.deserializer = new ConfluentAvroDeserializer<>(type, client);
    }

    @Override
    public void configure(final Map<String, ?> configs, final boolean isKey) {
        if (preconfigured) {
            return;
        }
        final ConfluentSerdeConfig config = ConfluentSerdeConfig.parse(configs, isKey);
        final SchemaRegistryClient client = new SchemaRegistryClient(config.registry());
        serializer.use(client, config.serde());
        deserializer.use(client, config);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }

    @Override
    public void close() {
        serializer.close();
        deserializer.close();
    }
}
