package io.cartrescue.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Files and environments for configuration tests. */
final class ConfigFixtures {
    static final String REGISTRY_URL = "http://registry:8080/apis/ccompat/v7";

    private ConfigFixtures() {
    }

    /** The least an environment must set for loading to succeed. */
    static Map<String, String> minimalEnv() {
        return Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092", "CART_RESCUE_SCHEMA_REGISTRY_URL", REGISTRY_URL);
    }

    static Map<String, String> minimalEnvWith(final String... nameValuePairs) {
        final Map<String, String> env = new HashMap<>(minimalEnv());
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            env.put(nameValuePairs[i], nameValuePairs[i + 1]);
        }
        return Map.copyOf(env);
    }

    static Path file(final Path dir, final String... lines) {
        final Path file = dir.resolve("cart-rescue.properties");
        try {
            Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
