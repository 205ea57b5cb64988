package io.cartrescue.replay;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.DoubleNode;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificData.SchemaConstructable;
import org.apache.avro.specific.SpecificRecord;

/**
 * Reads Avro records of one schema straight from a Jackson parser's tokens, with no tree in between,
 * for records in the plain JSON form as writers produce it: every value of the type its field
 * declares (text as strings, whole numbers as numbers, money as numbers or strings, times as
 * ISO-8601 text or epoch milliseconds, nested records as objects), each member once. What it reads
 * is what {@link JsonRecords} reads from the same object. Anything else it does not judge — a value
 * of another type, a missing required field, a bad time or amount, a repeated member, invalid JSON
 * — it gives up on with {@link NotPlain}, and the caller reads the line with {@link JsonRecords},
 * which gives the verdict. How to read each field is worked out once, from the schema.
 */
final class JsonRecordReader {
    /** The input is not in the plain form: read it with {@link JsonRecords}. */
    static final class NotPlain extends Exception {
        private static final long serialVersionUID = 1L;

        private NotPlain() {
            super("not in the plain form", null, false, false);
        }
    }

    private static final NotPlain NOT_PLAIN = new NotPlain();

    /** How a field's value is read. */
    private enum Kind { STRING, INT, LONG, BOOLEAN, ENUM, TIME, DECIMAL, RECORD, TEXT, OTHER }

    private final RecordPlan root;

    /**
     * @param schema a record schema
     * @param text   top-level fields whose value is read from a string by a function of its own
     *               (null from it: not plain)
     */
    JsonRecordReader(final Schema schema, final Map<String, Function<String, Object>> text) {
        this.root = plan(schema, "", new IdentityHashMap<>(), text);
    }

