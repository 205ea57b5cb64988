package io.cartrescue.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class BoundedBinaryDecoderTest {
    private static final Schema NESTED = SchemaBuilder.record("Nested").fields().requiredInt("x").endRecord();
    private static final Schema EVERYTHING = SchemaBuilder.record("Everything").namespace("test").fields()
            .requiredBoolean("flag")
            .requiredInt("minInt")
            .requiredInt("maxInt")
            .requiredLong("minLong")
            .requiredLong("maxLong")
            .requiredFloat("real")
            .requiredDouble("precise")
            .requiredString("text")
            .requiredBytes("blob")
            .name("code").type().fixed("Code").size(3).noDefault()
            .name("colour").type().enumeration("Colour").symbols("RED", "GREEN").noDefault()
            .name("numbers").type().array().items().intType().noDefault()
            .name("labels").type().map().values().stringType().noDefault()
            .optionalString("maybe")
            .name("nested").type(NESTED).noDefault()
            .name("nestedList").type().array().items(NESTED).noDefault()
            .requiredString("tail")
            .endRecord();
    private static final Schema TAIL_ONLY = SchemaBuilder.record("Everything").namespace("test").fields()
            .requiredString("tail").endRecord();

    @Test
    void blockingEncoderWritesArraysAndMapsWithByteSizes() throws IOException {
        // Given the same record encoded plainly and in sized blocks
        // When both are compared
        // Then they differ, so the sized-block paths below are really exercised
        assertThat(encode(everything(), true)).isNotEqualTo(encode(everything(), false));
    }

    @ParameterizedTest(name = "blocking encoder: {0}")
    @ValueSource(booleans = {false, true})
    void readsEveryAvroTypeAsAvrosOwnDecoderDoes(final boolean blockingEncoder) throws IOException {
        // Given a record with every Avro type and extreme values, encoded by Avro
        final GenericRecord record = everything();
        final byte[] bytes = encode(record, blockingEncoder);

        // When it is decoded
        final BoundedBinaryDecoder decoder = new BoundedBinaryDecoder(bytes, 0, bytes.length);
        final GenericRecord read = new GenericDatumReader<GenericRecord>(EVERYTHING).read(null, decoder);

        // Then it equals the original and every byte was consumed
        assertThat(read).isEqualTo(record);
        assertThat(decoder.remaining()).isZero();
    }

    @ParameterizedTest(name = "blocking encoder: {0}")
    @ValueSource(booleans = {false, true})
    void skipsEveryAvroTypeTheReaderDoesNotHave(final boolean blockingEncoder) throws IOException {
        // Given the same record, and a reader that only knows its last field
        final byte[] bytes = encode(everything(), blockingEncoder);

        // When it is decoded through schema resolution
        final BoundedBinaryDecoder decoder = new BoundedBinaryDecoder(bytes, 0, bytes.length);
        final GenericRecord read = new GenericDatumReader<GenericRecord>(EVERYTHING, TAIL_ONLY).read(null, decoder);

        // Then all other fields were skipped exactly
        assertThat(read.get("tail")).hasToString("the end");
        assertThat(decoder.remaining()).isZero();
    }

    @Test
    void stringLongerThanTheRemainingBytesIsRefusedBeforeAllocating() {
        // Given a string length of about a gigabyte followed by one byte
        final byte[] bytes = {(byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07, 'x'};

        // When it is read
        // Then it is refused as truncated
        assertThatThrownBy(() -> new BoundedBinaryDecoder(bytes, 0, bytes.length).readString(null))
                .isInstanceOf(EOFException.class)
                .hasMessageContaining("claims 1073741823 bytes but only 1 are left");
    }

    @Test
    void arrayClaimingMoreItemsThanBytesIsRefused() {
        // Given an array block that claims a billion items in two bytes
        final byte[] bytes = {(byte) 0x80, (byte) 0xA8, (byte) 0xD6, (byte) 0xB9, 0x07, 0x02, 0x02};

        // When the array is started
        // Then it is refused
        assertThatThrownBy(() -> new BoundedBinaryDecoder(bytes, 0, bytes.length).readArrayStart())
                .isInstanceOf(EOFException.class)
                .hasMessageContaining("items");
    }

    @Test
    void negativeLengthIsMalformed() {
        // Given a length of -1
        // When bytes are read
        // Then they are refused as malformed
        assertThatThrownBy(() -> new BoundedBinaryDecoder(new byte[] {0x01}, 0, 1).readBytes(null))
                .isInstanceOf(AvroRuntimeException.class)
                .hasMessageContaining("negative");
    }

    @Test
    void intLongerThanFiveBytesIsMalformed() {
        // Given six continuation bytes
        final byte[] bytes = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01};

        // When an int is read
        // Then it is refused
        assertThatThrownBy(() -> new BoundedBinaryDecoder(bytes, 0, bytes.length).readInt())
                .isInstanceOf(AvroRuntimeException.class)
                .hasMessageContaining("Invalid int encoding");
    }

    @Test
    void stringThatIsNotUtf8IsMalformedInBothReadMethods() {
        // Given a string of three bytes, the last a lone continuation byte
        final byte[] bytes = {0x06, 's', '-', (byte) 0xFF};

        // When it is read as a String or as Utf8
        // Then it is refused, not turned into "s-\uFFFD"
        assertThatThrownBy(() -> new BoundedBinaryDecoder(bytes, 0, bytes.length).readString())
                .isInstanceOf(AvroRuntimeException.class)
                .hasMessageContaining("not valid UTF-8");
        assertThatThrownBy(() -> new BoundedBinaryDecoder(bytes, 0, bytes.length).readString(null))
                .isInstanceOf(AvroRuntimeException.class)
                .hasMessageContaining("not valid UTF-8");
    }

    @Test
    void validUtf8WithAReplacementCharacterEmojiAndControlCharactersIsRead() throws IOException {
        // Given a string that really contains U+FFFD, an emoji and a newline
        final String text = "ok \uFFFD \uD83D\uDED2\n";
        final byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        final byte[] bytes = new byte[utf8.length + 1];
        bytes[0] = (byte) (utf8.length * 2);
        System.arraycopy(utf8, 0, bytes, 1, utf8.length);

        // When it is read, Then it comes back as written
        assertThat(new BoundedBinaryDecoder(bytes, 0, bytes.length).readString()).isEqualTo(text);
        assertThat(new BoundedBinaryDecoder(bytes, 0, bytes.length).readString(null).toString()).isEqualTo(text);
    }

    private static GenericRecord everything() {
        final GenericData.Record nested = new GenericData.Record(NESTED);
        nested.put("x", -7);
        final GenericData.Record other = new GenericData.Record(NESTED);
        other.put("x", 300_000);
        final GenericData.Record record = new GenericData.Record(EVERYTHING);
        record.put("flag", true);
        record.put("minInt", Integer.MIN_VALUE);
        record.put("maxInt", Integer.MAX_VALUE);
        record.put("minLong", Long.MIN_VALUE);
        record.put("maxLong", Long.MAX_VALUE);
        record.put("real", -1.5f);
        record.put("precise", Math.PI);
        record.put("text", new Utf8("grüße, 🛒"));
        record.put("blob", ByteBuffer.wrap(new byte[] {0, 1, (byte) 0xFF}));
        record.put("code", new GenericData.Fixed(EVERYTHING.getField("code").schema(), new byte[] {9, 8, 7}));
        record.put("colour", new GenericData.EnumSymbol(EVERYTHING.getField("colour").schema(), "GREEN"));
        record.put("numbers", new GenericData.Array<>(EVERYTHING.getField("numbers").schema(), List.of(1, -2, 1 << 20)));
        record.put("labels", Map.of(new Utf8("a"), new Utf8("x"), new Utf8("b"), new Utf8("")));
        record.put("maybe", new Utf8("present"));
        record.put("nested", nested);
        record.put("nestedList", new GenericData.Array<>(EVERYTHING.getField("nestedList").schema(), List.of(nested, other)));
        record.put("tail", new Utf8("the end"));
        return record;
    }

    private static byte[] encode(final GenericRecord record, final boolean blocking) throws IOException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final BinaryEncoder encoder = blocking
                ? new EncoderFactory().configureBlockSize(64).blockingBinaryEncoder(out, null)
                : EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
