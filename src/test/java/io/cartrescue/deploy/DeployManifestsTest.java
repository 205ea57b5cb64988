package io.cartrescue.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.cartrescue.config.AppConfig;
import io.cartrescue.topology.TopicNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files in {@code deploy/} parse, and name only settings and topics that cart-rescue has. */
class DeployManifestsTest {
    private static final Path DEPLOY = Path.of("deploy");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> TOPICS = topicNames();

    @TempDir
    Path tmp;

    private static Set<String> topicNames() {
        final TopicNames names = TopicNames.defaults();
        final Set<String> all = new HashSet<>(names.inputs());
        all.addAll(names.outputs());
        return all;
    }

    private static List<JsonNode> documents(final Path file) throws IOException {
        final List<JsonNode> docs = new ArrayList<>();
        try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile())) {
            while (it.hasNext()) {
                docs.add(it.next());
            }
        }
        return docs;
    }

    private static JsonNode kind(final String kind) throws IOException {
        try (var files = Files.list(DEPLOY.resolve("kubernetes"))) {
            for (final Path file : files.toList()) {
                for (final JsonNode doc : documents(file)) {
                    if (kind.equals(doc.path("kind").asText())) {
                        return doc;
                    }
                }
            }
        }
        throw new AssertionError("no " + kind + " in deploy/kubernetes");
    }

    @Test
    void everyManifestParsesAndHasAKindAndAName() throws IOException {
        try (var files = Files.list(DEPLOY.resolve("kubernetes"))) {
            for (final Path file : files.toList()) {
                for (final JsonNode doc : documents(file)) {
                    assertThat(doc.path("kind").asText()).as(file + " kind").isNotBlank();
                    assertThat(doc.path("metadata").path("name").asText()).as(file + " name").isNotBlank();
                }
            }
        }
    }

    @Test
    void configMapAndEnvironmentOfTheStatefulSetAreValidSettings() throws IOException {
        final Path properties = tmp.resolve("cart-rescue.properties");
        Files.writeString(properties, kind("ConfigMap").path("data").path("cart-rescue.properties").asText(),
                StandardCharsets.UTF_8);
        final Map<String, String> env = new HashMap<>();
        for (final JsonNode var : kind("StatefulSet").path("spec").path("template").path("spec")
                .path("containers").get(0).path("env")) {
            env.put(var.path("name").asText(), var.has("value") ? var.path("value").asText() : "user:secret-from-a-secret");
        }
        assertThat(env).containsKeys("KAFKA_GROUP_INSTANCE_ID", "KAFKA_APPLICATION_SERVER", "KAFKA_SASL_JAAS_CONFIG");

        assertThatCode(() -> AppConfig.load(Optional.of(properties), env)).doesNotThrowAnyException();
    }

    @Test
    void probesUseTheHealthEndpointsOnTheConfiguredPort() throws IOException {
        final JsonNode container = kind("StatefulSet").path("spec").path("template").path("spec").path("containers").get(0);
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/health/ready");
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/health/live");
        assertThat(container.path("ports").get(0).path("containerPort").asInt())
                .isEqualTo((AppConfig.load(Optional.empty(), Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS", "k:9092", "CART_RESCUE_SCHEMA_REGISTRY_URL", "http://r:8081"))
                        .httpPort()));
    }

    @Test
    void strimziTopicsAreExactlyTheApplicationsTopics() throws IOException {
        final Set<String> declared = new HashSet<>();
        for (final JsonNode doc : documents(DEPLOY.resolve("topics").resolve("strimzi-topics.yaml"))) {
            declared.add(doc.path("metadata").path("name").asText());
            if (Set.of("customer.profiles", "chat.capacity").contains(doc.path("metadata").path("name").asText())) {
                assertThat(doc.path("spec").path("config").path("cleanup.policy").asText()).isEqualTo("compact");
            }
        }
        assertThat(declared).isEqualTo(TOPICS);
    }

    @Test
    void topicAndAclScriptsNameEveryTopic() throws IOException {
        final String topicsScript = Files.readString(DEPLOY.resolve("topics").resolve("create-topics.sh"));
        final String aclScript = Files.readString(DEPLOY.resolve("acls").resolve("create-acls.sh"));
        for (final String topic : TOPICS) {
            assertThat(topicsScript).as("create-topics.sh").contains(topic);
            assertThat(aclScript).as("create-acls.sh").contains(topic);
        }
        assertThat(aclScript).contains("--resource-pattern-type prefixed --topic \"$APP_ID-\"")
                .contains("--group \"$APP_ID\"").contains("--transactional-id \"$APP_ID-\"");
    }
}
