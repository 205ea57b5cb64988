package io.cartrescue.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cartrescue.schema.StorefrontEvent;
import io.cartrescue.serde.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * A storefront that has moved to a newer version of the event schema: the same fields plus one
 * optional field ({@value #FIELD}), a change the registry accepts as backward compatible. Writes
 * the Confluent wire format with the newer schema's id.
 */
final class NewerWriter {
    static final String FIELD = "storefrontRelease";

    private final Schema schema;
    private final int id;

    private NewerWriter(final Schema schema, final int id) {
        this.schema = schema;
        this.id = id;
    }

    static NewerWriter register(final SchemaRegistryClient registry, final String subject) {
        final Schema newer = newerSchema();
        return new NewerWriter(newer, registry.register(subject, newer));
    }

    static Schema newerSchema() {
        try {
            final ObjectMapper json = new ObjectMapper();
            final ObjectNode schema = (ObjectNode) json.readTree(StorefrontEvent.getClassSchema().toString());
            final ObjectNode field = ((ArrayNode) schema.get("fields")).addObject();
            field.put("name", FIELD);
            field.putArray("type").add("null").add("string");
            field.putNull("default");
            field.put("doc", "The storefront build that sent the event.");
            return new Schema.Parser().parse(json.writeValueAsString(schema));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int id() {
        return id;
    }

    byte[] write(final StorefrontEvent event) {
        try {
            final ByteArrayOutputStream current = new ByteArrayOutputStream();
            final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(current, null);
            new SpecificDatumWriter<StorefrontEvent>(StorefrontEvent.getClassSchema()).write(event, encoder);
            encoder.flush();
            final GenericRecord record = new GenericDatumReader<GenericRecord>(StorefrontEvent.getClassSchema(), schema,
                    GenericData.get()).read(null, DecoderFactory.get().binaryDecoder(current.toByteArray(), null));
            record.put(FIELD, "2026.11.2");
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(0);
            out.write(ByteBuffer.allocate(Integer.BYTES).putInt(id).array());
            final BinaryEncoder newer = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(schema, GenericData.get()).write(record, newer);
            newer.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
