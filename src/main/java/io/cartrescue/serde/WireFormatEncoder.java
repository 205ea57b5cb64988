package io.cartrescue.serde;

import java.util.Arrays;
import org.apache.avro.io.BinaryData;
import org.apache.avro.io.BinaryEncoder;

/**
 * Writes one record in the Confluent wire format into a growable byte array: the header first,
 * then the Avro binary encoding of the record, so that the serialized record is one copy of the
 * array's used part.
 *
 * <p>The bytes are those of Avro's own binary encoders: every primitive is encoded by
 * {@link BinaryData}, and strings, bytes, enums, union indexes and block counts by
 * {@link BinaryEncoder}, which this class extends. It is not thread-safe; the serializer keeps
 * one per thread and reuses it for every record, since the array and the encoder's own string
 * buffer would otherwise be allocated again for each.
 */
final class WireFormatEncoder extends BinaryEncoder {
    private static final int INITIAL_CAPACITY = 1_024;
    /** An array grown beyond this by one large record is not kept for the records after it. */
    private static final int RETAINED_CAPACITY = 64 * 1_024;

    private byte[] buffer = new byte[INITIAL_CAPACITY];
    private int position;

    /** Starts a new record with schema id {@code schemaId}: what was written before is dropped. */
    void start(final int schemaId) {
        if (buffer.length > RETAINED_CAPACITY) {
            buffer = new byte[INITIAL_CAPACITY];
        }
        position = ConfluentWireFormat.writeHeader(buffer, schemaId);
    }

    /** The header and the record written since {@link #start(int)}, in an array of their exact size. */
    byte[] toByteArray() {
        return Arrays.copyOf(buffer, position);
    }

    @Override
    public void flush() {
        // everything is in the array already
    }

    @Override
    public void writeBoolean(final boolean b) {
        require(1);
        position += BinaryData.encodeBoolean(b, buffer, position);
    }

    @Override
    public void writeInt(final int n) {
        require(5);
        position += BinaryData.encodeInt(n, buffer, position);
    }

    @Override
    public void writeLong(final long n) {
        require(10);
        position += BinaryData.encodeLong(n, buffer, position);
    }

    @Override
    public void writeFloat(final float f) {
        require(4);
        position += BinaryData.encodeFloat(f, buffer, position);
    }

    @Override
    public void writeDouble(final double d) {
        require(8);
        position += BinaryData.encodeDouble(d, buffer, position);
    }

    @Override
    public void writeFixed(final byte[] bytes, final int start, final int len) {
        require(len);
        System.arraycopy(bytes, start, buffer, position, len);
        position += len;
    }

    @Override
    protected void writeZero() {
        require(1);
        buffer[position++] = 0;
    }

    @Override
    public int bytesBuffered() {
        return 0;
    }

    private void require(final int bytes) {
        if (bytes > buffer.length - position) {
            final int needed = Math.addExact(position, bytes);
            buffer = Arrays.copyOf(buffer, Math.max(needed, buffer.length > Integer.MAX_VALUE / 2
                    ? Integer.MAX_VALUE - 8 : buffer.length * 2));
        }
    }
}
