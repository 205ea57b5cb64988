package io.cartrescue.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a policy from YAML. The built-in {@code default-policy.yaml} provides every value; a user
 * file is deep-merged over it (maps merge key by key, lists and values replace), then checked as a
 * whole: unknown keys, wrong kinds, numbers out of range and inconsistent settings are all
 * collected into one {@link PolicyException}.
 */
public final class PolicyLoader {
    private static final String BUILT_IN = "/policy/default-policy.yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private PolicyLoader() {
    }

    /** The policy shipped with cart-rescue. */
    public static Policy defaults() {
        try {
            return fromYaml("", "built-in");
        } catch (PolicyException e) {
            throw new IllegalStateException("the built-in policy is invalid: " + e.getMessage(), e);
        }
    }

    /** The policy of {@code cart-rescue demo}: the built-in one with time thresholds scaled for the demo's faster shoppers. */
    public static Policy demo() {
        try (java.io.InputStream in = PolicyLoader.class.getResourceAsStream("/policy/demo-policy.yaml")) {
            return fromYaml(new String(in.readAllBytes(), StandardCharsets.UTF_8), "built-in demo policy");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the built-in demo policy", e);
        }
    }

    /**
     * The built-in policy with the file merged over it.
     *
     * @throws PolicyException      listing every problem found
     * @throws UncheckedIOException when the file cannot be read
     */
    public static Policy load(final Path file) {
        try {
            return fromYaml(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read policy file " + file, e);
        }
    }

    /** The built-in policy with the YAML text merged over it; {@code source} names it in errors. */
    public static Policy fromYaml(final String yaml, final String source) {
        final JsonNode overrides = parse(yaml, source);
        final ObjectNode merged = (ObjectNode) builtIn().deepCopy();
        merge(merged, overrides);
        final List<PolicyError> errors = new ArrayList<>(PolicyTreeChecker.check(merged));
        if (!overrides.isEmpty() && !overrides.has("version")) {
            errors.add(new PolicyError("version", "is not set in " + source, "non-empty text",
                    "give the changed policy its own version, e.g. \"shop-2026-05-1\", so decisions show which rules made them"));
        }
        if (!errors.isEmpty()) {
            throw new PolicyException(source, errors);
        }
        final Policy policy = bind(merged, source);
        final List<PolicyError> semantic = PolicySemantics.check(policy);
        if (!semantic.isEmpty()) {
            throw new PolicyException(source, semantic);
        }
        return policy;
    }

    private static JsonNode builtIn() {
        try (InputStream in = PolicyLoader.class.getResourceAsStream(BUILT_IN)) {
            return YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the built-in policy", e);
        }
    }

    private static JsonNode parse(final String yaml, final String source) {
        final JsonNode tree;
        try {
            tree = yaml.isBlank() ? YAML.createObjectNode() : YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new PolicyException(source, List.of(new PolicyError("(file)", "is not valid YAML: " + e.getOriginalMessage()
                    + location(e), "YAML", "fix the syntax at that line")));
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            return YAML.createObjectNode();
        }
        if (!tree.isObject()) {
            throw new PolicyException(source, List.of(new PolicyError("(top level)", "is not a map", "a map with version, detection, arbitration",
                    "start the file with keys such as 'version:'")));
        }
        return tree;
    }

    private static String location(final JsonProcessingException e) {
        return e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }

    /** Deep merge: maps merge key by key; lists, values and nulls replace. */
    static void merge(final ObjectNode base, final JsonNode overrides) {
        for (final Map.Entry<String, JsonNode> field : overrides.properties()) {
            final JsonNode current = base.get(field.getKey());
            if (current != null && current.isObject() && field.getValue().isObject()) {
                merge((ObjectNode) current, field.getValue());
            } else {
                base.set(field.getKey(), field.getValue().deepCopy());
            }
        }
    }

    private static Policy bind(final JsonNode merged, final String source) {
        try {
            return YAML.treeToValue(merged, Policy.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new PolicyException(source, List.of(new PolicyError("(file)", "cannot be read as a policy: "
                    + e.getMessage(), "the keys in policy-reference.md", "correct the value named in the message")));
        }
    }
}
