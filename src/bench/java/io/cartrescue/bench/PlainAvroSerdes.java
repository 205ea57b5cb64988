package io.cartrescue.bench;

import io.cartrescue.serde.SerdeProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serdes without a schema registry: the record's Avro binary encoding, as the Confluent serde writes
 * it minus the 5-byte header. For benchmarks of the engine that need no broker (replay, scale).
 */
public final class PlainAvroSerdes implements SerdeProvider {
    @Override
    public <T extends SpecificRecord> Serde<T> valueSerde(final Class<T> type) {
        final SpecificData model = SpecificData.getForClass(type);
        final Schema schema = model.getSchema(type);
        final SpecificDatumWriter<T> writer = new SpecificDatumWriter<>(schema, model);
        final SpecificDatumReader<T> reader = new SpecificDatumReader<>(schema, schema, model);
        final Serializer<T> serializer = (topic, value) -> value == null ? null : write(writer, value);
        final Deserializer<T> deserializer = (topic, bytes) -> bytes == null ? null : read(reader, bytes, type);
        return Serdes.serdeFrom(serializer, deserializer);
    }

    private static <T> byte[] write(final SpecificDatumWriter<T> writer, final T value) {
        try {
            final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            final BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer.write(value, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(final SpecificDatumReader<T> reader, final byte[] bytes, final Class<T> type) {
        try {
            return reader.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
        } catch (final IOException e) {
            throw new SerializationException("cannot read " + type.getSimpleName(), e);
        }
    }
}
