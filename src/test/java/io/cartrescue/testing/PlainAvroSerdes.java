package io.cartrescue.testing;

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
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serdes for tests: SpecificRecords as plain Avro binary, without a registry or wire-format header.
 * Each instance is independent; nothing is shared between tests.
 */
public final class PlainAvroSerdes implements SerdeProvider {

    @Override
    public <T extends SpecificRecord> Serde<T> valueSerde(final Class<T> type) {
        final Schema schema = SpecificData.get().getSchema(type);
        final SpecificData model = SpecificData.getForClass(type);
        final Serializer<T> serializer = (topic, value) -> value == null ? null : write(value, new SpecificDatumWriter<>(schema, model));
        final Deserializer<T> deserializer = (topic, bytes) -> bytes == null ? null : read(bytes, new SpecificDatumReader<>(schema, schema, model));
        return Serdes.serdeFrom(serializer, deserializer);
    }

    /** Writes any SpecificRecord with its own schema, for a sink that receives several types. */
    public static Serializer<SpecificRecord> anyRecordSerializer() {
        return (topic, value) -> value == null ? null
                : write(value, new SpecificDatumWriter<>(value.getSchema(), SpecificData.getForSchema(value.getSchema())));
    }

    private static <T> byte[] write(final T value, final SpecificDatumWriter<T> writer) {
        try {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            writer.write(value, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(final byte[] bytes, final SpecificDatumReader<T> reader) {
        try {
            return reader.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
