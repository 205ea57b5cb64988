package io.cartrescue.serde;

import java.io.ByteArrayOutputStream;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The framing of the Confluent wire format: a zero magic byte, then the writer's schema id as a
 * big-endian 32-bit integer, then the Avro binary encoding of the datum. Kept apart so that the
 * serializer and the deserializer cannot disagree on it.
 */
final class ConfluentWireFormat {
    static final byte MAGIC_BYTE = 0x0;
    static final int HEADER_SIZE = 5;

    private ConfluentWireFormat() {
    }

    static void writeHeader(final ByteArrayOutputStream out, final int schemaId) {
        out.write(MAGIC_BYTE);
        out.write(schemaId >>> 24);
        out.write(schemaId >>> 16);
        out.write(schemaId >>> 8);
        out.write(schemaId);
    }

    /** The schema id of a framed record, after checking the frame. */
    static int schemaId(final byte[] data, final String topic) {
        if (data.length < HEADER_SIZE) {
            throw new SerializationException("Record on topic " + topic + " is " + data.length
                    + " byte(s) long, too short for the Confluent wire format (magic byte and 4-byte schema id)");
        }
        if (data[0] != MAGIC_BYTE) {
            throw new SerializationException(String.format("Record on topic %s starts with magic byte 0x%02x, not 0x00:"
                    + " it was not written in the Confluent wire format", topic, data[0] & 0xff));
        }
        return (data[1] & 0xff) << 24 | (data[2] & 0xff) << 16 | (data[3] & 0xff) << 8 | (data[4] & 0xff);
    }
}
