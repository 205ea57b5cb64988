package io.cartrescue.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * Writes Avro records in their plain JSON form, the form the replay reads and writes: field names
 * and order as in the schema, {@code null} for an absent optional value, enum symbols as text, times
 * ({@code timestamp-millis}) as ISO-8601 UTC text, money ({@code decimal}) as a JSON number with its
 * two decimals. A union of several record types (an intervention's {@code offer}) is written as an
 * object with one member named after the record type, so a reader can tell the kinds apart.
 */
public final class AvroJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private AvroJson() {
    }

    /** The record as a JSON object. */
    public static ObjectNode toJson(final SpecificRecord record) {
        final ObjectNode node = NODES.objectNode();
        for (final Schema.Field field : record.getSchema().getFields()) {
            node.set(field.name(), value(record.get(field.pos()), field.schema()));
        }
        return node;
    }

    private static JsonNode value(final Object value, final Schema schema) {
        if (value == null) {
            return NODES.nullNode();
        }
        return switch (schema.getType()) {
            case UNION -> union(value, schema);
            case RECORD -> toJson((SpecificRecord) value);
            case ARRAY -> array((Collection<?>) value, schema.getElementType());
            case ENUM, STRING -> NODES.textNode(value.toString());
            case INT -> NODES.numberNode((Integer) value);
            case LONG -> value instanceof Instant instant ? NODES.textNode(instant.toString()) : NODES.numberNode((Long) value);
            case BOOLEAN -> NODES.booleanNode((Boolean) value);
            case BYTES, FIXED -> value instanceof BigDecimal amount ? NODES.numberNode(amount) : NODES.textNode(value.toString());
            case DOUBLE -> NODES.numberNode((Double) value);
            case FLOAT -> NODES.numberNode((Float) value);
            default -> NODES.textNode(value.toString());
        };
    }

    private static JsonNode union(final Object value, final Schema union) {
        final long branches = union.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).count();
        if (branches == 1) {
            final Schema branch = union.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).findFirst().orElseThrow();
            return value(value, branch);
        }
        if (value instanceof SpecificRecord record) {
            final ObjectNode wrapped = NODES.objectNode();
            wrapped.set(record.getSchema().getName(), toJson(record));
            return wrapped;
        }
        return NODES.textNode(value.toString());
    }

    private static ArrayNode array(final Collection<?> values, final Schema elementType) {
        final ArrayNode array = NODES.arrayNode();
        for (final Object v : values) {
            array.add(value(v, elementType));
        }
        return array;
    }
}
