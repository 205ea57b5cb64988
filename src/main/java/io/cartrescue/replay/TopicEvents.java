package io.cartrescue.replay;

import io.cartrescue.schema.StorefrontEvent;
import io.cartrescue.serde.ConfluentAvroDeserializer;
import io.cartrescue.serde.SchemaRegistryClient;
import io.cartrescue.serde.SchemaRegistrySettings;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Events from a range of a recorded topic, read with the replay's own consumer: partitions are
 * assigned, not subscribed, no consumer group is joined and no offset is committed, so the read
 * leaves no trace on the cluster. The range is fixed when the source opens (by offsets, by times,
 * or up to the end offsets at that moment), so the replay ends. Records of all partitions are
 * merged by record time (then partition), the order in which a replay on one task sees them.
 * A value that cannot be decoded is reported as {@code malformed} with its partition and offset.
 */
public final class TopicEvents implements EventSource {
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration STALL = Duration.ofSeconds(60);
    /** A partition this far ahead of the slowest one is paused, so memory stays bounded. */
    private static final int MAX_BUFFERED = 10_000;

    private final Range range;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<StorefrontEvent> values;
    private final Map<TopicPartition, Long> ends = new HashMap<>();
    private final Map<TopicPartition, ArrayDeque<ConsumerRecord<byte[], byte[]>>> buffered = new TreeMap<>(
            Comparator.comparingInt(TopicPartition::partition));
    private final long total;
    private long read;

    /**
     * A range of a topic.
     *
     * @param topic      the topic
     * @param fromOffset first offset of each partition, or null
     * @param toOffset   last offset of each partition (inclusive), or null
     * @param fromTime   first record time, or null
     * @param toTime     records from this time on are left out, or null
     */
    public record Range(String topic, Long fromOffset, Long toOffset, Instant fromTime, Instant toTime) {
        public Range {
            Objects.requireNonNull(topic, "topic");
        }
    }

    /**
     * The range as a replay source: records decoded from the Confluent wire format through the
     * schema registry at {@code registryUrl}; {@code consumerProperties} must name the bootstrap
     * servers and may carry security settings.
     */
    public static ReplaySource source(final Range range, final Properties consumerProperties, final String registryUrl) {
        return new ReplaySource() {
            @Override
            public EventSource open(final String currency) {
                final SchemaRegistryClient registry = new SchemaRegistryClient(SchemaRegistrySettings.builder(registryUrl).build());
                return new TopicEvents(range, consumerProperties, new ConfluentAvroDeserializer<>(StorefrontEvent.class, registry));
            }

            @Override
            public String name() {
                return "topic:" + range.topic();
            }

            @Override
            public String format() {
                return "topic";
            }
        };
    }

    /** Opens the range with a consumer of {@code consumerProperties} (bootstrap servers, security) and a value decoder. */
    public TopicEvents(final Range range, final Properties consumerProperties, final Deserializer<StorefrontEvent> values) {
        this.range = range;
        this.values = values;
        final Properties props = new Properties();
        props.putAll(consumerProperties);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        final List<TopicPartition> partitions = consumer.partitionsFor(range.topic(), Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).sorted(Comparator.comparingInt(TopicPartition::partition))
                .toList();
        if (partitions.isEmpty()) {
            consumer.close();
            throw new IllegalArgumentException("topic " + range.topic() + " has no partitions (does it exist?)");
        }
        consumer.assign(partitions);
        final Map<TopicPartition, Long> starts = starts(partitions);
        final Map<TopicPartition, Long> stops = stops(partitions);
        long size = 0;
        for (final TopicPartition tp : partitions) {
            final long start = starts.get(tp);
            final long end = stops.get(tp);
            if (start < end) {
                consumer.seek(tp, start);
                ends.put(tp, end);
                buffered.put(tp, new ArrayDeque<>());
                size += end - start;
            }
        }
        consumer.pause(partitions.stream().filter(tp -> !ends.containsKey(tp)).toList());
        total = size;
    }

