package io.cartrescue.testing;

import io.cartrescue.schema.StorefrontEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Writes records the way a hostile or buggy producer would: Avro with a schema that lets amounts
 * exceed {@code decimal(14,2)}, and the Confluent wire format framed by hand.
 */
public final class HostileRecords {
    /** {@code StorefrontEvent}'s schema with every decimal widened to 40 digits, so absurd amounts can be written. */
    public static final Schema WIDE_DECIMALS = new Schema.Parser().parse(
            StorefrontEvent.getClassSchema().toString().replace("\"precision\":14", "\"precision\":40"));

    private HostileRecords() {
    }

    /** The event as Avro binary, written with {@code schema} (a schema of the same shape as the event's own). */
    public static byte[] avro(final StorefrontEvent event, final Schema schema) {
        try {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new SpecificDatumWriter<StorefrontEvent>(schema, SpecificData.getForClass(StorefrontEvent.class))
                    .write(event, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Confluent wire format: a magic byte, the schema id big-endian, then {@code avro}. */
    public static byte[] framed(final int magic, final int schemaId, final byte[] avro) {
        return ByteBuffer.allocate(5 + avro.length).put((byte) magic).putInt(schemaId).put(avro).array();
    }
}
