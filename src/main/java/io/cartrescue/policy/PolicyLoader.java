package io.cartrescue.policy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads a policy from YAML. */
public final class PolicyLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private PolicyLoader() {
    }

    /** The policy shipped with cart-rescue. */
    public static Policy defaults() {
        try (InputStream in = PolicyLoader.class.getResourceAsStream("/policy/default-policy.yaml")) {
            return YAML.readValue(in, Policy.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the built-in policy", e);
        }
    }
}
