package io.cartrescue.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Reads Avro records from their plain JSON form (see {@link AvroJson}): fields by name, optional
 * fields may be missing or {@code null}, members the schema does not know are ignored. Times are
 * ISO-8601 with an offset ({@code 2026-03-02T10:00:00Z}) or epoch milliseconds (number or digits);
 * money is a JSON number or a string, rounded half-even to the schema's two decimals.
 */
public final class JsonRecords {
    private static final ObjectMapper DEFAULTS = new ObjectMapper();
    /**
     * The non-null branches of each union schema met so far (schemas are few and immutable). Keyed by
     * identity: equal unions of different fields are different objects, and comparing them is slow.
     */
    private static final Map<Schema, List<Schema>> BRANCHES = Collections.synchronizedMap(new IdentityHashMap<>());

    private JsonRecords() {
    }

    /** The record of {@code type} that the JSON object describes. */
    public static <T extends SpecificRecord> T read(final JsonNode node, final Class<T> type) throws MalformedLineException {
        final Schema schema = SpecificData.get().getSchema(type);
        return type.cast(record(node, schema, ""));
    }

    /** An instant from ISO-8601 text with an offset, or from epoch milliseconds. */
    public static Instant instant(final JsonNode node, final String path) throws MalformedLineException {
        if (node.isIntegralNumber()) {
            return Instant.ofEpochMilli(node.asLong());
        }
        if (node.isTextual()) {
            return instant(node.asText(), path);
        }
        throw new MalformedLineException("invalid-time", path + ": " + node + " is neither ISO-8601 text nor epoch milliseconds");
    }

    /** An instant from ISO-8601 text with an offset, or from a string of epoch-millisecond digits. */
    public static Instant instant(final String text, final String path) throws MalformedLineException {
        final String t = text.trim();
        if (!t.isEmpty() && t.length() <= 15 && digits(t, 0, t.length())) {
            return Instant.ofEpochMilli(Long.parseLong(t));
        }
        final Instant utc = utc(t);
        if (utc != null) {
            return utc;
        }
        try {
            return OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new MalformedLineException("invalid-time", path + ": '" + shorten(t)
                    + "' is neither ISO-8601 with an offset (2026-03-02T10:00:00Z) nor epoch milliseconds");
        }
    }

