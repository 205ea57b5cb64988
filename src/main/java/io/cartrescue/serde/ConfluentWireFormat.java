package io.cartrescue.serde;

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

    /** Writes the header of a record with {@code schemaId} at the start of {@code buffer}; returns its size. */
    static int writeHeader(final byte[] buffer, final int schemaId) {
        buffer[0] = MAGIC_BYTE;
        buffer[1] = (byte) (schemaId >>> 24);
        buffer[2] = (byte) (schemaId >>> 16);
        buffer[3] = (byte) (schemaId >>> 8);
        buffer[4] = (byte) schemaId;
        return HEADER_SIZE;
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
