package io.cartrescue.replay;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.internals.StreamTask;

/**
 * Runs records through the stream task of a {@link TopologyTestDriver} the way the driver does,
 * except that it commits every {@value #COMMIT_EVERY} records instead of after each one.
 *
 * <p>The driver wraps the topology in one Kafka Streams {@link StreamTask}: the real source, processor
 * and sink nodes, state stores, record collector, timestamp extractor, punctuation queue and error
 * handlers. For every record piped in, it hands the record to the task, processes everything the task
 * can process (records written to the task's own internal topics are fed back in, so a repartition
 * hop is processed before the next input record), and after <em>each</em> processed record commits:
 * flushes the stores, commits offsets and writes a checkpoint; it also matches every topic name it
 * sees against every source topic as a regular expression. For a replay of millions of events that
 * bookkeeping is most of the time. This loop does the same processing, in the same order, on the same
 * task, and leaves the bookkeeping to every few thousand records. Only the commit points differ,
 * and a commit changes nothing that the processors see.
 *
 * <p>The task, the producer the task writes to, the driver's partitions and offsets and its commit are
 * private to the driver, so they are reached by reflection; the constructor fails, naming the member,
 * if a version of kafka-streams-test-utils no longer has one of them.
 */
final class StreamTaskLoop {
    /** Records between two commits. */
    static final int COMMIT_EVERY = 10_000;

    private final TopologyTestDriver driver;
    private final StreamTask task;
    private final MockProducer<byte[], byte[]> producer;
    private final Map<String, TopicPartition> partitions;
    private final Map<TopicPartition, AtomicLong> offsets;
    private final Method commit;
    private final Consumer<ProducerRecord<byte[], byte[]>> written;
    private final long wallClock;
    private int uncommitted;

    /**
     * @param driver    a driver whose topology has a stream task (not only global stores)
     * @param wallClock the driver's wall-clock time in ms (its start time: a replay never advances it)
     * @param written   receives every record the task writes to a topic it does not read itself
     */
    StreamTaskLoop(final TopologyTestDriver driver, final long wallClock,
                   final Consumer<ProducerRecord<byte[], byte[]>> written) {
        this.driver = driver;
        this.task = field(driver, "task");
        this.producer = field(driver, "producer");
        this.partitions = field(driver, "partitionsByInputTopic");
        this.offsets = field(driver, "offsetsByTopicOrPatternPartition");
        this.commit = method("commit", Map.class);
        this.written = written;
        this.wallClock = wallClock;
        if (task == null) {
            throw new IllegalStateException("the topology has no stream task");
        }
    }

    /**
     * Processes one record read from {@code topic}, a source topic of the task, with everything that
     * follows from it; returns the record's offset on that topic.
     */
    long pipe(final String topic, final long timestamp, final byte[] key, final byte[] value) {
        final long offset = enqueue(topic, timestamp, key, value, new RecordHeaders());
        processAll();
        if (++uncommitted >= COMMIT_EVERY) {
            commit();
        }
        return offset;
    }

    /** The offset the next record piped to {@code topic} will have. */
    long nextOffset(final String topic) {
        return offsets.get(partition(topic)).get();
    }

    /** Commits what was processed: flushes the stores and records the offsets, as the driver does. */
    void commit() {
        final Map<TopicPartition, OffsetAndMetadata> committed = task.prepareCommit(true);
        try {
            commit.invoke(driver, committed);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        task.postCommit(true);
        uncommitted = 0;
    }

    private long enqueue(final String topic, final long timestamp, final byte[] key, final byte[] value,
                         final Headers headers) {
        final TopicPartition partition = partition(topic);
        final long offset = offsets.get(partition).getAndIncrement();
        task.addRecords(partition, List.of(new ConsumerRecord<>(topic, partition.partition(), offset, timestamp,
                TimestampType.CREATE_TIME, key == null ? ConsumerRecord.NULL_SIZE : key.length,
                value == null ? ConsumerRecord.NULL_SIZE : value.length, key, value, headers, Optional.empty())));
        return offset;
    }

    private TopicPartition partition(final String topic) {
        final TopicPartition partition = partitions.get(topic);
        if (partition == null) {
            throw new IllegalArgumentException("not a source topic of the task: " + topic);
        }
        return partition;
    }

    /** As the driver: process while the task can, feeding back what it writes to its own source topics. */
    private void processAll() {
        collectWritten();
        task.resumePollingForPartitionsWithAvailableSpace();
        task.updateLags();
        while (task.hasRecordsQueued() && task.isProcessable(wallClock)) {
            task.process(wallClock);
            task.maybePunctuateStreamTime();
            collectWritten();
        }
    }

    private void collectWritten() {
        final List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        if (sent.isEmpty()) {
            return;
        }
        producer.clear();
        for (final ProducerRecord<byte[], byte[]> record : sent) {
            if (partitions.containsKey(record.topic())) {
                enqueue(record.topic(), record.timestamp(), record.key(), record.value(), record.headers());
            } else {
                written.accept(record);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T field(final TopologyTestDriver driver, final String name) {
        try {
            final Field field = TopologyTestDriver.class.getDeclaredField(name);
            field.setAccessible(true);
            return (T) field.get(driver);
        } catch (NoSuchFieldException | IllegalAccessException | RuntimeException e) {
            throw new IllegalStateException("this kafka-streams-test-utils has no TopologyTestDriver." + name
                    + " the replay can use", e);
        }
    }

    private static Method method(final String name, final Class<?>... parameters) {
        try {
            final Method method = TopologyTestDriver.class.getDeclaredMethod(name, parameters);
            method.setAccessible(true);
            return method;
        } catch (NoSuchMethodException | RuntimeException e) {
            throw new IllegalStateException("this kafka-streams-test-utils has no TopologyTestDriver." + name
                    + " the replay can use", e);
        }
    }
}
