package io.cartrescue.processor;

import io.cartrescue.metrics.CartRescueMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds dead-letter records and keeps the operator informed without flooding the log: the
 * original key and value bytes, with the reason, the detail, and the source topic, partition and
 * offset in headers; one WARN line per reason per minute with the count since the last line; and a
 * count by reason in the instance's {@link CartRescueMetrics}. The detail names values taken from
 * the record, so its control characters are escaped ({@code \n} becomes {@code \u000a}): a hostile
 * event id cannot forge log lines.
 */
public final class DeadLetters {
    public static final String REASON_HEADER = "cart-rescue.reason";
    public static final String DETAIL_HEADER = "cart-rescue.detail";
    public static final String TOPIC_HEADER = "cart-rescue.source.topic";
    public static final String PARTITION_HEADER = "cart-rescue.source.partition";
    public static final String OFFSET_HEADER = "cart-rescue.source.offset";
    public static final String NODE_HEADER = "cart-rescue.source.node";
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
    private static final long LOG_EVERY_MS = Duration.ofMinutes(1).toMillis();
    private static final int MAX_DETAIL_LENGTH = 1000;

    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> unlogged = new ConcurrentHashMap<>();
    private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();
    private final CartRescueMetrics metrics;

    /**
     * Where an error handler sends dead letters: the topic and the shared {@link DeadLetters} that
     * the application passes in the Streams configuration.
     */
    public record Target(String topic, DeadLetters deadLetters) {
        /** From a handler's configuration; fails if the dead-letter topic is not set. */
        static Target from(final Map<String, ?> configs) {
            final String topic = (String) configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
            if (topic == null || topic.isBlank()) {
                throw new IllegalStateException(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG + " must be set");
            }
            final Object shared = configs.get(DeadLetterProcessingHandler.DEAD_LETTERS_CONFIG);
            return new Target(topic, shared instanceof DeadLetters d ? d : new DeadLetters());
        }

        /** The dead-letter record for the record in {@code context}. */
        ProducerRecord<byte[], byte[]> record(final ErrorHandlerContext context, final String reason, final String detail) {
            return deadLetters.record(topic, context, reason, detail);
        }
    }

    /** Dead letters that are counted here and logged, but not reported as metrics. */
    public DeadLetters() {
        this(CartRescueMetrics.none());
    }

    /** Dead letters that are also counted by reason in {@code metrics}. */
    public DeadLetters(final CartRescueMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** Counts of dead letters by reason since start, for metrics. */
    public Map<String, AtomicLong> counts() {
        return counts;
    }

    /** The dead-letter record for the record in {@code context}, and a count and a rate-limited log line. */
    public ProducerRecord<byte[], byte[]> record(final String topic, final ErrorHandlerContext context,
                                                 final String reason, final String detail) {
        final String printable = printable(detail);
        count(reason, printable, context);
        final RecordHeaders headers = new RecordHeaders();
        headers.add(REASON_HEADER, utf8(reason));
        headers.add(DETAIL_HEADER, utf8(printable));
        headers.add(TOPIC_HEADER, utf8(String.valueOf(context.topic())));
        headers.add(PARTITION_HEADER, utf8(String.valueOf(context.partition())));
        headers.add(OFFSET_HEADER, utf8(String.valueOf(context.offset())));
        headers.add(NODE_HEADER, utf8(String.valueOf(context.processorNodeId())));
        return new ProducerRecord<>(topic, null, context.timestamp(), context.sourceRawKey(), context.sourceRawValue(), headers);
    }

    private void count(final String reason, final String detail, final ErrorHandlerContext context) {
        counts.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
        metrics.deadLettered(reason);
        final long pending = unlogged.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
        final long now = System.currentTimeMillis();
        final Long last = lastLogged.get(reason);
        if (last == null || now - last >= LOG_EVERY_MS) {
            lastLogged.put(reason, now);
            unlogged.get(reason).addAndGet(-pending);
            LOG.warn("dead letter: reason={} count={} (since last line) last: {} [{}-{}@{}]",
                    reason, pending, detail, context.topic(), context.partition(), context.offset());
        }
    }

    /** The detail cut to {@value #MAX_DETAIL_LENGTH} characters, control and line-separator characters escaped. */
    static String printable(final String detail) {
        final String cut = detail.length() > MAX_DETAIL_LENGTH ? detail.substring(0, MAX_DETAIL_LENGTH) : detail;
        StringBuilder out = null;
        for (int i = 0; i < cut.length(); i++) {
            final char c = cut.charAt(i);
            final boolean control = Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
            if (control && out == null) {
                out = new StringBuilder(cut.length() + 16).append(cut, 0, i);
            }
            if (control) {
                out.append(String.format("\\u%04x", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? cut : out.toString();
    }

    private static byte[] utf8(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
