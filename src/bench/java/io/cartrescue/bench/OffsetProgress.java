package io.cartrescue.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How fast a Kafka Streams application works through a pre-loaded topic, seen from outside: the
 * offsets its consumer group has committed, sampled every 100 ms. With exactly-once these are the
 * offsets of committed transactions, so a record counts once its results are visible.
 */
public final class OffsetProgress {
    private static final long SAMPLE_MILLIS = 100;

    /**
     * What was seen.
     *
     * @param sustainedPerSecond records per second between 10% and 90% of the topic (start-up and the tail excluded)
     * @param seconds            from the first committed record to the last
     * @param committed          records committed in the end
     * @param complete           whether the whole topic was committed
     */
    public record Outcome(double sustainedPerSecond, double seconds, long committed, boolean complete) {
    }

    private OffsetProgress() {
    }

    /** Samples until {@code total} records of {@code topic} are committed by {@code group}, or nothing moves for {@code stall}. */
    public static Outcome follow(final Admin admin, final String group, final String topic, final long total,
                                 final Duration stall) throws InterruptedException, ExecutionException {
        final List<long[]> samples = new ArrayList<>();
        long lastChange = System.nanoTime();
        long previous = -1;
        while (true) {
            final long committed = committed(admin, group, topic);
            final long now = System.nanoTime();
            samples.add(new long[] {now, committed});
            if (committed != previous) {
                lastChange = now;
                previous = committed;
            }
            if (committed >= total || now - lastChange > stall.toNanos()) {
                return outcome(samples, total, committed >= total);
            }
            Thread.sleep(SAMPLE_MILLIS);
        }
    }

    private static long committed(final Admin admin, final String group, final String topic)
            throws InterruptedException, ExecutionException {
        final Map<TopicPartition, OffsetAndMetadata> offsets =
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        long sum = 0;
        for (final Map.Entry<TopicPartition, OffsetAndMetadata> e : offsets.entrySet()) {
            if (e.getKey().topic().equals(topic) && e.getValue() != null) {
                sum += e.getValue().offset();
            }
        }
        return sum;
    }

    private static Outcome outcome(final List<long[]> samples, final long total, final boolean complete) {
        final long[] first = firstAtLeast(samples, 1);
        final long[] low = firstAtLeast(samples, total / 10);
        final long[] high = firstAtLeast(samples, total * 9 / 10);
        final long[] last = samples.get(samples.size() - 1);
        final double sustained = low == null || high == null || high[0] == low[0] ? Double.NaN
                : (high[1] - low[1]) / ((high[0] - low[0]) / 1e9);
        final double seconds = first == null ? Double.NaN : (last[0] - first[0]) / 1e9;
        return new Outcome(sustained, seconds, last[1], complete);
    }

    private static long[] firstAtLeast(final List<long[]> samples, final long count) {
        for (final long[] sample : samples) {
            if (sample[1] >= count) {
                return sample;
            }
        }
        return null;
    }
}
