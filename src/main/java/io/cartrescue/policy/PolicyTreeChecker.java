package io.cartrescue.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a merged policy tree against the shape of {@link Policy} before it is bound: every key is
 * known (a misspelling gets the closest valid key), every value has the right kind, every enum
 * name exists and every number is inside its {@link PolicyRanges range}. Collects all problems.
 */
final class PolicyTreeChecker {
    /** Rung settings that may be left out; everything else must be present. */
    private static final Set<String> OPTIONAL = Set.of(
            "arbitration.ladders.*[].minCartValue", "arbitration.ladders.*[].maxCartValue",
            "arbitration.ladders.*[].tiers", "arbitration.ladders.*[].devices", "arbitration.ladders.*[].consent");
    private static final String NOT_AN_OPTION = "UNKNOWN";

    private final List<PolicyError> errors = new ArrayList<>();

    private PolicyTreeChecker() {
    }

    static List<PolicyError> check(final JsonNode root) {
        final PolicyTreeChecker checker = new PolicyTreeChecker();
        checker.value(root, Policy.class, "", "");
        return List.copyOf(checker.errors);
    }

    private void value(final JsonNode node, final Type type, final String path, final String pattern) {
        final Class<?> raw = raw(type);
        if (node == null || node.isNull()) {
            if (!OPTIONAL.contains(pattern)) {
                error(path, "has no value", describe(raw), "give it a value");
            }
        } else if (raw.isRecord()) {
            record(node, raw, path, pattern);
        } else if (Map.class.isAssignableFrom(raw)) {
            map(node, (ParameterizedType) type, path, pattern);
        } else if (List.class.isAssignableFrom(raw)) {
            list(node, ((ParameterizedType) type).getActualTypeArguments()[0], path, pattern);
        } else if (raw.isEnum()) {
            enumName(node, raw, path);
        } else if (raw == String.class) {
            expect(node.isTextual(), node, path, "text", "write it as text in quotes");
        } else if (raw == boolean.class || raw == Boolean.class) {
            expect(node.isBoolean(), node, path, "true or false", "write true or false");
        } else {
            number(node, path, pattern);
        }
    }

    private void record(final JsonNode node, final Class<?> type, final String path, final String pattern) {
        if (!expect(node.isObject(), node, path, "a map of " + names(type), "write it as a map of keys")) {
            return;
        }
        final Map<String, RecordComponent> components = Arrays.stream(type.getRecordComponents())
                .collect(Collectors.toMap(RecordComponent::getName, c -> c));
        for (final Map.Entry<String, JsonNode> field : node.properties()) {
            final RecordComponent component = components.get(field.getKey());
            if (component == null) {
                unknownKey(path, field.getKey(), components.keySet());
            } else {
                value(field.getValue(), component.getGenericType(), join(path, field.getKey()), join(pattern, field.getKey()));
            }
        }
        components.keySet().stream().filter(name -> !node.has(name))
                .filter(name -> !OPTIONAL.contains(join(pattern, name)))
                .sorted()
                .forEach(name -> error(join(path, name), "is missing", describe(raw(components.get(name).getGenericType())),
                        "add " + join(path, name)));
    }

    private void map(final JsonNode node, final ParameterizedType type, final String path, final String pattern) {
        if (!expect(node.isObject(), node, path, "a map", "write it as a map of keys")) {
            return;
        }
        final Class<?> keyType = raw(type.getActualTypeArguments()[0]);
        for (final Map.Entry<String, JsonNode> field : node.properties()) {
            if (mapKey(field.getKey(), keyType, path, pattern)) {
                value(field.getValue(), type.getActualTypeArguments()[1], join(path, field.getKey()), join(pattern, "*"));
            }
        }
    }

    private boolean mapKey(final String key, final Class<?> keyType, final String path, final String pattern) {
        if (keyType.isEnum()) {
            final List<String> options = options(keyType);
            if (!options.contains(key)) {
                unknownKey(path, key, options);
                return false;
            }
        } else if (keyType == Integer.class) {
            final PolicyRanges.Range range = PolicyRanges.ofKey(pattern)
                    .orElseThrow(() -> new IllegalStateException("no key range for " + pattern));
            if (!key.matches("-?\\d{1,9}") || !range.contains(new BigDecimal(key))) {
                error(join(path, key), "is not a valid key", range.allowed(), range.fix());
                return false;
            }
        }
        return true;
    }

    private void list(final JsonNode node, final Type element, final String path, final String pattern) {
        if (!expect(node.isArray(), node, path, "a list", "write it as a list, e.g. [a, b]")) {
            return;
        }
        for (int i = 0; i < node.size(); i++) {
            value(node.get(i), element, path + "[" + i + "]", pattern + "[]");
        }
    }

    private void enumName(final JsonNode node, final Class<?> type, final String path) {
        final List<String> options = options(type);
        if (node.isTextual() && options.contains(node.asText())) {
            return;
        }
        final String found = node.isTextual() ? node.asText() : node.toString();
        error(path, "'" + found + "' is not a valid name", String.join(", ", options),
                KeySuggester.closest(found, options).map(s -> "did you mean '" + s + "'?").orElse("use one of the allowed names"));
    }

    private void number(final JsonNode node, final String path, final String pattern) {
        final PolicyRanges.Range range = PolicyRanges.ofValue(pattern).orElse(null);
        if (range == null) {
            error(path, "has no allowed range", "none defined", "report this: every number needs a range");
            return;
        }
        if (!node.isNumber()) {
            error(path, "'" + node.asText() + "' is not a number", range.allowed(), range.fix());
            return;
        }
        final BigDecimal value = node.decimalValue();
        final int scale = value.stripTrailingZeros().scale();
        if (range.whole() && scale > 0 || !range.whole() && scale > 2 || !range.contains(value)) {
            error(path, value.toPlainString() + " is out of range", range.allowed(), range.fix());
        }
    }

    private void unknownKey(final String path, final String key, final java.util.Collection<String> valid) {
        final String fix = KeySuggester.closest(key, valid)
                .map(s -> "did you mean '" + join(path, s) + "'?")
                .orElse("remove it or use one of the allowed keys");
        error(join(path, key), "unknown key", String.join(", ", valid.stream().sorted().toList()), fix);
    }

    private boolean expect(final boolean ok, final JsonNode node, final String path, final String allowed, final String fix) {
        if (!ok) {
            error(path, "'" + node.toString() + "' has the wrong kind", allowed, fix);
        }
        return ok;
    }

    private void error(final String path, final String problem, final String allowed, final String fix) {
        errors.add(new PolicyError(path.isEmpty() ? "(top level)" : path, problem, allowed, fix));
    }

    private static List<String> options(final Class<?> enumType) {
        return Arrays.stream(enumType.getEnumConstants()).map(c -> ((Enum<?>) c).name())
                .filter(name -> !NOT_AN_OPTION.equals(name)).toList();
    }

    private static String names(final Class<?> recordType) {
        return Arrays.stream(recordType.getRecordComponents()).map(RecordComponent::getName).collect(Collectors.joining(", "));
    }

    private static String describe(final Class<?> type) {
        if (type.isRecord()) {
            return "a map of " + names(type);
        }
        if (type.isEnum()) {
            return String.join(", ", options(type));
        }
        return type == String.class ? "text" : List.class.isAssignableFrom(type) ? "a list"
                : Map.class.isAssignableFrom(type) ? "a map" : "a number";
    }

    private static Class<?> raw(final Type type) {
        return type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
    }

    private static String join(final String path, final String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
