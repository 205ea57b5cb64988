package io.cartrescue.serde;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

/**
 * Decodes Avro binary data from a byte array, refusing every length or item count that the
 * remaining bytes cannot hold before anything is allocated.
 *
 * <p>It exists because Avro's own {@code BinaryDecoder} trusts the length prefixes it reads: a
 * garbled or hostile record that claims a string of two gigabytes makes it allocate that much and
 * fail with {@link OutOfMemoryError}, which would take the application down again on every
 * restart. Here such a record fails with an {@link EOFException} like any truncated record. The
 * encoding read is exactly Avro's binary encoding.
 *
 * <p>Strings must be valid UTF-8, as the Avro specification requires. Avro's decoder would replace
 * invalid bytes with U+FFFD, so that two different ids (say {@code s\xfe} and {@code s\xff})
 * become the same; here such a record fails like any other malformed data.
 */
final class BoundedBinaryDecoder extends Decoder {
    /** Items of zero-byte types (null, empty records) in one block that are accepted beyond the remaining bytes. */
    private static final long MAX_EMPTY_ITEMS = 65_536;

    private final byte[] data;
    private final int limit;
    private int position;

    BoundedBinaryDecoder(final byte[] data, final int offset, final int length) {
        this.data = data;
        this.position = offset;
        this.limit = offset + length;
    }

    /** Bytes not read yet. */
    int remaining() {
        return limit - position;
    }

    @Override
    public void readNull() {
        // null is encoded as zero bytes
    }

    @Override
    public boolean readBoolean() throws IOException {
        return nextByte() == 1;
    }

    @Override
    public int readInt() throws IOException {
        int value = 0;
        for (int shift = 0; shift < 32; shift += 7) {
            final int b = nextByte();
            value |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return (value >>> 1) ^ -(value & 1);
            }
        }
        throw new AvroRuntimeException("Invalid int encoding");
    }

    @Override
    public long readLong() throws IOException {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            final long b = nextByte();
            value |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return (value >>> 1) ^ -(value & 1);
            }
        }
        throw new AvroRuntimeException("Invalid long encoding");
    }

    @Override
    public float readFloat() throws IOException {
        require(4, "float");
        final int bits = (data[position] & 0xff) | (data[position + 1] & 0xff) << 8
                | (data[position + 2] & 0xff) << 16 | (data[position + 3] & 0xff) << 24;
        position += 4;
        return Float.intBitsToFloat(bits);
    }

    @Override
    public double readDouble() throws IOException {
        require(8, "double");
        long bits = 0;
        for (int i = 7; i >= 0; i--) {
            bits = bits << 8 | (data[position + i] & 0xff);
        }
        position += 8;
        return Double.longBitsToDouble(bits);
    }

    @Override
    public Utf8 readString(final Utf8 old) throws IOException {
        final int length = readLength("string");
        checkUtf8(length);
        final Utf8 result = old != null ? old : new Utf8();
        result.setByteLength(length);
        System.arraycopy(data, position, result.getBytes(), 0, length);
        position += length;
        return result;
    }

    @Override
    public String readString() throws IOException {
        final int length = readLength("string");
        final String result = new String(data, position, length, StandardCharsets.UTF_8);
        if (result.indexOf('\uFFFD') >= 0) {
            checkUtf8(length);
        }
        position += length;
        return result;
    }

    @Override
    public void skipString() throws IOException {
        final int length = readLength("string");
        position += length;
    }

    @Override
    public ByteBuffer readBytes(final ByteBuffer old) throws IOException {
        final int length = readLength("bytes");
        final ByteBuffer result = old != null && old.capacity() >= length ? old : ByteBuffer.allocate(length);
        result.clear();
        result.put(data, position, length);
        result.flip();
        position += length;
        return result;
    }

    @Override
    public void skipBytes() throws IOException {
        final int length = readLength("bytes");
        position += length;
    }

    @Override
    public void readFixed(final byte[] bytes, final int start, final int length) throws IOException {
        require(length, "fixed");
        System.arraycopy(data, position, bytes, start, length);
        position += length;
    }

    @Override
    public void skipFixed(final int length) throws IOException {
        require(length, "fixed");
        position += length;
    }

    @Override
    public int readEnum() throws IOException {
        return readInt();
    }

    @Override
    public long readArrayStart() throws IOException {
        return readItemCount();
    }

    @Override
    public long arrayNext() throws IOException {
        return readItemCount();
    }

    @Override
    public long skipArray() throws IOException {
        return skipItems();
    }

    @Override
    public long readMapStart() throws IOException {
        return readItemCount();
    }

    @Override
    public long mapNext() throws IOException {
        return readItemCount();
    }

    @Override
    public long skipMap() throws IOException {
        return skipItems();
    }

    @Override
    public int readIndex() throws IOException {
        return readInt();
    }

    private long readItemCount() throws IOException {
        long count = readLong();
        if (count < 0) {
            readLong();
            count = -count;
        }
        if (count < 0 || count > Math.max(remaining(), MAX_EMPTY_ITEMS)) {
            throw new EOFException("A block claims " + count + " items but only " + remaining() + " bytes are left");
        }
        return count;
    }

    private long skipItems() throws IOException {
        long count = readLong();
        while (count < 0) {
            final long size = readLong();
            if (size < 0 || size > remaining()) {
                throw new EOFException("A block claims " + size + " bytes but only " + remaining() + " are left");
            }
            position += (int) size;
            count = readLong();
        }
        return count;
    }

    /** Fails unless the next {@code length} bytes are valid UTF-8. */
    private void checkUtf8(final int length) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data, position, length));
        } catch (final CharacterCodingException e) {
            throw new AvroRuntimeException("Malformed data: a string is not valid UTF-8 (" + e + ")");
        }
    }

    private int readLength(final String type) throws IOException {
        final long length = readLong();
        if (length < 0) {
            throw new AvroRuntimeException("Malformed data: " + type + " length is negative: " + length);
        }
        if (length > remaining()) {
            throw new EOFException("A " + type + " claims " + length + " bytes but only " + remaining() + " are left");
        }
        return (int) length;
    }

    private void require(final int length, final String type) throws EOFException {
        if (length < 0 || length > remaining()) {
            throw new EOFException("A " + type + " needs " + length + " bytes but only " + remaining() + " are left");
        }
    }

    private int nextByte() throws EOFException {
        if (position >= limit) {
            throw new EOFException("The record ends in the middle of a value");
        }
        return data[position++] & 0xff;
    }
}
