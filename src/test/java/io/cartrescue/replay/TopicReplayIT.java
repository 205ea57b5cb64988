package io.cartrescue.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cartrescue.app.Main;
import io.cartrescue.local.LocalStack;
import io.cartrescue.schema.StorefrontEvent;
import io.cartrescue.serde.ConfluentAvroSerde;
import io.cartrescue.serde.SchemaRegistryClient;
import io.cartrescue.serde.SchemaRegistrySettings;
import io.cartrescue.serde.SerdeSettings;
import io.cartrescue.testing.LocalStackExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replay of a recorded topic on a real broker and registry: the same events give the same
 * decisions, interventions and outcomes as from a file; a value that cannot be decoded is reported
 * with its partition and offset; a time range leaves out what lies outside it.
 */
@ExtendWith(LocalStackExtension.class)
class TopicReplayIT {
    private static final String TOPIC = "replay-it.events";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void recordedTopicReplaysLikeTheSameEventsFromAFile(final LocalStack stack) throws Exception {
        // Given: shoppers' events on a topic of three partitions (keyed by session), and the same events in a file.
        // A recorded topic kept for analysis keeps its records: the events are stamped months in the past, and
        // with the broker's default 7-day retention they would be deleted at its next retention check.
        stack.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1).configs(Map.of("retention.ms", "-1"))));
        final List<StorefrontEvent> events = events();
        final Path file = dir.resolve("events.jsonl");
        final StringBuilder lines = new StringBuilder();
        for (final StorefrontEvent e : events) {
            lines.append(ReplayFiles.jsonLine(e)).append('\n');
        }
        Files.writeString(file, lines);
        publish(stack, events);

        // When
        final int fromTopic = replayTopic(stack, dir.resolve("topic"));
        final int fromFile = Main.commandLine().execute("replay", "--input", file.toString(), "--out",
                dir.resolve("file").toString(), "--flush-at-end");
        final int ranged = replayTopic(stack, dir.resolve("ranged"), "--to-time", events.get(4).getEventTime().toString());

        // Then
        assertThat(fromTopic).isZero();
        assertThat(fromFile).isZero();
        for (final String name : List.of("decisions.jsonl", "interventions.jsonl", "outcomes.jsonl")) {
            assertThat(Files.readString(dir.resolve("topic").resolve(name))).as(name)
                    .isNotEmpty().isEqualTo(Files.readString(dir.resolve("file").resolve(name)));
        }
        final List<String> dead = Files.readAllLines(dir.resolve("topic").resolve("dead-letters.jsonl"));
        assertThat(dead).singleElement().satisfies(line -> {
            final JsonNode d = JSON.readTree(line);
            assertThat(d.get("stage").asText()).isEqualTo("read");
            assertThat(d.get("reason").asText()).isEqualTo("malformed");
            assertThat(d.get("topic").asText()).startsWith(TOPIC + "-");
            assertThat(d.get("offset").isNumber()).isTrue();
        });
        assertThat(summary(dir.resolve("topic")).at("/input/events").asInt()).isEqualTo(events.size());
        assertThat(summary(dir.resolve("topic")).at("/input/source").asText()).isEqualTo("topic:" + TOPIC);
        assertThat(ranged).isZero();
        assertThat(summary(dir.resolve("ranged")).at("/input/events").asInt()).isEqualTo(4);
    }

    private int replayTopic(final LocalStack stack, final Path out, final String... range) {
        final List<String> args = new ArrayList<>(List.of("replay", "--topic", TOPIC, "--bootstrap-servers", stack.bootstrapServers(),
                "--schema-registry-url", stack.registryUrl(), "--out", out.toString(), "--flush-at-end"));
        args.addAll(List.of(range));
        return Main.commandLine().execute(args.toArray(String[]::new));
    }

    private static List<StorefrontEvent> events() throws MalformedLineException {
        final String text = new ReplayInput()
                .paymentTrouble("s-1", "c-1", 0, 2)
                .paymentTrouble("s-2", "c-2", 3, 3)
                .paymentTrouble("s-3", "c-3", 7, 1)
                .event("s-4", "c-4", 41, "Product Added", "\"product\":{\"productId\":\"p\",\"price\":35},"
                        + "\"cart\":{\"value\":35,\"currency\":\"EUR\",\"itemCount\":1}")
                .event("s-4", "c-4", 52, "Coupon Denied", "\"coupon\":{\"code\":\"X\"}")
                .event("s-1", "c-1", 95, "Order Completed", "\"order\":{\"orderId\":\"o-1\",\"total\":40,\"currency\":\"EUR\"}")
                .text();
        final JsonEventParser parser = new JsonEventParser();
        final List<StorefrontEvent> events = new ArrayList<>();
        for (final String line : text.split("\n")) {
            events.add(parser.parse(line).orElseThrow());
        }
        events.sort(Comparator.comparing(StorefrontEvent::getEventTime));
        return events;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void publish(final LocalStack stack, final List<StorefrontEvent> events) {
        final SchemaRegistryClient registry = new SchemaRegistryClient(SchemaRegistrySettings.builder(stack.registryUrl()).build());
        final ConfluentAvroSerde serde = new ConfluentAvroSerde(org.apache.avro.specific.SpecificRecordBase.class, registry,
                SerdeSettings.forValues());
        final Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 0);
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(config, new StringSerializer(), serde.serializer());
             KafkaProducer<String, byte[]> raw = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            for (final StorefrontEvent e : events) {
                producer.send(new ProducerRecord<>(TOPIC, null, e.getEventTime().toEpochMilli(), e.getSessionId(), e));
            }
            producer.flush();
            final long last = events.get(events.size() - 1).getEventTime().toEpochMilli();
            raw.send(new ProducerRecord<>(TOPIC, 0, last + 1, "s-x", "not avro".getBytes(StandardCharsets.UTF_8)));
            raw.flush();
        }
    }

    private static JsonNode summary(final Path out) throws IOException {
        return JSON.readTree(out.resolve("summary.json").toFile());
    }
}
