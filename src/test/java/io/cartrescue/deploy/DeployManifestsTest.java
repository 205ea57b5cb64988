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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The files in {@code deploy/} parse, name only settings and topics that cart-rescue has, and the StatefulSet runs
 * the container image that the {@code image} profile of pom.xml builds, as that image's user and with its paths.
 */
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

    /** The configuration of the jib-maven-plugin in the {@code image} profile, with its properties resolved. */
    private record ImageSettings(Map<String, String> properties, Element jib) {
        static ImageSettings fromPom() throws Exception {
            final Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(Path.of("pom.xml").toFile()).getDocumentElement();
            final Map<String, String> properties = new HashMap<>();
            properties.put("project.version", child(project, "version").getTextContent().strip());
            properties.put("project.name", child(project, "name").getTextContent().strip());
            for (final Element profile : children(child(project, "profiles"), "profile")) {
                if ("image".equals(child(profile, "id").getTextContent().strip())) {
                    for (final Element property : children(child(profile, "properties"), null)) {
                        properties.put(property.getTagName(), property.getTextContent().strip());
                    }
                    for (final Element plugin : children(child(child(profile, "build"), "plugins"), "plugin")) {
                        if ("jib-maven-plugin".equals(child(plugin, "artifactId").getTextContent().strip())) {
                            return new ImageSettings(properties, child(plugin, "configuration"));
                        }
                    }
                }
            }
            throw new AssertionError("pom.xml has no profile 'image' with the jib-maven-plugin");
        }

        /** The text at a path of elements below the plugin configuration, with ${...} replaced. */
        String value(final String... path) {
            Element element = jib;
            for (final String name : path) {
                element = child(element, name);
            }
            return resolve(element.getTextContent().strip());
        }

        List<String> values(final String... path) {
            Element element = jib;
            for (final String name : path) {
                element = child(element, name);
            }
            return children(element, null).stream().map(e -> resolve(e.getTextContent().strip())).toList();
        }

        String property(final String name) {
            return resolve("${" + name + "}");
        }

        private String resolve(final String text) {
            final Matcher matcher = Pattern.compile("\\$\\{([^}]+)}").matcher(text);
            final StringBuilder resolved = new StringBuilder();
            while (matcher.find()) {
                final String value = properties.get(matcher.group(1));
                assertThat(value).as("pom property " + matcher.group(1)).isNotNull();
                matcher.appendReplacement(resolved, Matcher.quoteReplacement(resolve(value)));
            }
            return matcher.appendTail(resolved).toString();
        }

        private static Element child(final Element parent, final String name) {
            final List<Element> found = children(parent, name);
            assertThat(found).as("<" + name + "> in <" + parent.getTagName() + ">").hasSize(1);
            return found.get(0);
        }

        private static List<Element> children(final Element parent, final String name) {
            final List<Element> found = new ArrayList<>();
            for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
                if (node instanceof Element element && (name == null || name.equals(element.getTagName()))) {
                    found.add(element);
                }
            }
            return found;
        }
    }

    private static JsonNode podSpec() throws IOException {
        return kind("StatefulSet").path("spec").path("template").path("spec");
    }

    private static JsonNode container() throws IOException {
        return podSpec().path("containers").get(0);
    }

    private static String mountPath(final String volume) throws IOException {
        for (final JsonNode mount : container().path("volumeMounts")) {
            if (volume.equals(mount.path("name").asText())) {
                return mount.path("mountPath").asText();
            }
        }
        throw new AssertionError("the container mounts no volume " + volume);
    }

    @Test
    void statefulSetRunsTheImageThatTheBuildMakes() throws Exception {
        final ImageSettings image = ImageSettings.fromPom();
        assertThat(image.value("to", "image")).isEqualTo(image.property("image.name") + ":" + image.property("project.version"));
        assertThat(container().path("image").asText()).isEqualTo(image.value("to", "image"));
        // The image's entrypoint (the JVM) stays; the StatefulSet only passes the command's arguments.
        assertThat(container().has("command")).as("StatefulSet overrides the image's entrypoint").isFalse();
        assertThat(container().path("args").get(0).asText()).isEqualTo(image.values("container", "args").get(0));
        assertThat(image.values("container", "entrypoint")).startsWith("/opt/java/bin/java")
                .contains("io.cartrescue.app.Main");
    }

    @Test
    void statefulSetRunsAsTheImagesNonRootUser() throws Exception {
        final ImageSettings image = ImageSettings.fromPom();
        final String uid = image.property("image.user");
        final String gid = image.property("image.group");
        assertThat(image.value("container", "user")).isEqualTo(uid + ":" + gid);
        assertThat(Integer.parseInt(uid)).isPositive();

        final JsonNode security = podSpec().path("securityContext");
        assertThat(security.path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(security.path("runAsUser").asText()).isEqualTo(uid);
        assertThat(security.path("runAsGroup").asText()).isEqualTo(gid);
        assertThat(security.path("fsGroup").asText()).as("fsGroup: the state volume is writable for the image's group")
                .isEqualTo(gid);

        final String home = image.property("image.state.dir");
        assertThat(Files.readAllLines(DEPLOY.resolve("image/rootfs/etc/passwd")))
                .contains("cart-rescue:x:" + uid + ":" + gid + ":cart-rescue:" + home + ":/sbin/nologin");
        assertThat(Files.readAllLines(DEPLOY.resolve("image/rootfs/etc/group"))).contains("cart-rescue:x:" + gid + ":");
    }

    @Test
    void stateVolumeTempDirectoryAndPortAgreeWithTheImage() throws Exception {
        final ImageSettings image = ImageSettings.fromPom();
        final String stateDir = image.property("image.state.dir");
        assertThat(image.values("container", "volumes")).containsExactly(stateDir);
        assertThat(image.value("container", "workingDirectory")).isEqualTo(stateDir);
        assertThat(kind("StatefulSet").path("spec").path("volumeClaimTemplates").get(0).path("metadata").path("name")
                .asText()).isEqualTo("state");
        assertThat(mountPath("state")).isEqualTo(stateDir);

        final Path properties = tmp.resolve("cart-rescue.properties");
        Files.writeString(properties, kind("ConfigMap").path("data").path("cart-rescue.properties").asText(),
                StandardCharsets.UTF_8);
        assertThat(AppConfig.load(Optional.of(properties), Map.of()).stateDir()).isEqualTo(Path.of(stateDir));

        // A read-only root file system needs a writable /tmp: RocksDB unpacks its JNI library there.
        assertThat(container().path("securityContext").path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(mountPath("tmp")).isEqualTo("/tmp");
        boolean tmpIsEmptyDir = false;
        for (final JsonNode volume : podSpec().path("volumes")) {
            tmpIsEmptyDir |= "tmp".equals(volume.path("name").asText()) && volume.has("emptyDir");
        }
        assertThat(tmpIsEmptyDir).as("the tmp volume is an emptyDir").isTrue();

        assertThat(image.values("container", "ports")).containsExactly(image.property("image.http.port"));
        assertThat(container().path("ports").get(0).path("containerPort").asText()).isEqualTo(image.property("image.http.port"));
    }
}