    /**
     * The common form {@code yyyy-MM-ddTHH:mm:ss[.SSS]Z} without the general parser, which is the
     * replay reader's costliest step; null for any other form (left to the general parser) or an
     * invalid date.
     */
    private static Instant utc(final String t) {
        final int n = t.length();
        final boolean millis = n == 24 && t.charAt(19) == '.' && digits(t, 20, 23);
        if (!(n == 20 || millis) || t.charAt(n - 1) != 'Z' || t.charAt(4) != '-' || t.charAt(7) != '-'
                || t.charAt(10) != 'T' || t.charAt(13) != ':' || t.charAt(16) != ':'
                || !digits(t, 0, 4) || !digits(t, 5, 7) || !digits(t, 8, 10) || !digits(t, 11, 13)
                || !digits(t, 14, 16) || !digits(t, 17, 19)) {
            return null;
        }
        try {
            final long day = LocalDate.of(number(t, 0, 4), number(t, 5, 7), number(t, 8, 10)).toEpochDay();
            final int hour = number(t, 11, 13);
            final int minute = number(t, 14, 16);
            final int second = number(t, 17, 19);
            if (hour > 23 || minute > 59 || second > 59) {
                return null;
            }
            final long seconds = day * 86_400 + hour * 3_600L + minute * 60L + second;
            return Instant.ofEpochSecond(seconds, millis ? number(t, 20, 23) * 1_000_000L : 0);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static boolean digits(final String s, final int from, final int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static int number(final String s, final int from, final int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            value = value * 10 + s.charAt(i) - '0';
        }
        return value;
    }

    /** An amount with two decimals from a JSON number or numeric text. */
    public static BigDecimal amount(final String text, final String path) throws MalformedLineException {
        try {
            final BigDecimal value = new BigDecimal(text.trim()).setScale(2, RoundingMode.HALF_EVEN);
            if (value.precision() > 14) {
                throw new MalformedLineException("invalid-amount", path + ": " + shorten(text) + " has more than 14 digits");
            }
            return value;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new MalformedLineException("invalid-amount", path + ": '" + shorten(text) + "' is not an amount");
        }
    }

    private static Object record(final JsonNode node, final Schema schema, final String path) throws MalformedLineException {
        if (!node.isObject()) {
            throw new MalformedLineException("invalid-type", (path.isEmpty() ? "the line" : path) + " is not a JSON object");
        }
        final SpecificRecord record = (SpecificRecord) SpecificData.get().newRecord(null, schema);
        for (final Schema.Field field : schema.getFields()) {
            final String fieldPath = path.isEmpty() ? field.name() : path + "." + field.name();
            final JsonNode value = node.get(field.name());
            if (value == null || value.isNull() && !nullable(field.schema())) {
                record.put(field.pos(), missing(field, fieldPath));
            } else {
                record.put(field.pos(), value(value, field.schema(), fieldPath));
            }
        }
        return record;
    }

    static Object missing(final Schema.Field field, final String path) throws MalformedLineException {
        if (!field.hasDefaultValue()) {
            throw new MalformedLineException("missing-field", path + " is required");
        }
        final Object defaultValue = field.defaultVal();
        if (defaultValue == null || defaultValue == JsonProperties.NULL_VALUE) {
            return null;
        }
        return value(DEFAULTS.valueToTree(defaultValue), field.schema(), path);
    }

    private static Object value(final JsonNode node, final Schema schema, final String path) throws MalformedLineException {
        final LogicalType logical = schema.getLogicalType();
        if (logical instanceof LogicalTypes.TimestampMillis) {
            return instant(node, path);
        }
        if (logical instanceof LogicalTypes.Decimal) {
            if (!node.isNumber() && !node.isTextual()) {
                throw new MalformedLineException("invalid-amount", path + ": " + shorten(node.toString()) + " is not an amount");
            }
            return amount(node.asText(), path);
        }
        return switch (schema.getType()) {
            case NULL -> null;
            case UNION -> union(node, schema, path);
            case RECORD -> record(node, schema, path);
            case ENUM -> symbol(node, schema, path);
            case ARRAY -> array(node, schema.getElementType(), path);
            case STRING -> text(node, path);
            case INT -> integral(node, path, Integer.MIN_VALUE, Integer.MAX_VALUE).intValue();
            case LONG -> integral(node, path, Long.MIN_VALUE, Long.MAX_VALUE);
            case BOOLEAN -> bool(node, path);
            case DOUBLE -> number(node, path).doubleValue();
            case FLOAT -> number(node, path).floatValue();
            default -> throw new MalformedLineException("invalid-type", path + ": values of type " + schema.getType() + " are not read");
        };
    }

    private static Object union(final JsonNode node, final Schema union, final String path) throws MalformedLineException {
        if (node.isNull()) {
            return null;
        }
        final List<Schema> branches = BRANCHES.computeIfAbsent(union,
                u -> u.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).toList());
        if (branches.size() == 1) {
            return value(node, branches.get(0), path);
        }
        if (node.isObject() && node.size() == 1) {
            final String name = node.fieldNames().next();
            for (final Schema branch : branches) {
                if (branch.getName().equals(name)) {
                    return value(node.get(name), branch, path);
                }
            }
        }
        throw new MalformedLineException("invalid-type", path + ": expected an object with one member named after its type");
    }

    private static Object symbol(final JsonNode node, final Schema schema, final String path) throws MalformedLineException {
        final String symbol = text(node, path);
        if (!schema.hasEnumSymbol(symbol)) {
            throw new MalformedLineException("invalid-enum", path + ": '" + shorten(symbol) + "' is not one of " + schema.getEnumSymbols());
        }
        return SpecificData.get().createEnum(symbol, schema);
    }

    private static List<Object> array(final JsonNode node, final Schema elementType, final String path) throws MalformedLineException {
        if (!node.isArray()) {
            throw new MalformedLineException("invalid-type", path + " is not an array");
        }
        final List<Object> values = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            values.add(value(node.get(i), elementType, path + "[" + i + "]"));
        }
        return values;
    }

    private static String text(final JsonNode node, final String path) throws MalformedLineException {
        if (!node.isValueNode() || node.isNull()) {
            throw new MalformedLineException("invalid-type", path + " is not text");
        }
        return node.asText();
    }

    private static Long integral(final JsonNode node, final String path, final long min, final long max) throws MalformedLineException {
        final BigDecimal n = number(node, path);
        try {
            final long value = n.longValueExact();
            if (value < min || value > max) {
                throw new ArithmeticException();
            }
            return value;
        } catch (ArithmeticException e) {
            throw new MalformedLineException("invalid-type", path + ": " + shorten(node.asText()) + " is not a whole number in range");
        }
    }

    private static BigDecimal number(final JsonNode node, final String path) throws MalformedLineException {
        try {
            if (node.isNumber()) {
                return node.decimalValue();
            }
            if (node.isTextual()) {
                return new BigDecimal(node.asText().trim());
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new MalformedLineException("invalid-type", path + ": " + shorten(node.toString()) + " is not a number");
    }

    private static boolean bool(final JsonNode node, final String path) throws MalformedLineException {
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isTextual() && ("true".equalsIgnoreCase(node.asText()) || "false".equalsIgnoreCase(node.asText()))) {
            return Boolean.parseBoolean(node.asText());
        }
        throw new MalformedLineException("invalid-type", path + ": " + shorten(node.toString()) + " is not true or false");
    }

    private static boolean nullable(final Schema schema) {
        return schema.getType() == Schema.Type.NULL || schema.getType() == Schema.Type.UNION
                && schema.getIndexNamed(Schema.Type.NULL.getName()) != null;
    }

    static String shorten(final String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