    /** The record the parser's next value describes. */
    Object read(final JsonParser parser) throws IOException, NotPlain {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw NOT_PLAIN;
        }
        return root.read(parser);
    }

    /**
     * The plan of a record schema at {@code path} ("" for the top level, which alone has the text
     * fields). A schema met again below (a named record used twice, a recursive one) shares its plan.
     */
    private static RecordPlan plan(final Schema schema, final String path, final Map<Schema, RecordPlan> plans,
                                   final Map<String, Function<String, Object>> text) {
        final RecordPlan known = path.isEmpty() ? null : plans.get(schema);
        if (known != null) {
            return known;
        }
        final RecordPlan plan = new RecordPlan(schema, constructor(schema));
        if (!path.isEmpty()) {
            plans.put(schema, plan);
        }
        final List<Schema.Field> fields = schema.getFields();
        plan.fields = new FieldPlan[fields.size()];
        for (final Schema.Field field : fields) {
            final String fieldPath = path.isEmpty() ? field.name() : path + "." + field.name();
            final FieldPlan f = new FieldPlan(field, fieldPath);
            final Schema valueSchema = nonNull(field.schema());
            f.nullable = field.schema().getType() == Schema.Type.NULL || field.schema().getType() == Schema.Type.UNION
                    && field.schema().getIndexNamed(Schema.Type.NULL.getName()) != null;
            f.kind = valueSchema == null ? Kind.OTHER : kind(valueSchema);
            if (path.isEmpty() && text.containsKey(field.name())) {
                f.kind = Kind.TEXT;
                f.text = text.get(field.name());
            } else if (f.kind == Kind.ENUM) {
                f.symbols = new HashMap<>();
                for (final String symbol : valueSchema.getEnumSymbols()) {
                    f.symbols.put(symbol, SpecificData.get().createEnum(symbol, valueSchema));
                }
            } else if (f.kind == Kind.RECORD) {
                f.record = plan(valueSchema, fieldPath, plans, Map.of());
            }
            try {
                final Object value = JsonRecords.missing(field, fieldPath);
                f.defaultFixed = value == null || value instanceof String || value instanceof Number
                        || value instanceof Boolean || value instanceof Enum || value instanceof GenericEnumSymbol
                        || value instanceof Instant;
                f.defaultValue = f.defaultFixed ? value : null;
            } catch (MalformedLineException e) {
                f.required = true;
            }
            plan.fields[field.pos()] = f;
            plan.byName.put(field.name(), f);
        }
        plan.readable = fields.size() <= Long.SIZE;
        plan.all = fields.size() == Long.SIZE ? -1L : (1L << fields.size()) - 1;
        return plan;
    }

    /**
     * The no-argument constructor of the schema's specific record class, as
     * {@link SpecificData#newRecord} would call it; null where that would do anything else.
     */
    private static MethodHandle constructor(final Schema schema) {
        final Class<?> type = SpecificData.get().getClass(schema);
        if (type == null || !SpecificRecord.class.isAssignableFrom(type) || SchemaConstructable.class.isAssignableFrom(type)) {
            return null;
        }
        try {
            return MethodHandles.publicLookup().findConstructor(type, MethodType.methodType(void.class))
                    .asType(MethodType.methodType(Object.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null;
        }
    }

    /** The schema a value is read with: the schema itself, or a union's only branch that is not null (null: none or several). */
    private static Schema nonNull(final Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        Schema branch = null;
        for (final Schema s : schema.getTypes()) {
            if (s.getType() != Schema.Type.NULL) {
                if (branch != null) {
                    return null;
                }
                branch = s;
            }
        }
        return branch;
    }

    private static Kind kind(final Schema schema) {
        final LogicalType logical = schema.getLogicalType();
        if (logical instanceof LogicalTypes.TimestampMillis) {
            return Kind.TIME;
        }
        if (logical instanceof LogicalTypes.Decimal) {
            return Kind.DECIMAL;
        }
        return switch (schema.getType()) {
            case STRING -> Kind.STRING;
            case INT -> Kind.INT;
            case LONG -> Kind.LONG;
            case BOOLEAN -> Kind.BOOLEAN;
            case ENUM -> Kind.ENUM;
            case RECORD -> Kind.RECORD;
            default -> Kind.OTHER;
        };
    }

    /** How to read one record schema: its fields by name. */
    private static final class RecordPlan {
        private final Schema schema;
        private final MethodHandle constructor;
        private final Map<String, FieldPlan> byName = new HashMap<>();
        private FieldPlan[] fields;
        /** At most 64 fields, one bit each in {@link #all}. */
        private boolean readable;
        private long all;

        RecordPlan(final Schema schema, final MethodHandle constructor) {
            this.schema = schema;
            this.constructor = constructor;
        }

        private SpecificRecord newRecord() {
            if (constructor == null) {
                return (SpecificRecord) SpecificData.get().newRecord(null, schema);
            }
            try {
                return (SpecificRecord) (Object) constructor.invokeExact();
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException("cannot make a " + schema.getFullName(), e);
            }
        }

        /**
         * The record of the object whose START_OBJECT is the parser's current token. Members are
         * expected in the schema's order (as writers write them), which the parser checks without
         * looking the name up; any other order is read as well.
         */
        Object read(final JsonParser parser) throws IOException, NotPlain {
            if (!readable) {
                throw NOT_PLAIN;
            }
            final SpecificRecord record = newRecord();
            long seen = 0;
            int next = 0;
            while (true) {
                final FieldPlan field;
                if (next < fields.length && parser.nextFieldName(fields[next].name)) {
                    field = fields[next];
                } else if ((next < fields.length ? parser.currentToken() : parser.nextToken()) == JsonToken.FIELD_NAME) {
                    field = byName.get(parser.currentName());
                } else {
                    break;
                }
                final JsonToken token = parser.nextToken();
                if (field == null) {
                    parser.skipChildren();
                    continue;
                }
                next = field.pos + 1;
                final long bit = 1L << field.pos;
                if ((seen & bit) != 0) {
                    throw NOT_PLAIN;
                }
                seen |= bit;
                if (token == JsonToken.VALUE_NULL) {
                    if (field.nullable) {
                        record.put(field.pos, null);
                    } else {
                        record.put(field.pos, field.missing());
                    }
                } else {
                    record.put(field.pos, field.value(parser, token));
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT) {
                throw NOT_PLAIN;
            }
            if (seen != all) {
                for (final FieldPlan field : fields) {
                    if ((seen & 1L << field.pos) == 0) {
                        record.put(field.pos, field.missing());
                    }
                }
            }
            return record;
        }
    }

    /** How to read one field. */
    private static final class FieldPlan {
        private final Schema.Field field;
        private final SerializableString name;
        private final String path;
        private final int pos;
        private Kind kind;
        private boolean nullable;
        private boolean required;
        /** The default is an immutable value, worked out once: {@link #defaultValue}. */
        private boolean defaultFixed;
        private Object defaultValue;
        private Map<String, Object> symbols;
        private RecordPlan record;
        private Function<String, Object> text;

        FieldPlan(final Schema.Field field, final String path) {
            this.field = field;
            this.name = new SerializedString(field.name());
            this.path = path;
            this.pos = field.pos();
        }

        /** The value of a field that is missing, or null where it may not be. */
        Object missing() throws NotPlain {
            if (required) {
                throw NOT_PLAIN;
            }
            if (defaultFixed) {
                return defaultValue;
            }
            try {
                return JsonRecords.missing(field, path);
            } catch (MalformedLineException e) {
                throw NOT_PLAIN;
            }
        }

        /** The value whose first token, not null, is the parser's current token. */
        Object value(final JsonParser parser, final JsonToken token) throws IOException, NotPlain {
            try {
                switch (kind) {
                    case STRING:
                        if (token == JsonToken.VALUE_STRING) {
                            return parser.getText();
                        }
                        break;
                    case TEXT:
                        if (token == JsonToken.VALUE_STRING) {
                            final Object value = text.apply(parser.getText());
                            if (value != null) {
                                return value;
                            }
                        }
                        break;
                    case ENUM:
                        if (token == JsonToken.VALUE_STRING) {
                            final Object value = symbols.get(parser.getText());
                            if (value != null) {
                                return value;
                            }
                        }
                        break;
                    case TIME:
                        if (token == JsonToken.VALUE_STRING) {
                            return JsonRecords.instant(parser.getText(), path);
                        }
                        if (token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                            return Instant.ofEpochMilli(parser.getLongValue());
                        }
                        break;
                    case DECIMAL:
                        return amount(parser, token);
                    case INT:
                        if (token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == JsonParser.NumberType.INT) {
                            return parser.getIntValue();
                        }
                        break;
                    case LONG:
                        if (token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                            return parser.getLongValue();
                        }
                        break;
                    case BOOLEAN:
                        if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
                            return token == JsonToken.VALUE_TRUE;
                        }
                        break;
                    case RECORD:
                        if (token == JsonToken.START_OBJECT) {
                            return record.read(parser);
                        }
                        break;
                    default:
                        break;
                }
            } catch (MalformedLineException e) {
                throw NOT_PLAIN;
            }
            throw NOT_PLAIN;
        }

        /**
         * An amount from a string or a number, a number taken as the text {@link JsonRecords} sees
         * for it: a whole number as written, any other as the text of the double it is read as.
         */
        private BigDecimal amount(final JsonParser parser, final JsonToken token) throws IOException, NotPlain, MalformedLineException {
            final String text;
            if (token == JsonToken.VALUE_STRING) {
                text = parser.getText();
            } else if (token == JsonToken.VALUE_NUMBER_FLOAT) {
                text = DoubleNode.valueOf(parser.getDoubleValue()).asText();
            } else if (token == JsonToken.VALUE_NUMBER_INT) {
                text = switch (parser.getNumberType()) {
                    case INT -> Integer.toString(parser.getIntValue());
                    case LONG -> Long.toString(parser.getLongValue());
                    default -> parser.getBigIntegerValue().toString();
                };
            } else {
                throw NOT_PLAIN;
            }
            return JsonRecords.amount(text, path);
        }
    }
}