    private Map<TopicPartition, Long> starts(final List<TopicPartition> partitions) {
        final Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions);
        final Map<TopicPartition, Long> starts = new HashMap<>(beginning);
        if (range.fromOffset() != null) {
            partitions.forEach(tp -> starts.put(tp, Math.max(beginning.get(tp), range.fromOffset())));
        }
        if (range.fromTime() != null) {
            final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            byTime(partitions, range.fromTime()).forEach((tp, offset) -> starts.put(tp, Math.max(starts.get(tp),
                    offset == null ? end.get(tp) : offset.offset())));
        }
        return starts;
    }

    private Map<TopicPartition, Long> stops(final List<TopicPartition> partitions) {
        final Map<TopicPartition, Long> stops = new HashMap<>(consumer.endOffsets(partitions));
        if (range.toOffset() != null) {
            partitions.forEach(tp -> stops.put(tp, Math.min(stops.get(tp), range.toOffset() + 1)));
        }
        if (range.toTime() != null) {
            byTime(partitions, range.toTime()).forEach((tp, offset) -> {
                if (offset != null) {
                    stops.put(tp, Math.min(stops.get(tp), offset.offset()));
                }
            });
        }
        return stops;
    }

    private Map<TopicPartition, OffsetAndTimestamp> byTime(final List<TopicPartition> partitions, final Instant time) {
        final Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, time.toEpochMilli()));
        return consumer.offsetsForTimes(query);
    }

    @Override
    public Item next() throws IOException {
        final long started = System.nanoTime();
        while (!buffered.isEmpty()) {
            if (buffered.values().stream().noneMatch(ArrayDeque::isEmpty)) {
                return item(earliest());
            }
            if (System.nanoTime() - started > STALL.toNanos()) {
                throw new IOException("no records from " + range.topic() + " partitions " + waitingFor() + " within "
                        + STALL.toSeconds() + " s, though their end offsets say there are more");
            }
            poll();
        }
        return null;
    }

    private void poll() throws IOException {
        try {
            for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                final TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                final Long end = ends.get(tp);
                if (end != null && record.offset() < end) {
                    buffered.get(tp).add(record);
                }
            }
        } catch (RetriableException e) {
            throw new IOException("cannot read " + range.topic() + ": " + e.getMessage(), e);
        }
        for (final Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            final TopicPartition tp = end.getKey();
            final ArrayDeque<ConsumerRecord<byte[], byte[]>> queue = buffered.get(tp);
            if (queue == null) {
                continue;
            }
            if (consumer.position(tp) >= end.getValue()) {
                consumer.pause(List.of(tp));
                if (queue.isEmpty()) {
                    buffered.remove(tp);
                }
            } else if (queue.size() >= MAX_BUFFERED) {
                consumer.pause(List.of(tp));
            } else {
                consumer.resume(List.of(tp));
            }
        }
    }

    private ConsumerRecord<byte[], byte[]> earliest() {
        TopicPartition first = null;
        for (final Map.Entry<TopicPartition, ArrayDeque<ConsumerRecord<byte[], byte[]>>> entry : buffered.entrySet()) {
            if (first == null || entry.getValue().peek().timestamp() < buffered.get(first).peek().timestamp()) {
                first = entry.getKey();
            }
        }
        return buffered.get(first).poll();
    }

    private Item item(final ConsumerRecord<byte[], byte[]> record) throws IOException {
        read++;
        final String where = record.topic() + "-" + record.partition();
        try {
            final StorefrontEvent event = values.deserialize(record.topic(), record.value());
            if (event == null) {
                return new Item(read, null, new MalformedLineException("null-value", "the record has no value"), where, record.offset());
            }
            return new Item(read, event, null, where, record.offset());
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof RetriableException) {
                    throw new IOException("cannot decode " + where + "@" + record.offset() + ": " + t.getMessage(), e);
                }
            }
            return new Item(read, null, new MalformedLineException("malformed", String.valueOf(e.getMessage())), where, record.offset());
        }
    }

    private String waitingFor() {
        return buffered.entrySet().stream().filter(e -> e.getValue().isEmpty()).map(e -> String.valueOf(e.getKey().partition())).toList().toString();
    }

    @Override
    public long progress() {
        return read;
    }

    @Override
    public long total() {
        return total;
    }

    @Override
    public String name() {
        return "topic:" + range.topic();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
