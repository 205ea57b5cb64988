package io.cartrescue.serde;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * Gives the topology a value serde for each record type. In production it is backed by the
 * schema registry (Confluent wire format); tests may use an in-memory registry.
 */
@FunctionalInterface
public interface SerdeProvider {
    <T extends SpecificRecord> Serde<T> valueSerde(Class<T> type);
}
