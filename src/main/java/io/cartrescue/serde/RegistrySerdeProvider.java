package io.cartrescue.serde;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * Serdes for every record type of the topology, all writing the Confluent wire format through one
 * shared schema registry client (so its caches serve every topic and store).
 */
public final class RegistrySerdeProvider implements SerdeProvider {
    private final SchemaRegistryClient client;
    private final SerdeSettings settings;

    public RegistrySerdeProvider(final SchemaRegistryClient client, final boolean autoRegister) {
        this.client = client;
        this.settings = SerdeSettings.forValues().withAutoRegister(autoRegister);
    }

    @Override
    public <T extends SpecificRecord> Serde<T> valueSerde(final Class<T> type) {
        return new ConfluentAvroSerde<>(type, client, settings);
    }
}
