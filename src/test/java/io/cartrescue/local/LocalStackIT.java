package io.cartrescue.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStackIT {

    private static final String TOPIC = "local-stack-it";
    private static final String SCHEMA = "{\"type\":\"record\",\"name\":\"Ping\",\"namespace\":\"io.cartrescue.it\","
            + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}";
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path workDir;

    @Test
    void brokerAndRegistryWorkOnLoopbackAndLeaveNothingBehind() throws Exception {
        final LocalStack stack = LocalStack.start(workDir);
        final List<Integer> ports;
        final List<Long> pids = List.of(stack.kafka().pid(), stack.registry().pid());
        try {
            ports = List.of(stack.kafka().port(), stack.kafka().controllerPort(), stack.registry().port(),
                    stack.registry().managementPort());
            assertThat(stack.bootstrapServers()).isEqualTo("127.0.0.1:" + stack.kafka().port());
            assertThat(stack.registryUrl())
                    .isEqualTo("http://127.0.0.1:" + stack.registry().port() + "/apis/ccompat/v7");
            assertListensOnlyOnLoopback(stack.kafka().pid(), stack.kafka().port(), stack.kafka().controllerPort());
            assertListensOnlyOnLoopback(stack.registry().pid(), stack.registry().port(),
                    stack.registry().managementPort());

            stack.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1)));
            stack.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1)));

            produce(stack, "cart-1", "checkout stalled");
            assertThat(consumeOne(stack)).satisfies(record -> {
                assertThat(record.key()).isEqualTo("cart-1");
                assertThat(record.value()).isEqualTo("checkout stalled");
            });

            final int id = register(stack.registryUrl(), TOPIC + "-value", SCHEMA);
            assertThat(register(stack.registryUrl(), TOPIC + "-value", SCHEMA)).isEqualTo(id);
            final JsonNode byId = getJson(stack.registryUrl() + "/schemas/ids/" + id);
            assertThat(json.readTree(byId.path("schema").asText())).isEqualTo(json.readTree(SCHEMA));
        } finally {
            stack.close();
        }

        assertThat(pids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
                .isNotEqualTo(java.util.Optional.of(true)));
        assertThat(ports).allSatisfy(port -> assertThat(Ports.isFree(port)).as("port %d is free", port).isTrue());
    }

    private static void assertListensOnlyOnLoopback(final long pid, final Integer... expectedPorts)
            throws IOException {
        if (!ListeningSockets.supported()) {
            return;
        }
        final List<InetSocketAddress> listening = ListeningSockets.of(pid);
        assertThat(listening).extracting(InetSocketAddress::getPort).contains(expectedPorts);
        assertThat(listening).allSatisfy(address ->
                assertThat(address.getAddress().isLoopbackAddress()).as("%s is on loopback", address).isTrue());
    }

    private static void produce(final LocalStack stack, final String key, final String value) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(TOPIC, key, value)).get();
        }
    }

    private static ConsumerRecord<String, String> consumeOne(final LocalStack stack) {
        final List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "local-stack-it",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            await().atMost(Duration.ofSeconds(60)).pollInSameThread().until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                return !received.isEmpty();
            });
        }
        assertThat(received).hasSize(1);
        return received.get(0);
    }

    private int register(final String registryUrl, final String subject, final String schema) throws Exception {
        final String body = json.writeValueAsString(Map.of("schemaType", "AVRO", "schema", schema));
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create(registryUrl + "/subjects/" + subject + "/versions"))
                .header("Content-Type", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body()).path("id").asInt();
    }

    private JsonNode getJson(final String url) throws Exception {
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }
}
