package io.cartrescue.replay;

import io.cartrescue.serde.SerdeProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
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
 * Serdes for a replay, which never leaves the process: each record as plain Avro binary in its own
 * schema, with no schema registry and no wire-format header. A replay runs the topology on one
 * thread, so each serde keeps one datum writer and reader and reuses its encoder and decoder.
 * Not for use across threads.
 */
public final class InMemorySerdes implements SerdeProvider {

    @Override
    public <T extends SpecificRecord> Serde<T> valueSerde(final Class<T> type) {
        final Schema schema = SpecificData.get().getSchema(type);
        final SpecificData model = SpecificData.getForClass(type);
        return Serdes.serdeFrom(new Writer<>(new SpecificDatumWriter<>(schema, model)),
                new Reader<>(new SpecificDatumReader<>(schema, schema, model), schema.getFullName()));
    }

    /** Writes one record type; keeps its buffer and encoder between calls. */
    private static final class Writer<T> implements Serializer<T> {
        private final SpecificDatumWriter<T> writer;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
        private BinaryEncoder encoder;

        Writer(final SpecificDatumWriter<T> writer) {
            this.writer = writer;
        }

        @Override
        public byte[] serialize(final String topic, final T value) {
            if (value == null) {
                return null;
            }
            buffer.reset();
            encoder = EncoderFactory.get().directBinaryEncoder(buffer, encoder);
            try {
                writer.write(value, encoder);
                encoder.flush();
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("cannot write a record for topic " + topic, e);
            }
            return buffer.toByteArray();
        }
    }

    /** Reads one record type; keeps its decoder between calls. */
    private static final class Reader<T> implements Deserializer<T> {
        private final SpecificDatumReader<T> reader;
        private final String typeName;
        private BinaryDecoder decoder;

        Reader(final SpecificDatumReader<T> reader, final String typeName) {
            this.reader = reader;
            this.typeName = typeName;
        }

        @Override
        public T deserialize(final String topic, final byte[] bytes) {
            if (bytes == null) {
                return null;
            }
            decoder = DecoderFactory.get().binaryDecoder(bytes, decoder);
            try {
                return reader.read(null, decoder);
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("cannot read " + typeName + " from topic " + topic, e);
            }
        }
    }
}
